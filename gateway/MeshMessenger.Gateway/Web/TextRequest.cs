namespace MeshMessenger.Gateway.Web;

/// <summary>Body of POST /api/devices/{id}/chats/{peer}.</summary>
public sealed record TextRequest(string? Text);
