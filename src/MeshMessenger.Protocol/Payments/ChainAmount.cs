using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Payments;

/// <summary>
/// An amount in a chain's base units (wei, satoshi) on the wire (docs/protocol.md, "Payments"): a length byte 0..32
/// and that many big-endian unsigned bytes, canonical (no leading zero byte; zero is length 0). A 256-bit EVM
/// value fits; the subset has no big integers, so amounts stay byte arrays here and the wallet converts them.
/// </summary>
public static class ChainAmount
{
    /// <summary>Most bytes of an amount (256 bits).</summary>
    public const int MaxBytes = 32;

    /// <summary>True if <paramref name="amount"/> is at most 32 bytes with no leading zero byte.</summary>
    public static bool IsCanonical(byte[] amount)
    {
        return amount != null && amount.Length <= MaxBytes && (amount.Length == 0 || amount[0] != 0);
    }

    /// <summary>Bytes <see cref="Write"/> takes.</summary>
    public static int SizeOf(byte[] amount) => 1 + amount.Length;

    /// <summary>The canonical amount of a 64-bit value.</summary>
    public static byte[] FromUInt64(ulong value)
    {
        int length = 0;
        for (ulong v = value; v != 0; v >>= 8)
        {
            length++;
        }

        var result = new byte[length];
        for (int i = length - 1; i >= 0; i--)
        {
            result[i] = (byte)value;
            value >>= 8;
        }

        return result;
    }

    /// <summary>Writes the length byte and the bytes; refuses a non-canonical amount.</summary>
    public static void Write(ByteWriter writer, byte[] amount)
    {
        if (!IsCanonical(amount))
        {
            throw new ProtocolException(ProtocolError.InvalidField, "an amount is at most 32 big-endian bytes without a leading zero");
        }

        writer.WriteByte(amount.Length);
        writer.WriteBytes(amount);
    }

    /// <summary>Reads an amount from untrusted bytes; a length over 32 or a leading zero byte is <see cref="ProtocolError.InvalidField"/>.</summary>
    public static ProtocolError TryRead(ByteReader reader, out byte[]? amount)
    {
        amount = null;
        int length = reader.ReadByte();
        if (length < 0)
        {
            return ProtocolError.Truncated;
        }

        if (length > MaxBytes)
        {
            return ProtocolError.InvalidField;
        }

        byte[]? bytes = reader.ReadBytes(length);
        if (bytes == null)
        {
            return ProtocolError.Truncated;
        }

        if (length > 0 && bytes[0] == 0)
        {
            return ProtocolError.InvalidField;
        }

        amount = bytes;
        return ProtocolError.None;
    }
}
