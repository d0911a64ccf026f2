using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Gateway.Ingest;

/// <summary>An entry the gateway has just stored: what the links forward.</summary>
/// <param name="Author">Node id of the author.</param>
/// <param name="Sequence">Its sequence number.</param>
/// <param name="Hint">Recipient or channel hint from the entry header.</param>
/// <param name="Sealing">How the body is sealed: only a direct entry's hint names a recipient (docs/protocol.md §3.1).</param>
/// <param name="Encoded">The signed entry.</param>
/// <param name="Source">The link it came in on.</param>
/// <param name="Origin">Which peer on that link (an address, a broker client id), if known.</param>
/// <param name="LocalOnly">The sender's frame asked to stay on the mesh: never published to MQTT.</param>
/// <param name="Relay">The relay byte of the frame that brought it (the last fragment's, for a reassembled entry); 0 for a bare entry.</param>
public sealed record IngestedEntry(uint Author, uint Sequence, byte Hint, BodySealing Sealing, byte[] Encoded, IngestSource Source, string? Origin, bool LocalOnly = false, byte Relay = 0)
{
    /// <summary>
    /// Whether the entry may be for <paramref name="hint"/>'s node: sealed direct with that recipient hint. A channel
    /// post carries its channel's hint and a clear entry 0, either of which a node's own hint may equal.
    /// </summary>
    public bool IsAddressedTo(byte hint) => IsDirect && Hint == hint;

    /// <summary>Whether the entry is sealed direct, so its hint names a recipient.</summary>
    public bool IsDirect => Sealing == BodySealing.Direct;
}
