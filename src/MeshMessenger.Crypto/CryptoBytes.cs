using System;

namespace MeshMessenger.Crypto;

/// <summary>Byte helpers shared by the primitives: constant-time comparison, wiping, endian loads and stores.</summary>
public static class CryptoBytes
{
    /// <summary>
    /// Compares two ranges in time that depends only on <paramref name="count"/>, never on where they differ,
    /// so a MAC or signature check does not leak how many leading bytes an attacker guessed right.
    /// </summary>
    public static bool ConstantTimeEquals(byte[] a, int aOffset, byte[] b, int bOffset, int count)
    {
        int diff = 0;
        for (int i = 0; i < count; i++)
        {
            diff |= a[aOffset + i] ^ b[bOffset + i];
        }

        return diff == 0;
    }

    /// <summary>Overwrites a range with zeros (keys, intermediate secrets, failed plaintexts).</summary>
    public static void Wipe(byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            buffer[offset + i] = 0;
        }
    }

    public static uint LoadUInt32LittleEndian(byte[] buffer, int offset)
    {
        return (uint)buffer[offset]
            | ((uint)buffer[offset + 1] << 8)
            | ((uint)buffer[offset + 2] << 16)
            | ((uint)buffer[offset + 3] << 24);
    }

    public static void StoreUInt32LittleEndian(uint value, byte[] buffer, int offset)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
        buffer[offset + 2] = (byte)(value >> 16);
        buffer[offset + 3] = (byte)(value >> 24);
    }

    public static uint LoadUInt32BigEndian(byte[] buffer, int offset)
    {
        return ((uint)buffer[offset] << 24)
            | ((uint)buffer[offset + 1] << 16)
            | ((uint)buffer[offset + 2] << 8)
            | buffer[offset + 3];
    }

    public static void StoreUInt32BigEndian(uint value, byte[] buffer, int offset)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }

    public static ulong LoadUInt64BigEndian(byte[] buffer, int offset)
    {
        return ((ulong)LoadUInt32BigEndian(buffer, offset) << 32) | LoadUInt32BigEndian(buffer, offset + 4);
    }

    public static void StoreUInt64BigEndian(ulong value, byte[] buffer, int offset)
    {
        StoreUInt32BigEndian((uint)(value >> 32), buffer, offset);
        StoreUInt32BigEndian((uint)value, buffer, offset + 4);
    }

    public static void StoreUInt64LittleEndian(ulong value, byte[] buffer, int offset)
    {
        StoreUInt32LittleEndian((uint)value, buffer, offset);
        StoreUInt32LittleEndian((uint)(value >> 32), buffer, offset + 4);
    }

    /// <summary>Throws when [offset, offset + count) does not lie inside <paramref name="buffer"/>.</summary>
    public static void CheckRange(byte[] buffer, int offset, int count, string name)
    {
        if (buffer == null)
        {
            throw new ArgumentNullException(name);
        }

        if (offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            throw new ArgumentOutOfRangeException(name, "offset and length lie outside the buffer");
        }
    }
}
