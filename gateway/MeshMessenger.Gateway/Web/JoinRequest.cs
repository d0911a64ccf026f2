namespace MeshMessenger.Gateway.Web;

/// <summary>Body of POST /api/people.</summary>
public sealed record JoinRequest(string? Name);
