using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Web.Tests;

/// <summary>What a gateway holds of a chain continued after a restore (docs/protocol.md §8.3).</summary>
internal static class ResumedChain
{
    /// <summary>
    /// The sequences 0..head written before, then a run from the resume entry at head + 1 + <see cref="LocalChain.ResumeSkip"/>
    /// on: no sequence twice, and no gap but the skipped run.
    /// </summary>
    public static void AssertContinues(List<long> chain, long head)
    {
        List<long> ordered = [.. chain.Order()];
        Assert.Equal(Enumerable.Range(0, (int)head + 1).Select(s => (long)s), ordered.Where(s => s <= head));
        List<long> after = [.. ordered.Where(s => s > head)];
        Assert.NotEmpty(after);
        long resume = head + 1 + LocalChain.ResumeSkip;
        Assert.Equal(Enumerable.Range(0, after.Count).Select(i => resume + i), after);
    }
}
