using System;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Device.Provisioning;

/// <summary>
/// What a device needs to join a mesh, as the provisioning request carries it and as the device keeps it on flash
/// (docs/firmware.md, "Provisioning", bundle layout v1). Texts are UTF-8 with a length prefix; decoding checks every
/// field (the identity restores, the region and preset exist, each invite parses) and names the first bad one.
/// </summary>
public sealed class ProvisioningBundle
{
    /// <summary>Most channel invites in one bundle.</summary>
    public const int MaxChannels = 8;

    /// <summary>Longest identity text (24 words of at most 8 letters and their spaces fit in 216 bytes).</summary>
    public const int MaxIdentityBytes = 512;

    /// <summary>Longest display name, as a profile allows.</summary>
    public const int MaxNameBytes = 32;

    /// <summary>Longest channel invite.</summary>
    public const int MaxInviteBytes = 256;

    /// <summary>Longest Wi-Fi SSID (IEEE 802.11: 32 octets).</summary>
    public const int MaxSsidBytes = 32;

    /// <summary>Longest Wi-Fi password (WPA2 passphrase: 63 characters, or 64 hex digits).</summary>
    public const int MaxPasswordBytes = 64;

    /// <summary>Longest gateway address (host:port).</summary>
    public const int MaxAddressBytes = 64;

    /// <summary>
    /// Flags bit 0: the identity already has a chain, which the device restores from its neighbours before it signs
    /// anything (docs/firmware.md, "Request payload, the bundle"; docs/protocol.md §8.3). The other bits are reserved.
    /// </summary>
    public const byte RestoreFlag = 0x01;

    private NodeIdentity? _restored;

    /// <summary>Creates a bundle for a new identity (no flags); <see cref="Encode"/> does not validate, <see cref="TryDecode"/> does.</summary>
    public ProvisioningBundle(string identity, string name, string region, string preset, string[] channels, string wifiSsid, string wifiPassword, uint gatewayNode, string gatewayAddress)
        : this(identity, name, region, preset, channels, wifiSsid, wifiPassword, gatewayNode, gatewayAddress, false)
    {
    }

    /// <summary>Creates a bundle; <paramref name="restoreChain"/>: the identity already has a chain to restore (<see cref="RestoreFlag"/>).</summary>
    public ProvisioningBundle(string identity, string name, string region, string preset, string[] channels, string wifiSsid, string wifiPassword, uint gatewayNode, string gatewayAddress, bool restoreChain)
    {
        RestoreChain = restoreChain;
        Identity = identity;
        Name = name;
        Region = region;
        Preset = preset;
        Channels = channels;
        WifiSsid = wifiSsid;
        WifiPassword = wifiPassword;
        GatewayNode = gatewayNode;
        GatewayAddress = gatewayAddress;
    }

    /// <summary>The 24-word recovery phrase (or an older backup code), as <see cref="BackupCode.TryRestore"/> reads it.</summary>
    public string Identity { get; }

    /// <summary>The device's display name.</summary>
    public string Name { get; }

    /// <summary>Region name (<see cref="Radio.LoRa.Region.Find"/>).</summary>
    public string Region { get; }

    /// <summary>Preset name (<see cref="ModemPreset.Find"/>).</summary>
    public string Preset { get; }

    /// <summary>Channel invites (MMC1:), at most <see cref="MaxChannels"/>.</summary>
    public string[] Channels { get; }

    /// <summary>Wi-Fi network, or empty for none.</summary>
    public string WifiSsid { get; }

    /// <summary>Wi-Fi password, or empty.</summary>
    public string WifiPassword { get; }

    /// <summary>The gateway's node id, or 0 for none.</summary>
    public uint GatewayNode { get; }

    /// <summary>Where the gateway listens (host:port), or empty.</summary>
    public string GatewayAddress { get; }

    /// <summary>
    /// True if the identity already has a chain: the device boots restoring it (<see cref="RestoreFlag"/>). On flash the
    /// flag means a restore that has not ended; the device stores the bundle again without it once the restore ends.
    /// </summary>
    public bool RestoreChain { get; }

    /// <summary>The same bundle without <see cref="RestoreChain"/> (the identity it restored is kept).</summary>
    public ProvisioningBundle WithoutRestore()
    {
        var bundle = new ProvisioningBundle(Identity, Name, Region, Preset, Channels, WifiSsid, WifiPassword, GatewayNode, GatewayAddress, false);
        bundle._restored = _restored;
        return bundle;
    }

    /// <summary>The bundle's bytes (layout v1); the flags byte only if a flag is set, so a bundle without flags is the bytes it always was.</summary>
    public byte[] Encode()
    {
        byte[] identity = Utf8Text.GetBytes(Identity);
        byte[] name = Utf8Text.GetBytes(Name);
        byte[] region = Utf8Text.GetBytes(Region);
        byte[] preset = Utf8Text.GetBytes(Preset);
        byte[] ssid = Utf8Text.GetBytes(WifiSsid);
        byte[] password = Utf8Text.GetBytes(WifiPassword);
        byte[] address = Utf8Text.GetBytes(GatewayAddress);
        var invites = new byte[Channels.Length][];
        int size = 2 + identity.Length + 1 + name.Length + 1 + region.Length + 1 + preset.Length + 1 + 1 + ssid.Length + 1 + password.Length + 4 + 1 + address.Length + (RestoreChain ? 1 : 0);
        for (int i = 0; i < Channels.Length; i++)
        {
            invites[i] = Utf8Text.GetBytes(Channels[i]);
            size += 2 + invites[i].Length;
        }

        var data = new byte[size];
        int at = 0;
        at = PutText(data, at, identity, 2);
        at = PutText(data, at, name, 1);
        at = PutText(data, at, region, 1);
        at = PutText(data, at, preset, 1);
        data[at++] = (byte)invites.Length;
        for (int i = 0; i < invites.Length; i++)
        {
            at = PutText(data, at, invites[i], 2);
        }

        at = PutText(data, at, ssid, 1);
        at = PutText(data, at, password, 1);
        Storage.FlashRecord.PutUInt32(data, at, GatewayNode);
        at += 4;
        at = PutText(data, at, address, 1);
        if (RestoreChain)
        {
            data[at] = RestoreFlag;
        }

        System.Array.Clear(identity, 0, identity.Length); // the phrase and the Wi-Fi password: one copy fewer on the heap
        System.Array.Clear(password, 0, password.Length);
        return data;
    }

    /// <summary>
    /// Decodes and validates a bundle from untrusted bytes; returns <see cref="BundleField.None"/> and the bundle, or the
    /// first bad field. Never throws. Restoring the identity is part of the check, so a bundle that decodes will boot.
    /// </summary>
    public static BundleField TryDecode(byte[] data, int offset, int count, out ProvisioningBundle? bundle)
    {
        bundle = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            return BundleField.Length;
        }

        int end = offset + count;
        int at = offset;
        string? identity = TakeText(data, ref at, end, 2, MaxIdentityBytes);
        NodeIdentity? restored;
        if (identity == null || BackupCode.TryRestore(identity, out restored) != ProtocolError.None)
        {
            return BundleField.Identity;
        }

        string? name = TakeText(data, ref at, end, 1, MaxNameBytes);
        if (name == null || name.Length == 0)
        {
            return BundleField.Name;
        }

        string? region = TakeText(data, ref at, end, 1, 32);
        if (region == null || Radio.LoRa.Region.Find(region) == null)
        {
            return BundleField.Region;
        }

        string? preset = TakeText(data, ref at, end, 1, 32);
        if (preset == null || ModemPreset.Find(preset) == null)
        {
            return BundleField.Preset;
        }

        if (at >= end || data[at] > MaxChannels)
        {
            return BundleField.Channels;
        }

        var channels = new string[data[at++]];
        for (int i = 0; i < channels.Length; i++)
        {
            string? invite = TakeText(data, ref at, end, 2, MaxInviteBytes);
            ChannelKey? key;
            if (invite == null || ChannelKey.TryParse(invite, out key) != ProtocolError.None)
            {
                return BundleField.Channels;
            }

            channels[i] = invite;
        }

        string? ssid = TakeText(data, ref at, end, 1, MaxSsidBytes);
        if (ssid == null)
        {
            return BundleField.WifiSsid;
        }

        string? password = TakeText(data, ref at, end, 1, MaxPasswordBytes);
        if (password == null)
        {
            return BundleField.WifiPassword;
        }

        if (end - at < 4)
        {
            return BundleField.GatewayNode;
        }

        uint gateway = Storage.FlashRecord.GetUInt32(data, at);
        at += 4;
        string? address = TakeText(data, ref at, end, 1, MaxAddressBytes);
        if (address == null)
        {
            return BundleField.GatewayAddress;
        }

        // The optional flags byte, absent when no flag is set: present, it must set a known bit and no reserved one, so a
        // bundle has one encoding and a flag this firmware does not know is refused rather than ignored.
        bool restore = false;
        if (end - at == 1)
        {
            byte flags = data[at++];
            if (flags == 0 || (flags & ~RestoreFlag) != 0)
            {
                return BundleField.Flags;
            }

            restore = (flags & RestoreFlag) != 0;
        }

        if (at != end)
        {
            return BundleField.Length;
        }

        bundle = new ProvisioningBundle(identity, name, region, preset, channels, ssid, password, gateway, address, restore);
        bundle._restored = restored;
        return BundleField.None;
    }

    /// <summary>
    /// What <paramref name="field"/> must be for a device to take the bundle (docs/firmware.md, the bundle table): one
    /// wording for every tool that makes bundles and names the field a device would refuse.
    /// </summary>
    public static string RuleOf(BundleField field)
    {
        switch (field)
        {
            case BundleField.Identity:
                return "the recovery phrase does not restore an identity";
            case BundleField.Name:
                return "1 to " + MaxNameBytes + " UTF-8 bytes";
            case BundleField.Region:
                return "a region name such as EU_868 or US";
            case BundleField.Preset:
                return "a preset name such as LongFast";
            case BundleField.Channels:
                return "at most " + MaxChannels + " invites, each MMC1:...";
            case BundleField.WifiSsid:
                return "at most " + MaxSsidBytes + " bytes";
            case BundleField.WifiPassword:
                return "at most " + MaxPasswordBytes + " bytes";
            case BundleField.GatewayAddress:
                return "at most " + MaxAddressBytes + " bytes";
            case BundleField.Flags:
                return "only the restore flag is defined";
            default:
                return "see docs/firmware.md";
        }
    }

    /// <summary>
    /// The identity the bundle names, or null if its text does not restore. Kept after the first call (and after
    /// <see cref="TryDecode"/>, which restores it as its check): deriving the keys is a scalar multiplication, seconds
    /// on a device's interpreter.
    /// </summary>
    public NodeIdentity? RestoreIdentity()
    {
        if (_restored == null)
        {
            NodeIdentity? identity;
            _restored = BackupCode.TryRestore(Identity, out identity) == ProtocolError.None ? identity : null;
        }

        return _restored;
    }

    private static int PutText(byte[] data, int at, byte[] text, int prefix)
    {
        data[at++] = (byte)text.Length;
        if (prefix == 2)
        {
            data[at++] = (byte)(text.Length >> 8);
        }

        Array.Copy(text, 0, data, at, text.Length);
        return at + text.Length;
    }

    private static string? TakeText(byte[] data, ref int at, int end, int prefix, int max)
    {
        if (end - at < prefix)
        {
            return null;
        }

        int length = data[at] | (prefix == 2 ? data[at + 1] << 8 : 0);
        if (length > max || end - at - prefix < length)
        {
            return null;
        }

        string? text = Utf8Text.Decode(data, at + prefix, length);
        at += prefix + length;
        return text;
    }
}
