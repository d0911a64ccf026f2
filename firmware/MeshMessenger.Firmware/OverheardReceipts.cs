using System.Collections;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;


namespace MeshMessenger.Firmware;

/// <summary>
/// Receipts this node heard pass on their way to another node's direct message, kept so that one the author missed is
/// handed back to it by a neighbour (<see cref="RoutingPolicy.HandsBackOverheardReceipts"/>). A relay cannot open a
/// direct entry, but its clear header names the author, the kind and the recipient's hint (docs/protocol.md §3.1): a
/// receipt written by the message's recipient and addressed to the message's author, heard after the message, is its
/// receipt but for one pair in 256 sharing both hints. When the author asks for the receipt it did not get (a
/// <see cref="FrameType.ReceiptRequest"/>, docs/protocol.md §7.1), each neighbour that heard the receipt offers it
/// once, so the author gets copies from next to it rather than across the mesh again. Fixed memory: the last
/// <see cref="DeviceApp.MaxOverheardEntries"/> direct messages and as many receipts.
/// </summary>
internal sealed class OverheardReceipts
{
    private readonly byte _selfHint;
    private readonly ArrayList _messages = new ArrayList(); // HeardEntry of direct messages, the newest last
    private readonly ArrayList _receipts = new ArrayList(); // HeardEntry of receipts, the newest last

    /// <summary>None heard yet, at the node whose hint is <paramref name="selfHint"/>.</summary>
    public OverheardReceipts(byte selfHint)
    {
        _selfHint = selfHint;
    }

    /// <summary>The first copy of <paramref name="p"/>, heard at <paramref name="now"/>: remembered if it is a direct entry for another node.</summary>
    public void Note(PacketInfo p, long now)
    {
        if (p.Frame.Type != FrameType.Entry || !p.IsDirect || p.DestinationHint == _selfHint || NodeId.HintOf(p.Author) == _selfHint)
        {
            return;
        }

        ArrayList list = p.IsReceipt ? _receipts : _messages;
        if (list.Count >= DeviceApp.MaxOverheardEntries)
        {
            list.RemoveAt(0);
        }

        list.Add(new HeardEntry(p, now));
    }

    /// <summary>
    /// The author of a direct message asks for its receipt (<paramref name="asked"/>, a request that began at
    /// <paramref name="beganAtMs"/>): the receipt for it heard here after the message, before the request, else null.
    /// Each receipt is handed back once.
    /// </summary>
    public PacketInfo? ReceiptToHandBack(EntryReference asked, long beganAtMs)
    {
        byte authorHint = NodeId.HintOf(asked.Author);
        PacketInfo? message = null;
        long messageHeardAt = -1;
        for (int i = _messages.Count - 1; i >= 0 && message == null; i--)
        {
            var m = (HeardEntry)_messages[i]!;
            bool match = m.Packet.Author == asked.Author && m.Packet.Sequence == asked.Sequence;
            message = match ? m.Packet : null;
            messageHeardAt = match ? m.HeardAtMs : -1;
        }

        for (int i = _receipts.Count - 1; i >= 0 && message != null; i--)
        {
            var r = (HeardEntry)_receipts[i]!;
            if (NodeId.HintOf(r.Packet.Author) != message.DestinationHint || r.Packet.DestinationHint != authorHint
                || r.HeardAtMs < messageHeardAt || r.HeardAtMs > beganAtMs)
            {
                continue;
            }

            if (r.HandedBack)
            {
                return null;
            }

            r.HandedBack = true;
            return r.Packet;
        }

        return null;
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

    private sealed class HeardEntry
    {
        public HeardEntry(PacketInfo packet, long heardAtMs)
        {
            Packet = packet;
            HeardAtMs = heardAtMs;
        }

        public PacketInfo Packet { get; }

        public long HeardAtMs { get; }

        public bool HandedBack { get; set; }
    }
}
