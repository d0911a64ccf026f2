using System;

namespace MeshMessenger.Protocol.Wire;

/// <summary>
/// Strict UTF-8 for untrusted text (RFC 3629): invalid sequences are refused, not replaced. Hand-written because
/// nanoFramework's mscorlib 1.x has no System.Text.Encoding (it lives in the unserved nanoFramework.System.Text
/// package); the behaviour equals .NET's <c>new UTF8Encoding(false, true)</c> for decoding and
/// <c>Encoding.UTF8</c> for encoding, which the tests check on random input.
/// </summary>
public static class Utf8Text
{
    /// <summary>
    /// UTF-8 bytes of a string. A lone surrogate (not part of a high-low pair) becomes U+FFFD (EF BF BD), as
    /// <c>Encoding.UTF8</c> does, so the result is always valid UTF-8.
    /// </summary>
    public static byte[] GetBytes(string text)
    {
        if (text == null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        int size = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                size += 1;
            }
            else if (c < 0x800)
            {
                size += 2;
            }
            else if (IsPair(text, i))
            {
                size += 4;
                i++;
            }
            else
            {
                // Three bytes for the BMP and for U+FFFD replacing a lone surrogate.
                size += 3;
            }
        }

        var bytes = new byte[size];
        int at = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                bytes[at++] = (byte)c;
            }
            else if (c < 0x800)
            {
                bytes[at++] = (byte)(0xC0 | (c >> 6));
                bytes[at++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (IsPair(text, i))
            {
                int scalar = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                i++;
                bytes[at++] = (byte)(0xF0 | (scalar >> 18));
                bytes[at++] = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                bytes[at++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                bytes[at++] = (byte)(0x80 | (scalar & 0x3F));
            }
            else
            {
                if (c >= 0xD800 && c <= 0xDFFF)
                {
                    c = 0xFFFD;
                }

                bytes[at++] = (byte)(0xE0 | (c >> 12));
                bytes[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                bytes[at++] = (byte)(0x80 | (c & 0x3F));
            }
        }

        return bytes;
    }

    /// <summary>
    /// Decodes bytes as UTF-8, or returns null if they are not well-formed UTF-8 (RFC 3629 section 4): overlong
    /// forms, encoded surrogates (U+D800 to U+DFFF), code points above U+10FFFF, stray continuation bytes and
    /// truncated sequences are all refused.
    /// </summary>
    public static string? Decode(byte[] data, int offset, int count)
    {
        if (data == null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        if (offset < 0 || count < 0 || offset > data.Length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        // UTF-16 never needs more code units than UTF-8 has bytes.
        var chars = new char[count];
        int length = 0;
        int i = offset;
        int end = offset + count;
        while (i < end)
        {
            int b0 = data[i];
            if (b0 < 0x80)
            {
                chars[length++] = (char)b0;
                i++;
                continue;
            }

            // RFC 3629 section 4 (UTF8-2, UTF8-3, UTF8-4): the lead byte fixes the length and the range of the
            // second byte; every later byte is 80..BF.
            int need;
            int low = 0x80;
            int high = 0xBF;
            int scalar;
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                need = 1;
                scalar = b0 & 0x1F;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                need = 2;
                scalar = b0 & 0x0F;
                if (b0 == 0xE0)
                {
                    low = 0xA0; // no overlongs
                }
                else if (b0 == 0xED)
                {
                    high = 0x9F; // no surrogates
                }
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                need = 3;
                scalar = b0 & 0x07;
                if (b0 == 0xF0)
                {
                    low = 0x90; // no overlongs
                }
                else if (b0 == 0xF4)
                {
                    high = 0x8F; // nothing above U+10FFFF
                }
            }
            else
            {
                return null;
            }

            if (end - i <= need)
            {
                return null;
            }

            int b1 = data[i + 1];
            if (b1 < low || b1 > high)
            {
                return null;
            }

            scalar = (scalar << 6) | (b1 & 0x3F);
            for (int k = 2; k <= need; k++)
            {
                int b = data[i + k];
                if ((b & 0xC0) != 0x80)
                {
                    return null;
                }

                scalar = (scalar << 6) | (b & 0x3F);
            }

            i += need + 1;
            if (scalar >= 0x10000)
            {
                scalar -= 0x10000;
                chars[length++] = (char)(0xD800 + (scalar >> 10));
                chars[length++] = (char)(0xDC00 + (scalar & 0x3FF));
            }
            else
            {
                chars[length++] = (char)scalar;
            }
        }

        return new string(chars, 0, length);
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

    /// <summary>The string without its U+0000 characters (what <c>text.Replace("\0", "")</c> gives).</summary>
    public static string WithoutNul(string text)
    {
        if (text.IndexOf('\0') < 0)
        {
            return text;
        }

        var chars = new char[text.Length];
        int length = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\0')
            {
                chars[length++] = text[i];
            }
        }

        return new string(chars, 0, length);
    }

    private static bool IsPair(string text, int i)
    {
        return text[i] >= 0xD800 && text[i] <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF;
    }
}
