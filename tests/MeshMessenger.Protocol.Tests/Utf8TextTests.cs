using System.Text;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>Our UTF-8 codec (nanoFramework has no System.Text.Encoding) against RFC 3629 and .NET's strict codec.</summary>
public sealed class Utf8TextTests
{
    private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);

    [Theory]
    // RFC 3629 section 7 examples.
    [InlineData("A\u2262\u0391.", "41e289a2ce912e")]
    [InlineData("\uD55C\uAD6D\uC5B4", "ed959ceab5adec96b4")]
    [InlineData("\u65E5\u672C\u8A9E", "e697a5e69cace8aa9e")]
    [InlineData("\uFEFF\u00A3", "efbbbfc2a3")] // U+FEFF is kept: it is a character, not a signature, to this codec
    [InlineData("\U000233B4", "f0a38eb4")]
    // Boundaries of each length (RFC 3629 section 4).
    [InlineData("\u007F", "7f")]
    [InlineData("\u0080", "c280")]
    [InlineData("\u07FF", "dfbf")]
    [InlineData("\u0800", "e0a080")]
    [InlineData("\uD7FF", "ed9fbf")]
    [InlineData("\uE000", "ee8080")]
    [InlineData("\uFFFF", "efbfbf")]
    [InlineData("\U00010000", "f0908080")]
    [InlineData("\U0010FFFF", "f48fbfbf")]
    [InlineData("", "")]
    public void Encodes_and_decodes_the_RFC_examples(string text, string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        Assert.Equal(bytes, Utf8Text.GetBytes(text));
        Assert.Equal(text, Utf8Text.Decode(bytes, 0, bytes.Length));
    }

    [Theory]
    [InlineData("c0af")]       // overlong '/'
    [InlineData("e080af")]     // overlong '/'
    [InlineData("f08080af")]   // overlong '/'
    [InlineData("c1bf")]       // overlong
    [InlineData("e09fbf")]     // overlong U+07FF
    [InlineData("f08fbfbf")]   // overlong U+FFFF
    [InlineData("eda080")]     // U+D800 encoded
    [InlineData("edbfbf")]     // U+DFFF encoded
    [InlineData("eda0bdedb2a9")] // a surrogate pair encoded as two 3-byte forms (CESU-8)
    [InlineData("f4908080")]   // U+110000
    [InlineData("f5808080")]   // lead byte beyond F4
    [InlineData("ff")]
    [InlineData("fe")]
    [InlineData("80")]         // stray continuation
    [InlineData("41bf")]
    [InlineData("c3")]         // truncated
    [InlineData("e282")]       // truncated
    [InlineData("f09f98")]     // truncated
    [InlineData("c341")]       // continuation missing
    [InlineData("e28241")]
    [InlineData("f09f9841")]
    public void Refuses_ill_formed_input(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        Assert.Null(Utf8Text.Decode(bytes, 0, bytes.Length));
        Assert.Throws<DecoderFallbackException>(() => Strict.GetString(bytes));
    }

    [Fact]
    public void Lone_surrogates_encode_as_the_replacement_character_as_Encoding_UTF8_does()
    {
        foreach (string text in new[] { "a\uD800b", "\uDC00", "x\uD83D", "\uDE00\uD83D" })
        {
            Assert.Equal(Encoding.UTF8.GetBytes(text), Utf8Text.GetBytes(text));
        }

        Assert.Equal(Convert.FromHexString("61efbfbd62"), Utf8Text.GetBytes("a\uD800b"));
    }

    [Fact]
    public void Decodes_a_slice_of_a_buffer()
    {
        byte[] bytes = Convert.FromHexString("ff41c3a9ff");
        Assert.Equal("Aé", Utf8Text.Decode(bytes, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Utf8Text.Decode(bytes, 3, 3));
    }

    [Fact]
    public void Random_bytes_decode_or_are_refused_exactly_as_the_strict_dotnet_decoder_does()
    {
        // 20,000 byte strings biased towards UTF-8 structure (lead and continuation bytes), so both the valid and the
        // refused paths are taken often.
        var random = new Random(3629);
        int valid = 0;
        for (int n = 0; n < 20000; n++)
        {
            var bytes = new byte[random.Next(0, 12)];
            for (int i = 0; i < bytes.Length; i++)
            {
                int pick = random.Next(6);
                bytes[i] = pick switch
                {
                    0 => (byte)random.Next(0x80),
                    1 => (byte)(0x80 + random.Next(0x40)),
                    2 => (byte)(0xC0 + random.Next(0x20)),
                    3 => (byte)(0xE0 + random.Next(0x10)),
                    4 => (byte)(0xF0 + random.Next(0x10)),
                    _ => (byte)random.Next(256),
                };
            }

            string? expected;
            try
            {
                expected = Strict.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                expected = null;
            }

            Assert.Equal(expected, Utf8Text.Decode(bytes, 0, bytes.Length));
            valid += expected == null ? 0 : 1;
        }

        Assert.InRange(valid, 1000, 19000); // both outcomes were exercised
    }

    [Fact]
    public void Random_strings_encode_as_dotnet_does_and_decode_back()
    {
        var random = new Random(16);
        for (int n = 0; n < 20000; n++)
        {
            var chars = new char[random.Next(0, 10)];
            for (int i = 0; i < chars.Length; i++)
            {
                int pick = random.Next(5);
                chars[i] = pick switch
                {
                    0 => (char)random.Next(0x80),
                    1 => (char)random.Next(0x80, 0x800),
                    2 => (char)random.Next(0xD800, 0xE000), // surrogates, paired or not
                    _ => (char)random.Next(0x10000),
                };
            }

            string text = new string(chars);
            byte[] expected = Encoding.UTF8.GetBytes(text);
            byte[] bytes = Utf8Text.GetBytes(text);
            Assert.Equal(expected, bytes);
            Assert.Equal(Strict.GetString(bytes), Utf8Text.Decode(bytes, 0, bytes.Length));
        }
    }

    [Fact]
    public void WithoutNul_removes_every_nul_as_Replace_does()
    {
        foreach (string text in new[] { string.Empty, "abc", "\0", "a\0b\0\0c\0", "\0\0" })
        {
            Assert.Equal(text.Replace("\0", string.Empty, StringComparison.Ordinal), Utf8Text.WithoutNul(text));
        }
    }
}
