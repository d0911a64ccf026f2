namespace MeshMessenger.Gateway.Ingest;

/// <summary>An entry the gateway has just stored: what the links forward.</summary>
public sealed record IngestedEntry(uint Author, uint Sequence, byte Hint, byte[] Encoded, IngestSource Source, string? Origin);
