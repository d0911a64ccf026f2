namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>
/// A 128×64 one-bit picture in the layout of the controller's display memory: eight pages of 128 column bytes,
/// bit 0 the top row of a page (SSD1306 datasheet §8.7, "Graphic Display Data RAM"; the SH1106's is the same with
/// 132 columns). A page goes to the bus as it is.
/// </summary>
public sealed class MonoFrame
{
    /// <summary>Pixels across.</summary>
    public const int Width = 128;

    /// <summary>Pixels down.</summary>
    public const int Height = 64;

    /// <summary>Pages of eight rows.</summary>
    public const int Pages = Height / 8;

    private readonly byte[] _memory = new byte[Width * Pages];

    /// <summary>A pixel; outside the frame reads dark and writes nothing.</summary>
    public bool this[int x, int y]
    {
        get => x is >= 0 and < Width && y is >= 0 and < Height && (_memory[((y >> 3) * Width) + x] & (1 << (y & 7))) != 0;
        set
        {
            if (x is < 0 or >= Width || y is < 0 or >= Height)
            {
                return;
            }

            int i = ((y >> 3) * Width) + x;
            _memory[i] = value ? (byte)(_memory[i] | (1 << (y & 7))) : (byte)(_memory[i] & ~(1 << (y & 7)));
        }
    }

    /// <summary>The frame from display memory bytes (<see cref="Width"/> × <see cref="Pages"/>).</summary>
    public static MonoFrame FromMemory(ReadOnlySpan<byte> memory)
    {
        if (memory.Length != Width * Pages)
        {
            throw new ArgumentException($"display memory is {Width * Pages} bytes, not {memory.Length}", nameof(memory));
        }

        var frame = new MonoFrame();
        memory.CopyTo(frame._memory);
        return frame;
    }

    /// <summary>The 128 column bytes of page <paramref name="page"/> (0-7).</summary>
    public ReadOnlySpan<byte> Page(int page) => _memory.AsSpan(page * Width, Width);

    /// <summary>A copy of the whole display memory.</summary>
    public byte[] ToMemory() => (byte[])_memory.Clone();

    /// <summary>True when both frames light the same pixels.</summary>
    public bool SameAs(MonoFrame other) => _memory.AsSpan().SequenceEqual(other._memory);

    /// <summary>Lit pixels, for tests and checks.</summary>
    public int LitCount() => _memory.Sum(b => System.Numerics.BitOperations.PopCount(b));

    /// <summary>Sets a rectangle to <paramref name="lit"/>, clipped to the frame.</summary>
    public void Fill(int x, int y, int width, int height, bool lit)
    {
        for (int row = y; row < y + height; row++)
        {
            for (int col = x; col < x + width; col++)
            {
                this[col, row] = lit;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> with its top-left at (<paramref name="x"/>, <paramref name="y"/>) in
    /// <see cref="PixelFont"/>, lit on dark or, with <paramref name="inverse"/>, dark on lit; returns the x after it.
    /// </summary>
    public int Text(int x, int y, string text, bool inverse = false)
    {
        foreach (char c in text)
        {
            byte[] glyph = PixelFont.Glyph(c);
            for (int col = 0; col < PixelFont.CellWidth; col++)
            {
                byte bits = col < glyph.Length ? glyph[col] : (byte)0;
                for (int row = 0; row < PixelFont.CellHeight; row++)
                {
                    this[x + col, y + row] = ((bits >> row) & 1) != 0 ^ inverse;
                }
            }

            x += PixelFont.CellWidth;
        }

        return x;
    }
}
