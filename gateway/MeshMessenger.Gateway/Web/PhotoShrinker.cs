using System.Runtime.InteropServices;
using MeshMessenger.Protocol.Wire;
using SkiaSharp;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Turns an uploaded photo into one that a post can carry over LoRa (docs/protocol.md §3.4): at most
/// <see cref="MaxBytes"/> of WebP, 160 px on the long side at first, at the highest quality that fits; if
/// even quality 10 does not fit, the picture gets smaller. 1,024 bytes cross LoRa as 5 to 6 fragments.
/// A large picture is sampled while it is decoded, so it is never held in memory at full size.
/// </summary>
public static class PhotoShrinker
{
    /// <summary>The largest photo a post carries.</summary>
    public const int MaxBytes = 1024;

    /// <summary>Uploads larger than this are refused before decoding (bounded memory).</summary>
    public const int MaxUploadBytes = 8 * 1024 * 1024;

    /// <summary>Largest picture accepted, in pixels (40 MP); larger ones are refused before decoding.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>
    /// Largest picture decoded at full size, in pixels (4 MP, a 16 MB bitmap): only formats that can be sampled
    /// neither by the codec (JPEG, WebP) nor line by line (non-interlaced PNG) are decoded whole.
    /// </summary>
    public const long MaxWholeDecodePixels = 4_000_000;

    /// <summary>A large picture is decoded with its long side between this and twice this, in pixels.</summary>
    public const int DecodeSide = 320;

    private static readonly int[] Sides = [160, 128, 96, 64];

    /// <summary>The shrunk photo, or null if <paramref name="upload"/> is not an image Skia can decode.</summary>
    public static ShrunkPhoto? Shrink(byte[] upload)
    {
        // SKCodec.Create answers null for bytes it does not recognise; SKBitmap.Decode would throw.
        using var stream = new SKMemoryStream(upload);
        using SKCodec? codec = SKCodec.Create(stream);
        // A tiny file can claim a huge picture (a decompression bomb): refuse more than 40 megapixels before decoding.
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0 || (long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            return null;
        }

        using SKBitmap? original = DecodeSampled(codec);
        if (original is null || original.Width == 0 || original.Height == 0)
        {
            return null;
        }

        foreach (int side in Sides)
        {
            double scale = Math.Min(1.0, (double)side / Math.Max(original.Width, original.Height));
            var info = new SKImageInfo(Math.Max(1, (int)Math.Round(original.Width * scale)), Math.Max(1, (int)Math.Round(original.Height * scale)));
            using SKBitmap resized = original.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell));
            using SKImage image = SKImage.FromBitmap(resized);
            for (int quality = 70; quality >= 10; quality -= 10)
            {
                using SKData data = image.Encode(SKEncodedImageFormat.Webp, quality);
                if (data.Size <= MaxBytes)
                {
                    return new ShrunkPhoto(data.ToArray(), PostBody.WebpImage, info.Width, info.Height, quality, original.Width, original.Height);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Decodes one pixel in <c>sample</c> along each axis, where <c>sample</c> leaves the long side between
    /// <see cref="DecodeSide"/> and twice that: in the codec where it scales (JPEG by eighths, WebP), else line by line,
    /// keeping the middle row and column of each sample block as Skia's SkSampledCodec does. Null if it cannot.
    /// </summary>
    private static SKBitmap? DecodeSampled(SKCodec codec)
    {
        SKImageInfo full = codec.Info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Premul);
        int sample = Math.Max(1, Math.Max(full.Width, full.Height) / DecodeSide);
        if (sample > 1)
        {
            SKSizeI scaled = codec.GetScaledDimensions(1f / sample);
            if (scaled.Width < full.Width && scaled.Width > 0 && scaled.Height > 0)
            {
                return DecodeWhole(codec, full.WithSize(scaled.Width, scaled.Height));
            }

            if (codec.StartScanlineDecode(full) == SKCodecResult.Success && codec.ScanlineOrder == SKCodecScanlineOrder.TopDown)
            {
                return DecodeLines(codec, full, sample);
            }
        }

        return (long)full.Width * full.Height <= MaxWholeDecodePixels ? DecodeWhole(codec, full) : null;
    }

    private static SKBitmap? DecodeWhole(SKCodec codec, SKImageInfo info)
    {
        var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is SKCodecResult.Success or SKCodecResult.IncompleteInput)
        {
            return bitmap;
        }

        bitmap.Dispose();
        return null;
    }

    private static SKBitmap DecodeLines(SKCodec codec, SKImageInfo full, int sample)
    {
        int width = Math.Max(1, full.Width / sample);
        int height = Math.Max(1, full.Height / sample);
        var bitmap = new SKBitmap(full.WithSize(width, height));
        using var line = new SKBitmap(full.WithSize(full.Width, 1));
        byte[] source = new byte[full.Width * 4];
        byte[] target = new byte[width * 4];
        int next = 0; // the next line the codec will give
        for (int y = 0; y < height; y++)
        {
            int wanted = (y * sample) + (sample / 2);
            codec.SkipScanlines(wanted - next);
            // A truncated file leaves the rest of the line as the codec filled it; the picture is still shown.
            codec.GetScanlines(line.GetPixels(), 1, line.RowBytes);
            next = wanted + 1;
            Marshal.Copy(line.GetPixels(), source, 0, source.Length);
            for (int x = 0; x < width; x++)
            {
                Array.Copy(source, ((x * sample) + (sample / 2)) * 4, target, x * 4, 4);
            }

            Marshal.Copy(target, 0, bitmap.GetPixels() + (y * bitmap.RowBytes), target.Length);
        }

        return bitmap;
    }
}
