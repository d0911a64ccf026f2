namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>Fixed-width big-endian byte strings.</summary>
public static class ByteArrayPadding
{
    /// <summary>Left-pads with zeros to <paramref name="width"/> bytes (throws if longer).</summary>
    public static byte[] PadLeft(this byte[] value, int width)
    {
        if (value.Length > width)
        {
            throw new ArgumentException($"{value.Length} bytes do not fit in {width}", nameof(value));
        }

        var padded = new byte[width];
        value.CopyTo(padded, width - value.Length);
        return padded;
    }
}
