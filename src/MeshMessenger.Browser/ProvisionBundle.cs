using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshMessenger.Device.Provisioning;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;

namespace MeshMessenger.Browser;

/// <summary>
/// What a board needs to join a gateway's mesh, made in the browser so no server ever sees the board's secret: the
/// provisioning request frame the board stores (docs/firmware.md, "Provisioning"), encoded by the firmware's own
/// <see cref="ProvisioningBundle"/> and checked by its decoder, so the file is exactly what `meshmsg provision --port`
/// sends and the board accepts. The identity is a fresh one, or, to restore a wiped board, the one whose recovery
/// phrase the person types, with the bundle's restore flag set (docs/firmware.md, "Restoring an identity").
/// </summary>
internal static class ProvisionBundle
{
    /// <summary>
    /// Makes a bundle from the page's options { name?, region, preset, channel, gatewayNode, gatewayAddress, wifiSsid?,
    /// wifiPassword?, restorePhrase? } and a 32-byte <paramref name="seed"/> from crypto.getRandomValues (unused when
    /// restoring). The channel is an invite (MMC1:) or the name of the gateway's demo channel, whose secret is derived
    /// from the name as the gateway derives it. Returns the request frame, a JSON summary and the recovery phrase.
    /// </summary>
    /// <exception cref="ArgumentException">An option is missing or invalid; the message names it.</exception>
    public static (byte[] Frame, string SummaryJson, string RecoveryPhrase) Create(string optionsJson, byte[] seed)
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
        string address = (Text(o, "gatewayAddress") ?? string.Empty).Trim();
        string ssid = Text(o, "wifiSsid") ?? string.Empty;
        string password = Text(o, "wifiPassword") ?? string.Empty;
        string? restorePhrase = Text(o, "restorePhrase");
        bool restore = !string.IsNullOrWhiteSpace(restorePhrase);

        NodeIdentity identity;
        string phrase;
        if (restore)
        {
            phrase = restorePhrase!.Trim();
            if (BackupCode.TryRestore(phrase, out NodeIdentity? restored) != ProtocolError.None)
            {
                throw new ArgumentException("that recovery phrase does not restore an identity (check every word)");
            }

            identity = restored!;
        }
        else
        {
            identity = NodeIdentity.FromRootSecret(seed);
            phrase = RecoveryPhrase.FromIdentity(identity).Text; // BIP-39 24 words; BackupCode.TryRestore reads them
        }

        var bundle = new ProvisioningBundle(phrase, name, region, preset, [ChannelInvite(channelText)], ssid, password, gateway, address, restore);
        byte[] payload = bundle.Encode();
        BundleField bad = ProvisioningBundle.TryDecode(payload, 0, payload.Length, out _);
        if (bad != BundleField.None)
        {
            throw new ArgumentException($"a board would refuse the bundle's {bad} field: {ProvisioningBundle.RuleOf(bad)}");
        }

        byte[] frame = ProvisioningFrame.Encode(ProvisioningFrame.RequestType, payload, 0, payload.Length);
        Array.Clear(payload, 0, payload.Length); // it holds the phrase; the frame is what the page hands on
        string summary = StateJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("node", NodeNames.Hex(identity.Id));
            w.WriteString("card", ContactCard.Create(identity, name, null).ToText());
            w.WriteString("region", region);
            w.WriteString("preset", preset);
            w.WriteString("gateway", NodeNames.Hex(gateway));
            w.WriteString("gatewayAddress", address);
            w.WriteBoolean("wifi", ssid.Length > 0);
            w.WriteBoolean("restore", restore);
            w.WriteNumber("bytes", frame.Length);
            w.WriteEndObject();
        });
        return (frame, summary, phrase);
    }

    // The gateway's demo channel goes by name; the bundle carries every channel as an invite.
    private static string ChannelInvite(string channelText)
    {
        if (channelText.StartsWith(ChannelKey.TextPrefix, StringComparison.Ordinal))
        {
            if (ChannelKey.TryParse(channelText, out _) != ProtocolError.None)
            {
                throw new ArgumentException("that is not a channel invite (it starts with MMC1:)");
            }

            return channelText;
        }

        string channelName = NodeNames.Require(channelText, "a channel name");
        return new ChannelKey(channelName, SHA256.HashData(Encoding.UTF8.GetBytes("MeshMessenger demo channel: " + channelName))).ToText();
    }

    private static string? Text(JsonElement o, string property) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(property, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
