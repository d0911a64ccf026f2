using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// Chain sync with neighbours (docs/protocol.md §8): announces heads, answers heads with wants and wants with
/// entries, and runs a restore until the own chain and the conversations are back. Holds only a heads cursor and
/// the rebuilding flag; what it fetches goes through the node's normal receive path.
/// </summary>
internal sealed class ChainSync
{
    /// <summary>Entries sent in answer to one want message.</summary>
    public const int MaxEntriesPerAnswer = 64;

    private readonly uint _id;
    private readonly ChainStore _chains;
    private readonly LocalChain _own;
    private readonly Outbox _outbox;
    private readonly EntryReader _reader;
    private readonly ReceiptLedger _receipts;
    private readonly int _maxFrameSize;
    private bool _rebuilding;
    private int _headsOffset;

    /// <summary>Creates the sync of node <paramref name="id"/>.</summary>
    public ChainSync(uint id, ChainStore chains, LocalChain own, Outbox outbox, EntryReader reader, ReceiptLedger receipts)
    {
        _id = id;
        _chains = chains;
        _own = own;
        _outbox = outbox;
        _reader = reader;
        _receipts = receipts;
        _maxFrameSize = outbox.MaxFrameSize;
    }

    /// <summary>See <see cref="MessengerNode.SyncAllChains"/>.</summary>
    public bool SyncAllChains { get; set; } = true;

    /// <summary>See <see cref="MessengerNode.Rebuilding"/>.</summary>
    public bool Rebuilding => _rebuilding;

    private uint Id => _id;

    private byte Hint => NodeId.HintOf(_id);

    /// <summary>Starts a restore: the own chain waits for its head, and neighbours are asked about it first (a query head), and for their heads in general.</summary>
    public void BeginRestore()
    {
        _own.BeginRestore();
        _rebuilding = true;
        var query = new ChainHead[] { new ChainHead(Id, 0, 0, new byte[EntryCodec.LinkSize]) };
        Queue(new Frame(FrameType.Heads, 0, 0, false, 0, Hint, new HeadsMessage(true, true, query).Encode()));
    }

    // ArrayList.AddRange is not in nanoFramework's mscorlib 1.x.
    private static void AddAll(ArrayList list, ChainHead[] items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            list.Add(items[i]);
        }
    }

    /// <summary>Advertises this node's chain heads to its neighbours (hop limit 0), optionally asking for theirs.</summary>
    public void AnnounceHeads(bool requestReply)
    {
        AnnounceHeads(requestReply, null);
    }

    private void AnnounceHeads(bool requestReply, ChainHead[]? asked)
    {
        int fit = HeadsMessage.Fit(_maxFrameSize - FrameLimits.HeaderSize);
        var list = new ArrayList();
        if (asked != null)
        {
            var authors = new uint[asked.Length];
            for (int i = 0; i < asked.Length; i++)
            {
                authors[i] = asked[i].Author;
            }

            AddAll(list, SyncPlanner.HeadsOf(_chains, authors, 0, fit));
            if (list.Count == 0)
            {
                return; // nothing to say about what was asked; stay quiet rather than spend airtime
            }
        }

        ChainHead[] more = SyncPlanner.HeadsOf(_chains, _headsOffset, fit - list.Count);
        _headsOffset += more.Length;
        AddAll(list, more);
        var heads = new ChainHead[list.Count];
        list.CopyTo(heads);
        Queue(new Frame(FrameType.Heads, 0, 0, false, 0, Hint, new HeadsMessage(requestReply, heads).Encode()));
    }

    /// <summary>
    /// Ends a restore with the highest head neighbours advertised, even if not every own entry came back
    /// (a recipient holds only what was sent to it). The host calls this after a settling time; true if the
    /// node can append again. Entries arriving later are still read.
    /// </summary>
    public bool FinishRestore()
    {
        if (!_own.Restoring)
        {
            return true;
        }

        if (!_own.AdoptAdvertisedHead())
        {
            return false;
        }

        RebuildFromStore();
        AcknowledgeUnreceipted();
        return true;
    }

    /// <summary>A neighbour's heads: note the own head while restoring, ask for what is missing, and answer a request for heads.</summary>
    public ProtocolError TakeHeads(Frame frame)
    {
        HeadsMessage? heads;
        ProtocolError error = HeadsMessage.TryDecode(frame.Payload, out heads);
        if (error != ProtocolError.None)
        {
            return error;
        }

        for (int i = 0; i < heads!.Heads.Length; i++)
        {
            if (heads.Heads[i].Author == Id && _own.Restoring)
            {
                _own.NoteAdvertisedHead(heads.Heads[i].High, heads.Heads[i].HeadLink);
            }
        }

        // A device (SyncAllChains off) fetches only while restoring; an archive or gateway fetches whatever it hears of.
        bool fetch = !heads.Query && (SyncAllChains || _own.Restoring || _rebuilding);
        SequenceRange[] wants = fetch ? SyncPlanner.Wants(_chains, heads.Heads, SyncAllChains) : new SequenceRange[0];
        if (_rebuilding && fetch && !_own.Restoring && wants.Length == 0)
        {
            _rebuilding = false; // nothing more to fetch of the chains kept: the history is rebuilt
        }
        if (wants.Length > 0)
        {
            // Addressed to the neighbour that advertised, so the others do not answer with the same entries.
            Queue(new Frame(FrameType.Want, 0, 0, false, frame.Relay, Hint, new WantMessage(wants).Encode()));
        }

        if (heads.RequestReply)
        {
            AnnounceHeads(false, heads.Query ? heads.Heads : null);
        }

        return ProtocolError.None;
    }

    /// <summary>A neighbour's want: answers with at most <see cref="MaxEntriesPerAnswer"/> held entries, unless it was asked of another neighbour.</summary>
    public ProtocolError TakeWant(Frame frame)
    {
        WantMessage? want;
        ProtocolError error = WantMessage.TryDecode(frame.Payload, out want);
        if (error != ProtocolError.None)
        {
            return error;
        }

        if (frame.NextHop != 0 && frame.NextHop != Hint)
        {
            return ProtocolError.None; // asked of another neighbour
        }

        int sent = 0;
        for (int i = 0; i < want!.Ranges.Length && sent < MaxEntriesPerAnswer; i++)
        {
            SequenceRange range = want.Ranges[i];
            for (uint s = range.From; sent < MaxEntriesPerAnswer; s++)
            {
                StoredEntry? stored = _chains.Store.Get(range.Author, s);
                if (stored != null)
                {
                    QueueEntry(stored.Entry, 0, false);
                    sent++;
                }

                if (s == range.To)
                {
                    break;
                }
            }
        }

        return ProtocolError.None;
    }

    /// <summary>Asks neighbours for entries [<paramref name="from"/>, <paramref name="to"/>] of <paramref name="author"/>.</summary>
    public void AskFor(uint author, uint from, uint to)
    {
        if (to - from >= WantMessage.MaxRangeLength)
        {
            to = from + WantMessage.MaxRangeLength - 1;
        }

        Queue(new Frame(FrameType.Want, 0, 0, false, 0, Hint, new WantMessage(new[] { new SequenceRange(author, from, to) }).Encode()));
    }

    // The node's own paths, under the names the sync code has always used.
    private void Queue(Frame frame) => _outbox.Queue(frame);

    private void QueueEntry(Entry entry, int hopLimit, bool wantAck) => _outbox.QueueEntry(entry, hopLimit, wantAck);

    private void RebuildFromStore() => _reader.RereadStore();

    private void AcknowledgeUnreceipted() => _receipts.AcknowledgeUnreceipted();
}
