using System.Numerics;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B). A byte string of one byte below
/// 0x80 is itself; otherwise 0x80+length (under 56 bytes) or 0xb7+length-of-length then the length; lists
/// likewise from 0xc0 / 0xf7. Integers are big-endian without leading zeros, and 0 is the empty string.
/// </summary>
public static class Rlp
{
    /// <summary>Encodes a byte string.</summary>
    public static byte[] Bytes(ReadOnlySpan<byte> value) =>
        value.Length == 1 && value[0] < 0x80 ? [value[0]] : [.. Prefix(0x80, value.Length), .. value];

    /// <summary>Encodes a non-negative integer, minimal big-endian.</summary>
    public static byte[] Integer(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "RLP integers are not negative");
        }

        return Bytes(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>Encodes a list of already encoded items.</summary>
    public static byte[] List(params byte[][] items)
    {
        byte[] payload = [.. items.SelectMany(i => i)];
        return [.. Prefix(0xc0, payload.Length), .. payload];
    }

    private static byte[] Prefix(int offset, int length)
    {
        if (length < 56)
        {
            return [(byte)(offset + length)];
        }

        byte[] size = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
        return [(byte)(offset + 55 + size.Length), .. size];
    }
}
