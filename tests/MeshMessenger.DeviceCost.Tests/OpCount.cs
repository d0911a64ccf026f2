using System;
using MeshMessenger.Crypto;

namespace MeshMessenger.DeviceCost;

/// <summary>A snapshot (or a difference) of <see cref="OperationCounters"/>.</summary>
public sealed record OpCount(long Mul, long Square, long MulSmall, long Additions, long ConditionalMoves, long Sha512Blocks, long Sha256Blocks, long ChaCha20Blocks, long Poly1305Blocks)
{
    /// <summary>Field multiplications plus squarings: the unit the device-time estimate is made of.</summary>
    public long MulAndSquare => Mul + Square;

    /// <summary>True when no counted operation ran.</summary>
    public bool IsZero => this == new OpCount(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The counters now.</summary>
    public static OpCount Now() => new(
        OperationCounters.FieldMultiplications,
        OperationCounters.FieldSquarings,
        OperationCounters.FieldSmallMultiplications,
        OperationCounters.FieldAdditions,
        OperationCounters.FieldConditionalMoves,
        OperationCounters.Sha512Blocks,
        OperationCounters.Sha256Blocks,
        OperationCounters.ChaCha20Blocks,
        OperationCounters.Poly1305Blocks);

    /// <summary>What <paramref name="action"/> counted.</summary>
    public static OpCount Of(Action action)
    {
        OpCount before = Now();
        action();
        return Now() - before;
    }

    public static OpCount operator -(OpCount a, OpCount b) => new(
        a.Mul - b.Mul,
        a.Square - b.Square,
        a.MulSmall - b.MulSmall,
        a.Additions - b.Additions,
        a.ConditionalMoves - b.ConditionalMoves,
        a.Sha512Blocks - b.Sha512Blocks,
        a.Sha256Blocks - b.Sha256Blocks,
        a.ChaCha20Blocks - b.ChaCha20Blocks,
        a.Poly1305Blocks - b.Poly1305Blocks);
}
