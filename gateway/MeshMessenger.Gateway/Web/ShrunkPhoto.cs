namespace MeshMessenger.Gateway.Web;

/// <summary>A photo small enough for a post: its bytes, media type (<see cref="Protocol.Wire.PostBody"/>), size and the WebP quality used.</summary>
public sealed record ShrunkPhoto(byte[] Bytes, byte MediaType, int Width, int Height, int Quality);
