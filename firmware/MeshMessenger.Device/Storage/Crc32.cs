namespace MeshMessenger.Device.Storage;

/// <summary>
/// CRC-32 as IEEE 802.3 and zlib compute it (reflected polynomial 0xEDB88320, initial value and final xor
/// 0xFFFFFFFF; check value of "123456789" is 0xCBF43926). Hand-written because nanoFramework's mscorlib has
/// no CRC and System.IO.Hashing is not a nanoFramework package. Table-driven (Sarwate's byte-at-a-time method, one
/// 256-entry table = 1 KB of RAM): the bitwise form costs 8 shift-and-xor steps per byte, and opening a full store
/// checks every record on flash, which bitwise took seconds on an interpreted ESP32.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

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
        uint[] table = Table;
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    // Entry n is the bitwise CRC register after shifting byte n through it (reflected polynomial 0xEDB88320).
    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    /// <summary>The CRC of a running value.</summary>
    public static uint Finish(uint crc)
    {
        return ~crc;
    }
}
