using System;

namespace MeshMessenger.Protocol.Wire;

/// <summary>
/// The plaintext of a public or channel post (docs/protocol.md §4.3): UTF-8 text, optionally followed by one
/// attachment as a 0x00 byte, a media type byte and the media bytes. Text never carries U+0000 (it is
/// removed on compose), so the first zero byte is the boundary, and a reader that predates attachments still
/// finds the text before it. A photo rides inside its post's entry; the frame layer fragments the entry
/// for LoRa (§6), so a post is complete or absent, never a post without its photo.
/// </summary>
public sealed class PostBody
{
    /// <summary>No attachment.</summary>
    public const byte NoMedia = 0;

    /// <summary>A WebP image.</summary>
    public const byte WebpImage = 1;

    /// <summary>A JPEG image.</summary>
    public const byte JpegImage = 2;

    private PostBody(string text, byte mediaType, byte[]? media)
    {
        Text = text;
        MediaType = mediaType;
        Media = media;
    }

    /// <summary>The post's text.</summary>
    public string Text { get; }

    /// <summary>The attachment's type (<see cref="NoMedia"/> if none).</summary>
    public byte MediaType { get; }

    /// <summary>The attachment's bytes, or null.</summary>
    public byte[]? Media { get; }

    /// <summary>Encodes a post; <paramref name="media"/> may be null (then <paramref name="mediaType"/> is ignored).</summary>
    public static byte[] Encode(string text, byte mediaType, byte[]? media)
    {
        byte[] utf8 = Utf8Text.GetBytes(Utf8Text.WithoutNul(text));
        if (media == null || media.Length == 0)
        {
            return utf8;
        }

        if (mediaType == NoMedia)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "an attachment needs a media type");
        }

        var body = new byte[utf8.Length + 2 + media.Length];
        Array.Copy(utf8, body, utf8.Length);
        body[utf8.Length] = 0;
        body[utf8.Length + 1] = mediaType;
        Array.Copy(media, 0, body, utf8.Length + 2, media.Length);
        return body;
    }

    /// <summary>Decodes untrusted post bytes; null if the text is not UTF-8 or an attachment is cut short or untyped.</summary>
    public static PostBody? TryDecode(byte[] data, int offset, int count)
    {
        int zero = -1;
        for (int i = 0; i < count; i++)
        {
            if (data[offset + i] == 0)
            {
                zero = i;
                break;
            }
        }

        string? text = Utf8Text.Decode(data, offset, zero < 0 ? count : zero);
        if (text == null)
        {
            return null;
        }

        if (zero < 0)
        {
            return new PostBody(text, NoMedia, null);
        }

        int mediaLength = count - zero - 2;
        if (mediaLength <= 0 || data[offset + zero + 1] == NoMedia)
        {
            return null;
        }

        var media = new byte[mediaLength];
        Array.Copy(data, offset + zero + 2, media, 0, mediaLength);
        return new PostBody(text, data[offset + zero + 1], media);
    }
}
