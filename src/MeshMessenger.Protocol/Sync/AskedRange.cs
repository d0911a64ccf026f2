using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sync;

/// <summary>A range a restoring node asked a neighbour for, and when (<see cref="RestorePlan.Filter"/>).</summary>
public sealed class AskedRange
{
    /// <summary>Creates a record.</summary>
    public AskedRange(SequenceRange range, long atMs)
    {
        Range = range;
        AtMs = atMs;
    }

    /// <summary>The range asked.</summary>
    public SequenceRange Range { get; }

    /// <summary>When, in monotonic milliseconds.</summary>
    public long AtMs { get; }
}
