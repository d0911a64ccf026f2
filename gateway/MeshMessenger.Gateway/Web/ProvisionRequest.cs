namespace MeshMessenger.Gateway.Web;

/// <summary>Body of POST /api/provision.</summary>
public sealed record ProvisionRequest(string? Name);
