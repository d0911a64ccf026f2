using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

public sealed class WireTests
{
    [Theory]
    [InlineData(0u, "00")]
    [InlineData(127u, "7f")]
    [InlineData(128u, "8001")]
    [InlineData(300u, "ac02")]
    [InlineData(16383u, "ff7f")]
    [InlineData(16384u, "808001")]
    [InlineData(uint.MaxValue, "ffffffff0f")]
    public void Varint_matches_protobuf_encoding(uint value, string hex)
    {
        var writer = new ByteWriter(5);
        writer.WriteVarint(value);
        Assert.Equal(hex, Convert.ToHexStringLower(writer.ToArray()));
        Assert.Equal(hex.Length / 2, Varint.SizeOf(value));
        byte[] bytes = Convert.FromHexString(hex);
        Assert.Equal(bytes.Length, Varint.TryRead(bytes, 0, bytes.Length, out uint read));
        Assert.Equal(value, read);
    }

    [Theory]
    [InlineData("8000")]       // 0 in two bytes
    [InlineData("ff7f00")]     // not shortest... and trailing group zero
    [InlineData("ffffffff1f")] // more than 32 bits
    [InlineData("ffffffffff")] // never ends
    [InlineData("80")]         // truncated
    public void Varint_refuses_non_canonical_and_oversized_forms(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        int end = Varint.TryRead(bytes, 0, bytes.Length, out _);
        Assert.True(end < 0 || end < bytes.Length, $"{hex} read as a complete varint");
        if (hex is "8000" or "ffffffff1f" or "ffffffffff" or "80")
        {
            Assert.Equal(-1, end);
        }
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("66", "MY")]
    [InlineData("666f", "MZXQ")]
    [InlineData("666f6f", "MZXW6")]
    [InlineData("666f6f62", "MZXW6YQ")]
    [InlineData("666f6f6261", "MZXW6YTB")]
    [InlineData("666f6f626172", "MZXW6YTBOI")]
    public void Base32_matches_rfc4648_section_10(string hex, string text)
    {
        byte[] data = Convert.FromHexString(hex);
        Assert.Equal(text, Base32.Encode(data, 0, data.Length));
        Assert.Equal(data, Base32.Decode(text, 64));
    }

    [Fact]
    public void Base32_refuses_bad_characters_and_nonzero_padding()
    {
        Assert.Null(Base32.Decode("MY1", 64));
        Assert.Null(Base32.Decode("MZ", 64)); // 'Z' leaves non-zero padding bits
        Assert.Null(Base32.Decode("MZXW6YTBOI", 3));
    }

    [Fact]
    public void Utf8_decoding_is_strict()
    {
        Assert.Equal("é", Utf8Text.Decode([0xC3, 0xA9], 0, 2));
        Assert.Null(Utf8Text.Decode([0xC3], 0, 1));
        Assert.Null(Utf8Text.Decode([0xFF, 0x41], 0, 2));
        Assert.Null(Utf8Text.Decode([0xC0, 0x80], 0, 2)); // overlong NUL
    }
}
