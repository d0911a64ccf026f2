namespace MeshMessenger.Gateway.Web;

/// <summary>Body of POST /api/devices/{id}/contacts: the scanned card text.</summary>
public sealed record CardRequest(string? Card);
