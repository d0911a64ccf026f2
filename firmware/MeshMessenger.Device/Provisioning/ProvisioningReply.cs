using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Device.Provisioning;

/// <summary>
/// The device's answer to a provisioning request (docs/firmware.md, reply layout v1): <c>status (1) | field (1) |
/// node id (4, LE) | channel count (1) | region (1 + n) | preset (1 + n) | flags (1, optional)</c>. On anything but
/// <see cref="ProvisioningStatus.Ok"/> the node id, count and names describe the bundle still in force (zero and empty
/// if none).
/// </summary>
public sealed class ProvisioningReply
{
    /// <summary>Flags bit 0: the bundle in force restores its identity's chain; the device signs nothing until that ends.</summary>
    public const byte RestoringFlag = 0x01;

    /// <summary>Creates a reply.</summary>
    public ProvisioningReply(ProvisioningStatus status, BundleField field, uint nodeId, int channelCount, string region, string preset, bool restoring)
    {
        Status = status;
        Field = field;
        NodeId = nodeId;
        ChannelCount = channelCount;
        Region = region;
        Preset = preset;
        Restoring = restoring;
    }

    /// <summary>The outcome.</summary>
    public ProvisioningStatus Status { get; }

    /// <summary>The bad field when <see cref="Status"/> is <see cref="ProvisioningStatus.BadBundleField"/>.</summary>
    public BundleField Field { get; }

    /// <summary>The node id the device runs as.</summary>
    public uint NodeId { get; }

    /// <summary>How many channels it joined.</summary>
    public int ChannelCount { get; }

    /// <summary>Its region.</summary>
    public string Region { get; }

    /// <summary>Its preset.</summary>
    public string Preset { get; }

    /// <summary>
    /// True if the bundle in force restores its identity's chain (docs/firmware.md, "Restoring an identity"): the
    /// device asks its neighbours first and is read-only until the restore ends. False for a new identity, and for a
    /// restore bundle stored without its flag because this board already holds that identity's chain.
    /// </summary>
    public bool Restoring { get; }

    /// <summary>The reply payload.</summary>
    public byte[] Encode()
    {
        byte[] region = Utf8Text.Truncate(Utf8Text.GetBytes(Region), 255);
        byte[] preset = Utf8Text.Truncate(Utf8Text.GetBytes(Preset), 255);
        var data = new byte[7 + 1 + region.Length + 1 + preset.Length + (Restoring ? 1 : 0)];
        data[0] = (byte)Status;
        data[1] = (byte)Field;
        Storage.FlashRecord.PutUInt32(data, 2, NodeId);
        data[6] = (byte)ChannelCount;
        data[7] = (byte)region.Length;
        System.Array.Copy(region, 0, data, 8, region.Length);
        int at = 8 + region.Length;
        data[at] = (byte)preset.Length;
        System.Array.Copy(preset, 0, data, at + 1, preset.Length);
        if (Restoring)
        {
            data[data.Length - 1] = RestoringFlag; // absent when no flag is set: a reply has one encoding, as a bundle's flags
        }

        return data;
    }

    /// <summary>Decodes a reply payload; null if it is malformed. Never throws.</summary>
    public static ProvisioningReply? TryDecode(byte[] data, int offset, int count)
    {
        if (data == null || offset < 0 || count < 9 || offset > data.Length - count)
        {
            return null;
        }

        int end = offset + count;
        int regionLength = data[offset + 7];
        int at = offset + 8 + regionLength;
        if (at >= end || at + 1 + data[at] > end)
        {
            return null;
        }

        // The optional flags byte: present, it must set a known bit and no reserved one (one encoding per reply).
        int presetEnd = at + 1 + data[at];
        bool restoring = false;
        if (presetEnd == end - 1)
        {
            byte flags = data[presetEnd];
            if (flags != RestoringFlag)
            {
                return null;
            }

            restoring = true;
        }
        else if (presetEnd != end)
        {
            return null;
        }

        string? region = Utf8Text.Decode(data, offset + 8, regionLength);
        string? preset = Utf8Text.Decode(data, at + 1, data[at]);
        if (region == null || preset == null)
        {
            return null;
        }

        return new ProvisioningReply((ProvisioningStatus)data[offset], (BundleField)data[offset + 1], Storage.FlashRecord.GetUInt32(data, offset + 2), data[offset + 6], region, preset, restoring);
    }
}
