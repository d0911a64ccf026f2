using MeshMessenger.Protocol.Wire;
using SkiaSharp;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Turns an uploaded photo into one that a post can carry over LoRa (docs/protocol.md §3.4): at most
/// <see cref="MaxBytes"/> of WebP, 160 px on the long side at first, at the highest quality that fits; if
/// even quality 10 does not fit, the picture gets smaller. 1,024 bytes cross LoRa as 5 to 6 fragments.
/// </summary>
public static class PhotoShrinker
{
    /// <summary>The largest photo a post carries.</summary>
    public const int MaxBytes = 1024;

    /// <summary>Uploads larger than this are refused before decoding (bounded memory).</summary>
    public const int MaxUploadBytes = 8 * 1024 * 1024;

    /// <summary>Largest picture decoded, in pixels (40 MP: a 160 MB bitmap at most).</summary>
    public const long MaxPixels = 40_000_000;

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

        using SKBitmap? original = SKBitmap.Decode(codec);
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
                    return new ShrunkPhoto(data.ToArray(), PostBody.WebpImage, info.Width, info.Height, quality);
                }
            }
        }

        return null;
    }
}
