namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// Two signed entries by one author that cannot both belong to one chain. Kept, never merged: either
/// entry verifies on its own, so the pair proves to anyone that the author equivocated.
/// </summary>
public sealed class ForkEvidence
{
    /// <summary>Records a fork.</summary>
    public ForkEvidence(Entry held, Entry conflicting, ChainVerdict verdict)
    {
        Held = held;
        Conflicting = conflicting;
        Verdict = verdict;
    }

    /// <summary>The entry already stored.</summary>
    public Entry Held { get; }

    /// <summary>The entry that conflicts with it.</summary>
    public Entry Conflicting { get; }

    /// <summary><see cref="ChainVerdict.Fork"/> (same sequence) or <see cref="ChainVerdict.BrokenLink"/> (adjacent sequence, wrong link).</summary>
    public ChainVerdict Verdict { get; }
}
