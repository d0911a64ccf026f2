namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// What <see cref="ChainStore"/> decided about one entry. <see cref="Accepted"/> and <see cref="Gap"/>
/// store the entry; every other verdict stores nothing. Nothing is merged silently: a gap is reported.
/// </summary>
public enum ChainVerdict
{
    /// <summary>Verified and stored; its links to the held neighbouring sequence numbers match (or it is the first held).</summary>
    Accepted,

    /// <summary>The same entry (same hash) is already held: a duplicate, or a replay.</summary>
    Duplicate,

    /// <summary>A different entry with the same author and sequence is held: the author forked the chain.</summary>
    Fork,

    /// <summary>Its link to a held neighbour (the entry before or after) does not match: a fork one step away. Not stored.</summary>
    BrokenLink,

    /// <summary>Verified and stored, but entries of this author are held and the one just before it is not: the link is checked when the gap fills.</summary>
    Gap,

    /// <summary>The signature does not verify under the author's key (forgery or corruption).</summary>
    BadSignature,

    /// <summary>The author's key is not known yet (sequence 0, the profile, must come first).</summary>
    UnknownAuthor,

    /// <summary>Readable but wrong: a profile whose key does not give the author id, or that changes a key.</summary>
    Invalid,
}
