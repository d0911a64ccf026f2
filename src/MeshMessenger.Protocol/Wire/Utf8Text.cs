using System;

namespace MeshMessenger.Protocol.Wire;

/// <summary>Strict UTF-8 for untrusted text: invalid sequences are refused, not replaced.</summary>
public static class Utf8Text
{
    /// <summary>UTF-8 bytes of a string.</summary>
    public static byte[] GetBytes(string text)
    {
        return System.Text.Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// Decodes bytes as UTF-8, or returns null if they are not exactly the encoding of some string.
    /// The round trip is the check: a decoder that substitutes U+FFFD for bad input cannot re-encode it
    /// to the same bytes, and this works the same on nanoFramework's encoder.
    /// </summary>
    public static string? Decode(byte[] data, int offset, int count)
    {
        string text = System.Text.Encoding.UTF8.GetString(data, offset, count);
        byte[] again = System.Text.Encoding.UTF8.GetBytes(text);
        if (again.Length != count)
        {
            return null;
        }

        for (int i = 0; i < count; i++)
        {
            if (again[i] != data[offset + i])
            {
                return null;
            }
        }

        return text;
    }

    /// <summary>Truncates UTF-8 bytes to at most <paramref name="maxBytes"/> without cutting a character.</summary>
    public static byte[] Truncate(byte[] utf8, int maxBytes)
    {
        if (utf8.Length <= maxBytes)
        {
            return utf8;
        }

        int end = maxBytes;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80)
        {
            end--;
        }

        var result = new byte[end];
        Array.Copy(utf8, result, end);
        return result;
    }
}
