namespace MeshMessenger.Protocol.Wire;

/// <summary>
/// Unsigned LEB128 varints limited to 32 bits, as protobuf encodes uint32 (protobuf.dev, "Encoding",
/// Base 128 Varints). Only the shortest form is accepted, so every value has one encoding and an entry's
/// bytes (and hence its hash) are canonical.
/// </summary>
public static class Varint
{
    /// <summary>Longest encoding of a 32-bit value.</summary>
    public const int MaxSize = 5;

    /// <summary>Bytes needed to encode <paramref name="value"/>.</summary>
    public static int SizeOf(uint value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="offset"/>; returns the offset after it.</summary>
    public static int Write(uint value, byte[] buffer, int offset)
    {
        while (value >= 0x80)
        {
            buffer[offset++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[offset++] = (byte)value;
        return offset;
    }

    /// <summary>
    /// Reads a varint from <paramref name="offset"/> up to <paramref name="end"/>. Returns the offset after
    /// it, or -1 when the bytes run out, the value needs more than 32 bits, or the form is not the shortest.
    /// </summary>
    public static int TryRead(byte[] buffer, int offset, int end, out uint value)
    {
        value = 0;
        int shift = 0;
        for (int i = 0; i < MaxSize; i++)
        {
            if (offset >= end)
            {
                return -1;
            }

            uint b = buffer[offset++];
            if (i == MaxSize - 1 && b > 0x0F)
            {
                return -1; // bits above 2^32
            }

            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                // A zero final group after the first byte means a longer-than-needed encoding.
                return (b == 0 && i > 0) ? -1 : offset;
            }

            shift += 7;
        }

        return -1;
    }
}
