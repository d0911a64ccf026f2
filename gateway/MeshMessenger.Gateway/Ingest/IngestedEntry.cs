namespace MeshMessenger.Gateway.Ingest;

/// <summary>An entry the gateway has just stored: what the links forward.</summary>
/// <param name="Author">Node id of the author.</param>
/// <param name="Sequence">Its sequence number.</param>
/// <param name="Hint">Recipient or channel hint from the entry header.</param>
/// <param name="Encoded">The signed entry.</param>
/// <param name="Source">The link it came in on.</param>
/// <param name="Origin">Which peer on that link (an address, a broker client id), if known.</param>
/// <param name="LocalOnly">The sender's frame asked to stay on the mesh: never published to MQTT.</param>
/// <param name="Relay">The relay byte of the frame that brought it (the last fragment's, for a reassembled entry); 0 for a bare entry.</param>
public sealed record IngestedEntry(uint Author, uint Sequence, byte Hint, byte[] Encoded, IngestSource Source, string? Origin, bool LocalOnly = false, byte Relay = 0);
