using System.Text;
using MeshMessenger.Device.Storage;

namespace MeshMessenger.Device.Tests;

public sealed class Crc32Tests
{
    [Theory]
    [InlineData("123456789", 0xCBF43926u)] // the IEEE 802.3 / zlib check value
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    [InlineData("", 0u)]
    public void Matches_known_values(string text, uint crc)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        Assert.Equal(crc, Crc32.Compute(data, 0, data.Length));
    }
}
