using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Protocol.Node;

/// <summary>What a node did with what it heard, for logs, metrics and tests.</summary>
public sealed class NodeCounters
{
    private readonly int[] _decodeErrors = new int[(int)ProtocolError.BadChecksum + 1];
    private readonly int[] _verdicts = new int[(int)ChainVerdict.Invalid + 1];
    private readonly int[] _reassembly = new int[(int)ReassemblyStatus.AlternativeIgnored + 1];

    /// <summary>Frames offered to the node.</summary>
    public int FramesIn { get; internal set; }

    /// <summary>Frames queued for transmission.</summary>
    public int FramesOut { get; internal set; }

    /// <summary>Queued frames dropped because the outbox was at its cap (<see cref="NodeLimits.Outbox"/>), oldest first.</summary>
    public int OutboxDropped { get; internal set; }

    /// <summary>Sealed entries addressed by hint that did not open (hint collisions or tampering).</summary>
    public int OpenFailures { get; internal set; }

    /// <summary>Frames or entries refused for <paramref name="error"/>.</summary>
    public int DecodeErrors(ProtocolError error)
    {
        return _decodeErrors[(int)error];
    }

    /// <summary>Entries that got <paramref name="verdict"/>.</summary>
    public int Verdicts(ChainVerdict verdict)
    {
        return _verdicts[(int)verdict];
    }

    /// <summary>Fragments that got <paramref name="status"/>.</summary>
    public int Reassembly(ReassemblyStatus status)
    {
        return _reassembly[(int)status];
    }

    internal void Count(ProtocolError error)
    {
        _decodeErrors[(int)error]++;
    }

    internal void Count(ChainVerdict verdict)
    {
        _verdicts[(int)verdict]++;
    }

    internal void Count(ReassemblyStatus status)
    {
        _reassembly[(int)status]++;
    }
}
