using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// The node's bounded queue of encoded frames waiting for the host to transmit them: at
/// <see cref="NodeLimits.Outbox"/> the oldest frame is dropped and counted in <see cref="NodeCounters.OutboxDropped"/>.
/// Entries are split into frames here (<see cref="Fragmenter"/>), marked local-only while the person withholds
/// uplink consent (docs/protocol.md §5.1). Frames that answer a neighbour's heads question or want are marked
/// (<see cref="Take(out bool[])"/>) so the host can bound their airtime (docs/protocol.md §8.6); at the cap they are dropped first.
/// </summary>
internal sealed class Outbox
{
    private readonly ArrayList _frames = new ArrayList();
    private readonly ArrayList _answers = new ArrayList(); // boxed bool per frame: it answers a neighbour's question
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
        bool[] answers;
        return Take(out answers);
    }

    /// <summary>
    /// Hands the queued frames (encoded) over and empties the outbox; <paramref name="answers"/>[i] is true where frame i
    /// answers a neighbour's heads question or want.
    /// </summary>
    public byte[][] Take(out bool[] answers)
    {
        var frames = new byte[_frames.Count][];
        _frames.CopyTo(frames);
        answers = new bool[_answers.Count];
        for (int i = 0; i < answers.Length; i++)
        {
            answers[i] = (bool)_answers[i]!;
        }

        _frames.Clear();
        _answers.Clear();
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
        QueueEntry(entry, hopLimit, wantAck, false);
    }

    /// <summary>Queues an entry in fragments if needed, marked as an answer to a neighbour's want if <paramref name="answer"/>.</summary>
    public void QueueEntry(Entry entry, int hopLimit, bool wantAck, bool answer)
    {
        Frame[] frames = Fragmenter.Split(entry.Encoded, _maxFrameSize, hopLimit, wantAck, _hint);
        for (int i = 0; i < frames.Length; i++)
        {
            Queue(UplinkConsent ? frames[i] : frames[i].AsLocalOnly(), answer);
        }
    }

    /// <summary>Queues one frame of this node's own, dropping at the cap the oldest answer, else the oldest frame.</summary>
    public void Queue(Frame frame)
    {
        Queue(frame, false);
    }

    /// <summary>
    /// Queues one frame, marked as an answer to a neighbour's question if <paramref name="answer"/>. At the cap the oldest
    /// answer is dropped, else the oldest frame: answers that anyone can ask for never push out the node's own frames.
    /// </summary>
    public void Queue(Frame frame, bool answer)
    {
        if (_frames.Count == _capacity)
        {
            int drop = _answers.IndexOf(true);
            drop = drop < 0 ? 0 : drop;
            _frames.RemoveAt(drop);
            _answers.RemoveAt(drop);
            _counters.OutboxDropped++;
        }

        _frames.Add(FrameCodec.Encode(frame, _maxFrameSize));
        _answers.Add(answer);
        _counters.FramesOut++;
    }
}
