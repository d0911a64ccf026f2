namespace MeshMessenger.Protocol.Frames;

/// <summary>What the <see cref="Reassembler"/> did with a fragment.</summary>
public enum ReassemblyStatus
{
    /// <summary>Kept; more pieces are needed.</summary>
    Stored,

    /// <summary>The last missing piece: the entry's bytes are ready.</summary>
    Completed,

    /// <summary>The same piece again (a relay's copy, a retransmission); ignored.</summary>
    Duplicate,

    /// <summary>
    /// The last missing piece, but no combination of the pieces held (first-arrived and alternatives) hashes to the
    /// message id (docs/protocol.md §5.2): junk pieces, or the genuine one was not kept; the message is dropped.
    /// </summary>
    Conflict,

    /// <summary>The pieces would exceed the largest entry; the message is dropped.</summary>
    TooLarge,

    /// <summary>The message was already completed recently; ignored.</summary>
    AlreadyCompleted,

    /// <summary>Other bytes at an index that holds a piece: kept as that index's alternative until the message completes.</summary>
    AlternativeKept,

    /// <summary>
    /// Other bytes at an index that holds a piece, past the limits (the index already has an alternative, or
    /// <see cref="Reassembler.MaxContestedIndexes"/> indexes or <see cref="Reassembler.MaxAlternativeBytes"/> are used):
    /// ignored; the message goes on.
    /// </summary>
    AlternativeIgnored,
}
