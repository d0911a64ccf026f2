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

    [Fact]
    public void Matches_the_bitwise_definition_and_runs_in_pieces_on_random_data()
    {
        var random = new Random(3);
        for (int length = 0; length < 600; length += 37)
        {
            var data = new byte[length];
            random.NextBytes(data);
            uint bitwise = 0xFFFFFFFF;
            foreach (byte b in data)
            {
                bitwise ^= b;
                for (int bit = 0; bit < 8; bit++)
                {
                    bitwise = (bitwise & 1) != 0 ? (bitwise >> 1) ^ 0xEDB88320 : bitwise >> 1;
                }
            }

            int half = length / 2;
            uint pieces = Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, data, 0, half), data, half, length - half));
            Assert.Equal(~bitwise, Crc32.Compute(data, 0, length));
            Assert.Equal(~bitwise, pieces);
        }
    }
}
