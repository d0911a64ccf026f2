namespace MeshMessenger.Gateway.Web;

/// <summary>
/// A photo small enough for a post: its bytes, media type (<see cref="Protocol.Wire.PostBody"/>), size, the WebP
/// quality used, and the size the upload was decoded at (sampled while decoding, so never the full size of a large picture).
/// </summary>
public sealed record ShrunkPhoto(byte[] Bytes, byte MediaType, int Width, int Height, int Quality, int DecodedWidth, int DecodedHeight);
