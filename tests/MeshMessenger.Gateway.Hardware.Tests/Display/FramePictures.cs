using MeshMessenger.Gateway.Hardware.Display;
using SkiaSharp;

namespace MeshMessenger.Gateway.Hardware.Tests.Display;

/// <summary>
/// Display frames as PNG files: the expected pictures in tests/vectors/display (one image pixel per display pixel,
/// lit white) and the pictures in docs/images (each display pixel a 4×4 block in an OLED's blue-white on black).
/// MM_WRITE_VECTORS=1 rewrites both from what the display showed, as tests/Shared/GeneratedVectors.cs does for text.
/// </summary>
internal static class FramePictures
{
    public const int DocScale = 4;

    private static readonly SKColor Lit = new(0xC8, 0xE6, 0xFF);

    private static readonly SKColor Dark = new(0x05, 0x08, 0x0C);

    public static string ExpectedPath(string name) => Path.Combine(SourceTree.Root, "tests", "vectors", "display", name + ".png");

    public static string DocPath(string name) => Path.Combine(SourceTree.Root, "docs", "images", "display-" + name + ".png");

    /// <summary>Requires <paramref name="shown"/> to equal the expected picture pixel by pixel, naming the first difference.</summary>
    public static void AssertExpected(string name, MonoFrame shown)
    {
        if (Environment.GetEnvironmentVariable("MM_WRITE_VECTORS") == "1")
        {
            Write(ExpectedPath(name), shown, 1, SKColors.White, SKColors.Black);
            Write(DocPath(name), shown, DocScale, Lit, Dark);
        }

        Assert.True(File.Exists(ExpectedPath(name)), $"missing {ExpectedPath(name)}: run with MM_WRITE_VECTORS=1 once");
        AssertSame(Read(ExpectedPath(name), 1), shown, ExpectedPath(name));
        AssertSame(Read(DocPath(name), DocScale), shown, DocPath(name));
    }

    /// <summary>The frame a PNG shows, reading the centre of each <paramref name="scale"/>-pixel block.</summary>
    public static MonoFrame Read(string path, int scale)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException(path + " is not a PNG");
        Assert.Equal((MonoFrame.Width * scale, MonoFrame.Height * scale), (bitmap.Width, bitmap.Height));
        var frame = new MonoFrame();
        for (int y = 0; y < MonoFrame.Height; y++)
        {
            for (int x = 0; x < MonoFrame.Width; x++)
            {
                SKColor c = bitmap.GetPixel((x * scale) + (scale / 2), (y * scale) + (scale / 2));
                frame[x, y] = c.Red + c.Green + c.Blue > 3 * 128;
            }
        }

        return frame;
    }

    private static void AssertSame(MonoFrame expected, MonoFrame shown, string source)
    {
        for (int y = 0; y < MonoFrame.Height; y++)
        {
            for (int x = 0; x < MonoFrame.Width; x++)
            {
                Assert.True(expected[x, y] == shown[x, y], $"{source}: pixel ({x}, {y}) should be {(expected[x, y] ? "lit" : "dark")}");
            }
        }
    }

    private static void Write(string path, MonoFrame frame, int scale, SKColor lit, SKColor dark)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(MonoFrame.Width * scale, MonoFrame.Height * scale, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                bitmap.SetPixel(x, y, frame[x / scale, y / scale] ? lit : dark);
            }
        }

        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }
}
