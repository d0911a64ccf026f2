namespace MeshMessenger.Device.Storage;

/// <summary>
/// CRC-32 as IEEE 802.3 and zlib compute it (reflected polynomial 0xEDB88320, initial value and final xor
/// 0xFFFFFFFF; check value of "123456789" is 0xCBF43926). Hand-written because nanoFramework's mscorlib has
/// no CRC and System.IO.Hashing is not a nanoFramework package. Bitwise, without a table: 1 KB of table is
/// RAM a device needs elsewhere, and records are short.
/// </summary>
public static class Crc32
{
    /// <summary>The CRC-32 of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
    public static uint Compute(byte[] data, int offset, int count)
    {
        return Finish(Update(Start, data, offset, count));
    }

    /// <summary>The running value before any byte.</summary>
    public const uint Start = 0xFFFFFFFF;

    /// <summary>Feeds bytes into a running value started at <see cref="Start"/>.</summary>
    public static uint Update(uint crc, byte[] data, int offset, int count)
    {
        for (int i = offset; i < offset + count; i++)
        {
            crc ^= data[i];
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return crc;
    }

    /// <summary>The CRC of a running value.</summary>
    public static uint Finish(uint crc)
    {
        return ~crc;
    }
}
