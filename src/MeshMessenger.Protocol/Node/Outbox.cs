using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// The node's bounded queue of encoded frames waiting for the host to transmit them: at
/// <see cref="NodeLimits.Outbox"/> the oldest frame is dropped and counted in <see cref="NodeCounters.OutboxDropped"/>.
/// Entries are split into frames here (<see cref="Fragmenter"/>), marked local-only while the person withholds
/// uplink consent (docs/protocol.md §5.1).
/// </summary>
internal sealed class Outbox
{
    private readonly ArrayList _frames = new ArrayList();
    private readonly int _capacity;
    private readonly int _maxFrameSize;
    private readonly byte _hint;
    private readonly NodeCounters _counters;

    /// <summary>Creates an outbox of at most <paramref name="capacity"/> frames of at most <paramref name="maxFrameSize"/> bytes.</summary>
    public Outbox(int capacity, int maxFrameSize, byte hint, NodeCounters counters)
    {
        _capacity = capacity;
        _maxFrameSize = maxFrameSize;
        _hint = hint;
        _counters = counters;
    }

    /// <summary>Whether new entries may leave the mesh through a gateway (see <see cref="MessengerNode.UplinkConsent"/>).</summary>
    public bool UplinkConsent { get; set; } = true;

    /// <summary>Frames waiting.</summary>
    public int Count => _frames.Count;

    /// <summary>The largest frame, in bytes, of the link this node speaks on.</summary>
    public int MaxFrameSize => _maxFrameSize;

    /// <summary>Hands the queued frames (encoded) over and empties the outbox.</summary>
    public byte[][] Take()
    {
        var frames = new byte[_frames.Count][];
        _frames.CopyTo(frames);
        _frames.Clear();
        return frames;
    }

    /// <summary>Queues a new entry of this node with the default hop limit.</summary>
    public void Transmit(Entry entry, bool wantAck)
    {
        QueueEntry(entry, MessengerNode.DefaultHopLimit, wantAck);
    }

    /// <summary>Queues an entry, in fragments if it does not fit one frame (docs/protocol.md §6).</summary>
    public void QueueEntry(Entry entry, int hopLimit, bool wantAck)
    {
        Frame[] frames = Fragmenter.Split(entry.Encoded, _maxFrameSize, hopLimit, wantAck, _hint);
        for (int i = 0; i < frames.Length; i++)
        {
            Queue(UplinkConsent ? frames[i] : frames[i].AsLocalOnly());
        }
    }

    /// <summary>Queues one frame, dropping the oldest at the cap.</summary>
    public void Queue(Frame frame)
    {
        if (_frames.Count == _capacity)
        {
            _frames.RemoveAt(0);
            _counters.OutboxDropped++;
        }

        _frames.Add(FrameCodec.Encode(frame, _maxFrameSize));
        _counters.FramesOut++;
    }
}
