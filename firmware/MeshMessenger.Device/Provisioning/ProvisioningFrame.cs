namespace MeshMessenger.Device.Provisioning;

/// <summary>
/// The provisioning frame (docs/firmware.md, "Provisioning"): <c>'M' 'P' | version (1) | type (1) | payload length
/// (2, LE) | payload | CRC-32 (4, LE) of every byte before it</c>. Bytes before a magic are ignored, so junk on the
/// line only delays the next frame.
/// </summary>
public static class ProvisioningFrame
{
    /// <summary>First magic byte ('M').</summary>
    public const byte Magic0 = 0x4D;

    /// <summary>Second magic byte ('P').</summary>
    public const byte Magic1 = 0x50;

    /// <summary>The only version this code speaks.</summary>
    public const byte Version = 1;

    /// <summary>Host to device: store this bundle.</summary>
    public const byte RequestType = 0x01;

    /// <summary>Device to host: the outcome.</summary>
    public const byte ReplyType = 0x02;

    /// <summary>Magic, version, type and length.</summary>
    public const int HeaderSize = 6;

    /// <summary>The trailing CRC-32.</summary>
    public const int CrcSize = 4;

    /// <summary>Largest payload; a frame announcing more is answered <see cref="ProvisioningStatus.TooLarge"/> and skipped.</summary>
    public const int MaxPayload = 2048;

    /// <summary>A frame around <paramref name="count"/> payload bytes.</summary>
    public static byte[] Encode(byte type, byte[] payload, int offset, int count)
    {
        var frame = new byte[HeaderSize + count + CrcSize];
        frame[0] = Magic0;
        frame[1] = Magic1;
        frame[2] = Version;
        frame[3] = type;
        frame[4] = (byte)count;
        frame[5] = (byte)(count >> 8);
        for (int i = 0; i < count; i++)
        {
            frame[HeaderSize + i] = payload[offset + i];
        }

        uint crc = Storage.Crc32.Compute(frame, 0, HeaderSize + count);
        Storage.FlashRecord.PutUInt32(frame, HeaderSize + count, crc);
        return frame;
    }
}
