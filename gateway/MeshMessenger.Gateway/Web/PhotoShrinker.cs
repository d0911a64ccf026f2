using MeshMessenger.Protocol.Wire;
using SkiaSharp;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Turns an uploaded photo into one that a post can carry over LoRa (docs/protocol.md §3.4): at most
/// <see cref="MaxBytes"/> of WebP, 160 px on the long side at first, at the highest quality that fits; if
/// even quality 10 does not fit, the picture gets smaller. 1,024 bytes cross LoRa as 5 to 6 fragments.
/// A large JPEG or WebP is scaled while it is decoded, so it is never held in memory at full size; a PNG or GIF,
/// whose codec cannot scale, is decoded only up to <see cref="MaxWholeDecodePixels"/>.
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
    /// Largest picture decoded at full size, in pixels (8 MP, a 32 MB bitmap): JPEG and WebP are scaled while they are
    /// decoded (JPEG by eighths), so only pictures whose codec cannot scale (PNG, GIF) are held whole, and only up to this.
    /// </summary>
    public const long MaxWholeDecodePixels = 8_000_000;

    /// <summary>A larger picture is decoded at the smallest scale its codec offers that keeps this many pixels on its long side.</summary>
    public const int DecodeSide = 320;

    private static readonly int[] Sides = [160, 128, 96, 64];

    /// <summary>The shrunk photo, or null if <paramref name="upload"/> is not an image Skia can decode.</summary>
    public static ShrunkPhoto? Shrink(byte[] upload) => Shrink(upload, out _);

    /// <summary>The shrunk photo, or null with the reason in <paramref name="refusal"/>.</summary>
    public static ShrunkPhoto? Shrink(byte[] upload, out string refusal)
    {
        refusal = "that file is not a picture this gateway can read (JPEG, PNG, WebP or GIF)";
        // SKCodec.Create answers null for bytes it does not recognise; SKBitmap.Decode would throw.
        using var stream = new SKMemoryStream(upload);
        using SKCodec? codec = SKCodec.Create(stream);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            return null;
        }

        // A tiny file can claim a huge picture (a decompression bomb): the size in its header is checked before decoding.
        long pixels = (long)codec.Info.Width * codec.Info.Height;
        if (pixels > MaxPixels || (pixels > MaxWholeDecodePixels && !CanScale(codec)))
        {
            refusal = $"that file is not a picture this gateway can shrink: it says it is {codec.Info.Width} × {codec.Info.Height} pixels, and this gateway takes JPEG and WebP up to {MaxPixels / 1_000_000} megapixels, PNG and GIF up to {MaxWholeDecodePixels / 1_000_000}";
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

    /// <summary>Decodes at the smallest scale the codec offers that keeps <see cref="DecodeSide"/> on the long side; whole if it cannot scale.</summary>
    private static SKBitmap? DecodeSampled(SKCodec codec)
    {
        SKImageInfo full = codec.Info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Premul);
        SKSizeI scaled = codec.GetScaledDimensions(Math.Min(1f, (float)DecodeSide / Math.Max(full.Width, full.Height)));
        return scaled.Width > 0 && scaled.Height > 0 ? DecodeWhole(codec, full.WithSize(scaled.Width, scaled.Height)) : null;
    }

    private static bool CanScale(SKCodec codec) => codec.GetScaledDimensions(0.125f).Width < codec.Info.Width;

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
}
