using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;

namespace MeshMessenger.Browser;

/// <summary>
/// What a new device needs to join a gateway's mesh, made in the browser so no server ever sees the device's
/// secret: a fresh identity (its backup code), its contact card, the radio settings, the channel and where the
/// gateway listens. The JSON has the shape the gateway's provisioning bundle had (version 1, camelCase), and the
/// QR text is "MMB1:" + base64url (RFC 4648 §5, no padding) of that JSON.
/// </summary>
internal static class ProvisionBundle
{
    /// <summary>The QR text prefix.</summary>
    public const string TextPrefix = "MMB1:";

    /// <summary>
    /// Makes a bundle from the page's options { name?, region, preset, channel, gatewayNode, udpPort } and a
    /// 32-byte <paramref name="seed"/> from crypto.getRandomValues. The channel is an invite (MMC1:) or the name
    /// of the gateway's demo channel, whose secret is derived from the name as the gateway derives it.
    /// </summary>
    public static (string Json, string QrText, string BackupCode) Create(string optionsJson, byte[] seed)
    {
        if (seed.Length != NodeIdentity.RootSecretSize)
        {
            throw new ArgumentException($"the seed is {NodeIdentity.RootSecretSize} random bytes");
        }

        using JsonDocument options = JsonDocument.Parse(optionsJson);
        JsonElement o = options.RootElement;
        string name = NodeNames.Require(Text(o, "name") ?? "device", "a device name");
        string region = Text(o, "region") ?? throw new ArgumentException("the bundle needs the gateway's region");
        string preset = Text(o, "preset") ?? throw new ArgumentException("the bundle needs the gateway's radio preset");
        string channelText = (Text(o, "channel") ?? throw new ArgumentException("the bundle needs a channel")).Trim();
        uint gateway = NodeNames.ParseId(Text(o, "gatewayNode"), "a gateway node id");
        int udpPort = o.TryGetProperty("udpPort", out JsonElement port) && port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out int p) && p is > 0 and < 65536
            ? p : throw new ArgumentException("the bundle needs the gateway's UDP port (1 to 65535)");
        ChannelKey channel;
        if (channelText.StartsWith(ChannelKey.TextPrefix, StringComparison.Ordinal))
        {
            if (ChannelKey.TryParse(channelText, out ChannelKey? parsed) != ProtocolError.None)
            {
                throw new ArgumentException("that is not a channel invite (it starts with MMC1:)");
            }

            channel = parsed!;
        }
        else
        {
            string channelName = NodeNames.Require(channelText, "a channel name");
            channel = new ChannelKey(channelName, SHA256.HashData(Encoding.UTF8.GetBytes("MeshMessenger demo channel: " + channelName)));
        }

        NodeIdentity identity = NodeIdentity.FromRootSecret(seed);
        string backupCode = RecoveryPhrase.FromIdentity(identity).Text; // BIP-39 24 words; BackupCode.TryRestore reads them
        string json = StateJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteString("name", name);
            w.WriteString("node", NodeNames.Hex(identity.Id));
            w.WriteString("backupCode", backupCode);
            w.WriteString("card", ContactCard.Create(identity, name, null).ToText());
            w.WriteString("region", region);
            w.WriteString("preset", preset);
            w.WriteString("channel", channel.ToText());
            w.WriteString("gateway", NodeNames.Hex(gateway));
            w.WriteNumber("udpPort", udpPort);
            w.WriteEndObject();
        });
        string qr = TextPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (json, qr, backupCode);
    }

    private static string? Text(JsonElement o, string property) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(property, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
