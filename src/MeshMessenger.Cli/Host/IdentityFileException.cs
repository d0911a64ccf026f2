namespace MeshMessenger.Cli.Host;

/// <summary>An identity file is missing, unreadable, or would be overwritten; the message says which and what to do.</summary>
public sealed class IdentityFileException(string message) : Exception(message);
