using System.Collections;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Firmware.Receipts;

/// <summary>
/// Receipts this node heard pass on their way to another node's direct message, kept so that one the author missed is
/// handed back to it by a neighbour (<see cref="RoutingPolicy.UsesReceiptRequests"/>). A relay cannot open a direct
/// entry, but its clear header names the author, the kind and the recipient's hint (docs/protocol.md §3.1): the first
/// delivery receipt written by the message's recipient hint to the message's author's hint, heard after the message, is
/// taken for its receipt. Another message of the same pair, or another pair sharing both hints, can make it the wrong
/// one; the author then gets a receipt that covers another message, which changes nothing for this one. When the author
/// asks (a <see cref="FrameType.ReceiptRequest"/>, docs/protocol.md §7.1), this node answers once per message: the
/// receipt, or, asked whether it has the message, an Ack. Fixed memory: the last <see cref="DeviceApp.MaxOverheardEntries"/>
/// direct messages and as many delivery receipts, each (author, sequence) once, so a replay under another hop start
/// neither adds an entry nor answers again.
/// </summary>
internal sealed class OverheardReceipts
{
    private readonly byte _selfHint;
    private readonly ArrayList _messages = new ArrayList(); // HeardEntry of direct messages, the newest last
    private readonly ArrayList _receipts = new ArrayList(); // HeardEntry of delivery receipts, the newest last

    /// <summary>None heard yet, at the node whose hint is <paramref name="selfHint"/>.</summary>
    public OverheardReceipts(byte selfHint)
    {
        _selfHint = selfHint;
    }

    /// <summary>The first copy of <paramref name="p"/>, heard at <paramref name="now"/>: remembered if it is a direct message or a delivery receipt for another node.</summary>
    public void Note(PacketInfo p, long now)
    {
        if (p.Frame.Type != FrameType.Entry || !p.IsDirect || p.DestinationHint == _selfHint || NodeId.HintOf(p.Author) == _selfHint
            || (p.IsReceipt && !p.IsDeliveryReceipt))
        {
            return;
        }

        ArrayList list = p.IsReceipt ? _receipts : _messages;
        if (Find(list, p.Author, p.Sequence) != null)
        {
            return;
        }

        if (list.Count >= DeviceApp.MaxOverheardEntries)
        {
            list.RemoveAt(0);
        }

        list.Add(new HeardEntry(p, now));
    }

    /// <summary>
    /// The author of a direct message asks for its receipt (<paramref name="asked"/>, a request that began at
    /// <paramref name="beganAtMs"/>): the oldest delivery receipt for it heard here after the message and before the
    /// request and not handed back yet, else null. A message is answered once.
    /// </summary>
    public PacketInfo? ReceiptToHandBack(EntryReference asked, long beganAtMs)
    {
        HeardEntry? message = Find(_messages, asked.Author, asked.Sequence);
        if (message == null || message.Answered)
        {
            return null;
        }

        byte authorHint = NodeId.HintOf(asked.Author);
        for (int i = 0; i < _receipts.Count; i++)
        {
            var r = (HeardEntry)_receipts[i]!;
            if (r.Answered || NodeId.HintOf(r.Packet.Author) != message.Packet.DestinationHint || r.Packet.DestinationHint != authorHint
                || r.HeardAtMs < message.HeardAtMs || r.HeardAtMs > beganAtMs)
            {
                continue;
            }

            r.Answered = true;
            message.Answered = true;
            return r.Packet;
        }

        return null;
    }

    /// <summary>True, once per message, if the message <paramref name="asked"/> was heard here and not answered yet: this node can say it has it.</summary>
    public bool TakeHeardMessage(EntryReference asked)
    {
        HeardEntry? message = Find(_messages, asked.Author, asked.Sequence);
        if (message == null || message.Answered)
        {
            return false;
        }

        message.Answered = true;
        return true;
    }

    /// <summary>
    /// The copy of a receipt <paramref name="heard"/> here that goes back to its author, sent by <paramref name="selfHint"/>:
    /// directed to the author, which does not repeat what is addressed to it; one hop further, so the hops it took stay true.
    /// </summary>
    public static Frame HandBackCopy(PacketInfo heard, byte selfHint)
    {
        Frame f = heard.Frame;
        return f.HopLimit > 0 ? f.Relayed(selfHint, heard.DestinationHint) : f.Readdressed(0, heard.DestinationHint, selfHint);
    }

    private static HeardEntry? Find(ArrayList list, uint author, uint sequence)
    {
        for (int i = list.Count - 1; i >= 0; i--)
        {
            var e = (HeardEntry)list[i]!;
            if (e.Packet.Author == author && e.Packet.Sequence == sequence)
            {
                return e;
            }
        }

        return null;
    }

    private sealed class HeardEntry
    {
        public HeardEntry(PacketInfo packet, long heardAtMs)
        {
            Packet = packet;
            HeardAtMs = heardAtMs;
        }

        public PacketInfo Packet { get; }

        public long HeardAtMs { get; }

        // A message: answered (its receipt handed back, or an Ack sent). A receipt: handed back.
        public bool Answered { get; set; }
    }
}
