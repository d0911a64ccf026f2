using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// What a new device needs to join this gateway's mesh, made on the provisioning page: a fresh identity (its
/// backup code, which is the secret), its contact card, the radio settings and the demo channel, and where
/// the gateway listens. Shown once as JSON and as a QR code ("MMB1:" + base64url of the JSON) for the
/// device's setup screen or the flasher; the gateway keeps no copy of the secret.
/// </summary>
public sealed record DeviceBundle(int Version, string Name, string Node, string BackupCode, string Card, string Region, string Preset, string Channel, string Gateway, int UdpPort)
{
    /// <summary>The QR text prefix.</summary>
    public const string TextPrefix = "MMB1:";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>A bundle for a new device called <paramref name="name"/>.</summary>
    public static DeviceBundle Create(string name, string region, string preset, ChannelKey channel, NodeIdentity gateway, int udpPort)
    {
        NodeIdentity identity = NodeIdentity.FromRootSecret(RandomNumberGenerator.GetBytes(32));
        return new DeviceBundle(1, name, $"{identity.Id:x8}", Protocol.Identity.BackupCode.Create(identity), ContactCard.Create(identity, name, null).ToText(), region, preset, channel.ToText(), $"{gateway.Id:x8}", udpPort);
    }

    /// <summary>The bundle as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The bundle as QR text.</summary>
    public string ToText() => TextPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(ToJson())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
