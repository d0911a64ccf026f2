namespace MeshMessenger.Protocol.Wire;

/// <summary>
/// RFC 4648 §6 base32 with the upper-case alphabet and no padding. Upper case because QR codes encode
/// A-Z, 0-9 and a few symbols in alphanumeric mode at 5.5 bits per character (ISO/IEC 18004 §7.4.4),
/// against 8 bits in byte mode, so a contact card's QR code stays small.
/// </summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Encodes bytes as base32 text.</summary>
    public static string Encode(byte[] data, int offset, int count)
    {
        var chars = new char[(count * 8 + 4) / 5];
        int c = 0;
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < count; i++)
        {
            buffer = (buffer << 8) | data[offset + i];
            bits += 8;
            while (bits >= 5)
            {
                chars[c++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[c++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars, 0, c);
    }

    /// <summary>
    /// Decodes base32 text (either case; spaces and dashes ignored so people can group it).
    /// Returns null on any other character or on non-zero padding bits.
    /// </summary>
    public static byte[]? Decode(string text, int maxBytes)
    {
        int digits = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (ch != ' ' && ch != '-')
            {
                digits++;
            }
        }

        int length = digits * 5 / 8;
        if (length > maxBytes)
        {
            return null;
        }

        var result = new byte[length];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (ch == ' ' || ch == '-')
            {
                continue;
            }

            int v = ValueOf(ch);
            if (v < 0)
            {
                return null;
            }

            buffer = ((buffer << 5) | v) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                if (o < length)
                {
                    result[o++] = (byte)(buffer >> (bits - 8));
                }

                bits -= 8;
            }
        }

        // Leftover bits must be zero padding, or two texts would decode to the same bytes.
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0)
        {
            return null;
        }

        return result;
    }

    private static int ValueOf(char ch)
    {
        if (ch >= 'A' && ch <= 'Z')
        {
            return ch - 'A';
        }

        if (ch >= 'a' && ch <= 'z')
        {
            return ch - 'a';
        }

        if (ch >= '2' && ch <= '7')
        {
            return ch - '2' + 26;
        }

        return -1;
    }
}
