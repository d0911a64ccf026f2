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

    /// <summary>A piece that contradicts what is held (other bytes at an index of the same split); the message is dropped.</summary>
    Conflict,

    /// <summary>The pieces would exceed the largest entry; the message is dropped.</summary>
    TooLarge,

    /// <summary>The message was already completed recently; ignored.</summary>
    AlreadyCompleted,
}
