namespace MeshMessenger.DeviceCost;

/// <summary>IL instructions of an operation mix and the time they take at the low and high per-instruction cost.</summary>
public sealed record Estimate(long IlInstructions, double LowMilliseconds, double HighMilliseconds)
{
    /// <summary>Field operations times their exact IL, plus the hash and cipher blocks; loop and call overhead outside them is not counted.</summary>
    public static Estimate Of(OpCount c, IlPerOperation il)
    {
        long total = (c.Mul * il.Mul) + (c.Square * il.Square) + (c.MulSmall * il.MulSmall) + (c.Additions * il.Add)
            + (c.ConditionalMoves * il.ConditionalMove) + (c.Sha512Blocks * il.Sha512Block) + (c.Sha256Blocks * il.Sha256Block)
            + (c.ChaCha20Blocks * il.ChaCha20Block) + (c.Poly1305Blocks * il.Poly1305Block);
        return new Estimate(total, total * DeviceCostBench.LowMicrosecondsPerIl / 1000, total * DeviceCostBench.HighMicrosecondsPerIl / 1000);
    }
}
