using MeshMessenger.Firmware.Queue;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Firmware.Receipts;

/// <summary>
/// What a node does for a delivery receipt that did not reach its author (docs/emulator.md §3.2): the recipient sends
/// its own once more when a later copy of the message or the author's request says it was lost (<see cref="LostReceipts"/>);
/// a neighbour that heard the receipt pass hands it back, and one that heard only the message answers with an Ack, when
/// the author asks (<see cref="OverheardReceipts"/>, docs/protocol.md §7.1). Own receipts sent again are returned for the
/// caller to hold as own frames; answers for others go into the radio queue as relays, which another neighbour's
/// answer cancels.
/// </summary>
internal sealed class ReceiptAnswers
{
    private readonly MessengerNode _node;
    private readonly RoutingPolicy _policy;
    private readonly TransmitQueue _queue;
    private readonly DeviceCounters _counters;
    private readonly LostReceipts _lost;
    private readonly OverheardReceipts _overheard;

    /// <summary>Nothing remembered yet, for <paramref name="node"/>, answering into <paramref name="queue"/>.</summary>
    public ReceiptAnswers(MessengerNode node, RoutingPolicy policy, TransmitQueue queue, DeviceCounters counters)
    {
        _node = node;
        _policy = policy;
        _queue = queue;
        _counters = counters;
        _lost = new LostReceipts(node);
        _overheard = new OverheardReceipts(node.Hint);
    }

    /// <summary>An own delivery receipt just drained, answering <paramref name="message"/>: remembered with it.</summary>
    public void RememberReceipt(PacketInfo message, QueuedFrame receipt)
    {
        _lost.RememberReceipt(new SentReceipt(message, receipt));
    }

    /// <summary>The radio finished transmitting <paramref name="sent"/> at <paramref name="now"/>.</summary>
    public void OnTransmitted(QueuedFrame sent, long now)
    {
        _lost.OnTransmitted(sent, now);
    }

    /// <summary>The first copy of <paramref name="p"/>, heard at <paramref name="now"/>: remembered if it is a direct entry for another node.</summary>
    public void Note(PacketInfo p, long now)
    {
        if (_policy.UsesReceiptRequests)
        {
            _overheard.Note(p, now);
        }
    }

    /// <summary>
    /// A duplicate copy of a direct message we answered, begun at <paramref name="beganAtMs"/>: the own receipt to send
    /// once more if the copy says it was lost (<see cref="LostReceipts.ReceiptToSendAgain"/>), else null.
    /// </summary>
    public QueuedFrame? OnDuplicate(PacketInfo p, long beganAtMs, long now)
    {
        QueuedFrame? again = _policy.SendsLostReceiptAgain ? _lost.ReceiptToSendAgain(p, beganAtMs, now) : null;
        _counters.ReceiptsSentAgain += again == null ? 0 : 1;
        return again;
    }

    /// <summary>
    /// A neighbour's receipt request (<see cref="FrameType.ReceiptRequest"/>, heard at <paramref name="snrDb"/>, begun at
    /// <paramref name="beganAtMs"/>), its payload already checked by the node: the recipient's own receipt once more is
    /// returned (<see cref="LostReceipts.ReceiptRequested"/>); a receipt heard pass (<see cref="OverheardReceipts.ReceiptToHandBack"/>)
    /// or, with none, an Ack for a message heard (<see cref="OverheardReceipts.TakeHeardMessage"/>) is queued after
    /// <see cref="RoutingPolicy.HandBackDelayMs"/>. Each directed to the author, once.
    /// </summary>
    public QueuedFrame? OnRequest(PacketInfo p, double snrDb, long beganAtMs, long now)
    {
        EntryReference? asked;
        if (!_policy.UsesReceiptRequests || EntryReference.TryDecode(p.Frame.Payload, out asked) != ProtocolError.None || asked!.Author == _node.Id)
        {
            return null;
        }

        QueuedFrame? own = _lost.ReceiptRequested(p.Frame, asked, beganAtMs, now);
        if (own != null)
        {
            _counters.ReceiptsSentAgain++;
            return own;
        }

        PacketInfo? receipt = _overheard.ReceiptToHandBack(asked, beganAtMs);
        if (receipt != null)
        {
            var back = new QueuedFrame(OverheardReceipts.HandBackCopy(receipt, _node.Hint), receipt.Key, true, true, receipt.DestinationHint, now + _policy.HandBackDelayMs(snrDb));
            _counters.ReceiptsHandedBack += Queue(back, snrDb) ? 1 : 0;
        }
        else if (p.Frame.WantAck && _overheard.TakeHeardMessage(asked))
        {
            // Asked whether we have the message (want-ack set): no receipt heard, but the message was: say so
            // (docs/protocol.md §5.1.1). The Ack's payload is the request's, so it has the request's key, and another
            // neighbour's Ack cancels it (OnAck).
            var ack = new QueuedFrame(new Frame(FrameType.Ack, 0, 0, false, NodeId.HintOf(asked.Author), _node.Hint, asked.Encode()), p.Key, true, false, 0, now + _policy.HandBackDelayMs(snrDb));
            _counters.ProbesAnswered += Queue(ack, snrDb) ? 1 : 0;
        }

        return null;
    }

    /// <summary>
    /// A neighbour's Ack: an Ack of ours to the same request is no longer needed. Returns the sequence of the own entry
    /// it names (an answer to our request), else -1.
    /// </summary>
    public long OnAck(PacketInfo p)
    {
        EntryReference? acked;
        if (!_policy.UsesReceiptRequests || EntryReference.TryDecode(p.Frame.Payload, out acked) != ProtocolError.None)
        {
            return -1;
        }

        QueuedFrame? same = _queue.FindQueuedRelay(p.Key);
        if (same != null && same.AnswersRequest && same.Frame.Type == FrameType.Ack && ByteArrays.Same(same.Frame.Payload, p.Frame.Payload))
        {
            same.Cancelled = true;
            _queue.Remove(same);
        }

        return acked!.Author == _node.Id ? acked.Sequence : -1;
    }

    // An answer anyone can ask for: within the answer share (docs/protocol.md §8.6), and redrawn in its own window.
    private bool Queue(QueuedFrame answer, double snrDb)
    {
        answer.IsAnswer = true;
        answer.AnswersRequest = true;
        answer.HeardSnrDb = snrDb;
        return _queue.Enqueue(answer);
    }
}
