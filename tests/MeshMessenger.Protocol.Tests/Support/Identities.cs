using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Protocol.Tests.Support;

/// <summary>Fixed identities: root secret = 32 copies of one byte.</summary>
internal static class Identities
{
    public static NodeIdentity Fixed(byte fill) => NodeIdentity.FromRootSecret(Enumerable.Repeat(fill, 32).ToArray());
}
