namespace MeshMessenger.Gateway.Web;

/// <summary>Body of POST /api/devices/{id}/channels: an invite to join, or a name to create a new channel.</summary>
public sealed record ChannelRequest(string? Name, string? Invite);
