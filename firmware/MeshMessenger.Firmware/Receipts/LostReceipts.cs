using System.Collections;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Firmware.Receipts;

/// <summary>
/// Own delivery receipts remembered with the direct message each answers (at most <see cref="DeviceApp.MaxRememberedReceipts"/>,
/// the oldest forgotten beyond), so that one the author did not get goes once more (<see cref="RoutingPolicy.SendsLostReceiptAgain"/>).
/// </summary>
internal sealed class LostReceipts
{
    private readonly MessengerNode _node;
    private readonly ArrayList _sentReceipts = new ArrayList(); // SentReceipt, the newest last

    /// <summary>None remembered yet: receipts <paramref name="node"/> sends.</summary>
    public LostReceipts(MessengerNode node)
    {
        _node = node;
    }

    /// <summary>Remembers a receipt just drained with the message it answers.</summary>
    public void RememberReceipt(SentReceipt receipt)
    {
        if (_sentReceipts.Count >= DeviceApp.MaxRememberedReceipts)
        {
            _sentReceipts.RemoveAt(0);
        }

        _sentReceipts.Add(receipt);
    }

    /// <summary>The radio finished transmitting <paramref name="sent"/> at <paramref name="now"/>: if it is a remembered receipt's first copy, that is when it left.</summary>
    public void OnTransmitted(QueuedFrame sent, long now)
    {
        for (int i = 0; i < _sentReceipts.Count; i++)
        {
            var r = (SentReceipt)_sentReceipts[i]!;
            r.LeftAtMs = r.Receipt == sent && r.LeftAtMs < 0 ? now : r.LeftAtMs; // its first copy only
        }
    }

    /// <summary>
    /// A copy of a direct message we answered, heard again: if it says our delivery receipt was lost, the same signed
    /// receipt goes once more, flooded and unchecked (<see cref="RoutingPolicy.SendsLostReceiptAgain"/>). It does if it
    /// began (<paramref name="beganAtMs"/>) after the receipt left, so the author sent it without having the receipt (a
    /// retransmission that crossed the receipt on air says nothing), and if it is the author's own transmission (hop
    /// limit untouched, the author's relay byte) or a flooded copy of a message that came directed (the author's late
    /// flood, docs/emulator.md §3.2; a directed route makes no flooded copies otherwise). The relays that carried the
    /// first copy hold its key and drop this one. Returns the receipt to send again, else null.
    /// </summary>
    public QueuedFrame? ReceiptToSendAgain(PacketInfo p, long beganAtMs, long now)
    {
        if (p.Frame.Type != FrameType.Entry || !p.IsDirect || p.DestinationHint != _node.Hint || p.IsReceipt)
        {
            return null;
        }

        bool byAuthor = p.Frame.HopStart > 0 && p.Frame.HopLimit == p.Frame.HopStart && p.Frame.Relay == NodeId.HintOf(p.Author);
        for (int i = _sentReceipts.Count - 1; i >= 0; i--)
        {
            var r = (SentReceipt)_sentReceipts[i]!;
            if (r.MessageKey != p.Key)
            {
                continue;
            }

            if (r.SentAgain || r.LeftAtMs < 0 || beganAtMs < r.LeftAtMs || !(byAuthor || (r.MessageCameDirected && p.Frame.NextHop == 0)))
            {
                return null;
            }

            r.SentAgain = true;
            return SendAgain(r, 0, now);
        }

        return null;
    }

    /// <summary>
    /// The author asks for the receipt of its message <paramref name="asked"/> in <paramref name="request"/>, a
    /// <see cref="FrameType.ReceiptRequest"/> that began at <paramref name="beganAtMs"/>. Only a request transmitted by the
    /// author itself (its relay byte, hop start 0) counts, so the author is a neighbour and the answer, directed to it,
    /// can reach it; the relay byte is not signed, but a forger spends only this answer, not the one a later copy of the
    /// message gets (<see cref="ReceiptToSendAgain"/>). If we answered the message and the receipt left before the
    /// request began, the same signed receipt goes once more. Returns it, else null.
    /// </summary>
    public QueuedFrame? ReceiptRequested(Frame request, EntryReference asked, long beganAtMs, long now)
    {
        if (request.HopStart != 0 || request.Relay != NodeId.HintOf(asked.Author))
        {
            return null;
        }

        for (int i = _sentReceipts.Count - 1; i >= 0; i--)
        {
            var r = (SentReceipt)_sentReceipts[i]!;
            if (r.MessageAuthor == asked.Author && r.MessageSequence == asked.Sequence)
            {
                if (r.SentOnRequest || r.LeftAtMs < 0 || beganAtMs < r.LeftAtMs)
                {
                    return null;
                }

                r.SentOnRequest = true;
                return SendAgain(r, r.Receipt.DestinationHint, now);
            }
        }

        return null;
    }

    // The remembered receipt's signed bytes once more, to nextHop (0 floods).
    private QueuedFrame SendAgain(SentReceipt r, byte nextHop, long now)
    {
        QueuedFrame first = r.Receipt;
        var again = new QueuedFrame(first.Frame.Readdressed(first.Frame.HopLimit, nextHop, _node.Hint), first.Key, false, true, first.DestinationHint, now);
        again.Sequence = first.Sequence;
        again.AirtimeMs = first.AirtimeMs;
        return again;
    }
}
