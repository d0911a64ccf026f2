using MeshMessenger.Device.Platform;

namespace MeshMessenger.Device.Storage;

/// <summary>
/// The record format of every file the device keeps on flash (docs/firmware.md, "Flash records"):
/// <c>0xA7 | type (1) | payload length (2, LE) | payload | CRC-32 of type, length and payload (4, LE) | 0x5C</c>.
/// The commit marker is the last byte written: an append cut off at any byte leaves either no start marker,
/// a short record, a CRC that does not match, or no commit marker, and each of them reads as "no record here".
/// </summary>
public static class FlashRecord
{
    /// <summary>First byte of a record.</summary>
    public const byte StartMarker = 0xA7;

    /// <summary>Last byte of a record, written last.</summary>
    public const byte CommitMarker = 0x5C;

    /// <summary>Bytes around the payload: marker, type, length before it; CRC and commit marker after it.</summary>
    public const int Overhead = 9;

    /// <summary>Largest payload (an entry of <c>EntryCodec.MaxEncodedSize</c> plus its 32-byte hash fits with room).</summary>
    public const int MaxPayload = 4096;

    /// <summary>Writes a record around <paramref name="payloadLength"/> bytes already at <paramref name="buffer"/>[4..] and returns its total length.</summary>
    public static int Seal(byte[] buffer, byte type, int payloadLength)
    {
        buffer[0] = StartMarker;
        buffer[1] = type;
        buffer[2] = (byte)payloadLength;
        buffer[3] = (byte)(payloadLength >> 8);
        uint crc = Crc32.Compute(buffer, 1, 3 + payloadLength);
        int at = 4 + payloadLength;
        buffer[at] = (byte)crc;
        buffer[at + 1] = (byte)(crc >> 8);
        buffer[at + 2] = (byte)(crc >> 16);
        buffer[at + 3] = (byte)(crc >> 24);
        buffer[at + 4] = CommitMarker;
        return at + 5;
    }

    /// <summary>
    /// Reads the record at <paramref name="position"/> into <paramref name="buffer"/> (at least <see cref="MaxPayload"/> +
    /// <see cref="Overhead"/> bytes; the payload lands at offset 4). Returns the record's total length, or 0 if there is no
    /// intact, committed record there. Never throws for bad bytes.
    /// </summary>
    public static int TryRead(IFlashStorage flash, string name, int position, int fileLength, byte[] buffer, out byte type)
    {
        type = 0;
        if (position < 0 || fileLength - position < Overhead)
        {
            return 0;
        }

        if (ReadFully(flash, name, position, buffer, 0, 4) != 4 || buffer[0] != StartMarker)
        {
            return 0;
        }

        int length = buffer[2] | (buffer[3] << 8);
        if (length > MaxPayload || fileLength - position < length + Overhead)
        {
            return 0;
        }

        if (ReadFully(flash, name, position + 4, buffer, 4, length + 5) != length + 5)
        {
            return 0;
        }

        int at = 4 + length;
        uint stored = (uint)(buffer[at] | (buffer[at + 1] << 8) | (buffer[at + 2] << 16) | (buffer[at + 3] << 24));
        if (buffer[at + 4] != CommitMarker || stored != Crc32.Compute(buffer, 1, 3 + length))
        {
            return 0;
        }

        type = buffer[1];
        return length + Overhead;
    }

    /// <summary>The payload length of a record read by <see cref="TryRead"/>.</summary>
    public static int PayloadLength(byte[] buffer)
    {
        return buffer[2] | (buffer[3] << 8);
    }

    /// <summary>Writes a little-endian uint.</summary>
    public static void PutUInt32(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
        buffer[offset + 2] = (byte)(value >> 16);
        buffer[offset + 3] = (byte)(value >> 24);
    }

    /// <summary>Reads a little-endian uint.</summary>
    public static uint GetUInt32(byte[] buffer, int offset)
    {
        return (uint)(buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24));
    }

    private static int ReadFully(IFlashStorage flash, string name, int position, byte[] buffer, int offset, int count)
    {
        int done = 0;
        while (done < count)
        {
            int n = flash.Read(name, position + done, buffer, offset + done, count - done);
            if (n <= 0)
            {
                break;
            }

            done += n;
        }

        return done;
    }
}
