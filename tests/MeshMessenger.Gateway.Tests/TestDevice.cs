using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Gateway.Tests;

/// <summary>A device running the real protocol node, producing real signed frames for the gateway.</summary>
internal sealed class TestDevice
{
    private static int _seed;

    public TestDevice(string name)
    {
        Name = name;
        var root = new byte[32];
        BitConverter.GetBytes(Interlocked.Increment(ref _seed) + 1000).CopyTo(root, 0);
        root[31] = (byte)name.Length;
        Identity = NodeIdentity.FromRootSecret(root);
        Node = new MessengerNode(Identity, name, new MemoryEntryStore(), new WallClock(), FrameLimits.Ip, restoring: false);
    }

    /// <summary>
    /// The same identity with its storage wiped: an empty store, restoring (it asks the gateway for its history); not
    /// restoring, a twin that writes a second chain under the same key (a fork).
    /// </summary>
    public TestDevice(TestDevice wiped, bool restoring = true)
    {
        Name = wiped.Name;
        Identity = wiped.Identity;
        Node = new MessengerNode(Identity, Name, new MemoryEntryStore(), new WallClock(), FrameLimits.Ip, restoring);
    }

    public string Name { get; }

    public NodeIdentity Identity { get; }

    public MessengerNode Node { get; }

    public uint Id => Identity.Id;

    /// <summary>Frames the node wants to send (its genesis first, then messages and receipts).</summary>
    public byte[][] Take() => Node.TakeOutbox();

    public void Befriend(TestDevice other)
    {
        Node.AddContact(ContactCard.Create(other.Identity, other.Name, null));
        other.Node.AddContact(ContactCard.Create(Identity, Name, null));
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => (uint)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1735689600);
    }
}
