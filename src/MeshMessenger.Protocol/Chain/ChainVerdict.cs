namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// What <see cref="ChainStore"/> decided about one entry. Only <see cref="Accepted"/> stores anything;
/// every other verdict is reported and nothing is merged silently.
/// </summary>
public enum ChainVerdict
{
    /// <summary>Verified and stored: it starts the author's run or extends it at either end with a matching link.</summary>
    Accepted,

    /// <summary>The same entry (same hash) is already held: a duplicate, or a replay.</summary>
    Duplicate,

    /// <summary>A different entry with the same author and sequence is held: the author forked the chain.</summary>
    Fork,

    /// <summary>Adjacent to the held run but its link does not match the neighbour's hash (a fork one step away).</summary>
    BrokenLink,

    /// <summary>Not adjacent to the held run; the missing sequence numbers must be synced first.</summary>
    Gap,

    /// <summary>The signature does not verify under the author's key (forgery or corruption).</summary>
    BadSignature,

    /// <summary>The author's key is not known yet (sequence 0, the profile, must come first).</summary>
    UnknownAuthor,

    /// <summary>Readable but wrong: a profile whose key does not give the author id, or that changes a key.</summary>
    Invalid,
}
