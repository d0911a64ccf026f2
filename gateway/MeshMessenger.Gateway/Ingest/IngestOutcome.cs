namespace MeshMessenger.Gateway.Ingest;

/// <summary>What became of one frame. Everything but <see cref="Stored"/> is a drop, counted by reason.</summary>
public enum IngestOutcome
{
    /// <summary>Verified and stored (new).</summary>
    Stored,

    /// <summary>Already held with the same hash: a duplicate or a replay.</summary>
    Duplicate,

    /// <summary>Not a valid frame or entry.</summary>
    Malformed,

    /// <summary>The signature does not verify.</summary>
    BadSignature,

    /// <summary>The author's key is not known, so the entry cannot be verified yet.</summary>
    UnknownAuthor,

    /// <summary>A second entry for an (author, sequence) already held: kept as evidence, not stored.</summary>
    Fork,

    /// <summary>Links to its neighbours do not match.</summary>
    BrokenLink,

    /// <summary>Refused by the chain rules (for example a second key for a known node id).</summary>
    Invalid,

    /// <summary>The link address that sent it has spent its share of frames (<see cref="LinkBudgets"/>); nothing was verified or stored.</summary>
    RateLimited,

    /// <summary>A frame type the gateway does not store (sync, acknowledgements, fragments).</summary>
    NotStored,

    /// <summary>The store could not write it (a full disk, a broken file); nothing was kept.</summary>
    StoreFailed,
}
