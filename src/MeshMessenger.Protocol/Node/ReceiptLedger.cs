using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Collections;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// The receipts this node writes (docs/protocol.md §4.4) and its memory of the delivery receipts it already wrote,
/// per peer, so a message is acknowledged once even after a restore. Bounded: <see cref="NodeLimits.ReceiptPeers"/>
/// peers × <see cref="NodeLimits.ReceiptsPerPeer"/> receipts; what falls out is found again in the own chain, which
/// is the record.
/// </summary>
internal sealed class ReceiptLedger
{
    private readonly uint _id;
    private readonly ChainStore _chains;
    private readonly LocalChain _own;
    private readonly IClock _clock;
    private readonly KeyRing _keys;
    private readonly Inbox _inbox;
    private readonly Outbox _outbox;
    private readonly int _perPeer;
    private readonly KeyedTable _acknowledged; // peer id -> ArrayList of own ReceiptBody
    private readonly KeyedTable _acknowledgedScanned; // peer id -> true once the own chain was scanned for them

    /// <summary>Creates the ledger of node <paramref name="id"/>.</summary>
    public ReceiptLedger(uint id, ChainStore chains, LocalChain own, IClock clock, KeyRing keys, Inbox inbox, Outbox outbox, NodeLimits limits)
    {
        _id = id;
        _chains = chains;
        _own = own;
        _clock = clock;
        _keys = keys;
        _inbox = inbox;
        _outbox = outbox;
        _perPeer = limits.ReceiptsPerPeer;
        _acknowledged = new KeyedTable(limits.ReceiptPeers);
        _acknowledgedScanned = new KeyedTable(limits.ReceiptPeers);
    }

    /// <summary>Peers whose own delivery receipts are remembered.</summary>
    public int PeersHeld => _acknowledged.Count;

    /// <summary>Own delivery receipts remembered for <paramref name="peer"/>.</summary>
    public int HeldFor(uint peer)
    {
        var receipts = (ArrayList?)_acknowledged.Get(peer);
        return receipts == null ? 0 : receipts.Count;
    }

    /// <summary>Forgets everything remembered (before a rebuild reads the own chain again).</summary>
    public void Clear()
    {
        _acknowledged.Clear();
        _acknowledgedScanned.Clear();
    }

    /// <summary>Appends a delivery or read receipt for <paramref name="ranges"/> of <paramref name="author"/>, sealed to them, and queues it.</summary>
    public void Send(EntryKind kind, uint author, SequenceRange[] ranges)
    {
        byte[] header = _own.NextHeader(kind, BodySealing.Direct, NodeId.HintOf(author), _clock.EntrySeconds);
        byte[] key = _keys.RequireDirectKeyTo(author);
        var receipt = new ReceiptBody(ranges);
        Entry entry = _own.Append(header, BodyCipher.Seal(key, _own.NextSequence, header, receipt.Encode()));
        if (kind == EntryKind.DeliveryReceipt)
        {
            RecordAcknowledged(author, receipt);
        }

        _outbox.Transmit(entry, false);
    }

    /// <summary>Remembers a delivery receipt this node wrote to <paramref name="author"/>.</summary>
    public void RecordAcknowledged(uint author, ReceiptBody receipt)
    {
        var receipts = (ArrayList?)_acknowledged.Get(author);
        if (receipts == null)
        {
            if (_acknowledged.Count == _acknowledged.Capacity)
            {
                // Forget one peer's receipts (and that their receipts were scanned, so they are read again).
                uint forgotten = _acknowledged.KeyAt(0);
                _acknowledged.Remove(forgotten);
                _acknowledgedScanned.Remove(forgotten);
            }

            receipts = new ArrayList();
            _acknowledged.Set(author, receipts);
        }

        if (receipts.Count == _perPeer)
        {
            receipts.RemoveAt(0);
        }

        receipts.Add(receipt);
    }

    /// <summary>After a restore: delivery receipts for received messages that no receipt in the own chain covers.</summary>
    public void AcknowledgeUnreceipted()
    {
        for (int i = 0; i < _inbox.Count; i++)
        {
            MessageRecord m = _inbox.At(i);
            if (!m.Outgoing && m.Kind == EntryKind.Text && !IsAcknowledged(m.Author, m.Sequence))
            {
                Send(EntryKind.DeliveryReceipt, m.Author, new[] { new SequenceRange(m.Author, m.Sequence, m.Sequence) });
            }
        }
    }

    /// <summary>True if a delivery receipt this node wrote covers (<paramref name="author"/>, <paramref name="sequence"/>).</summary>
    public bool IsAcknowledged(uint author, uint sequence)
    {
        if (!_acknowledgedScanned.Contains(author))
        {
            ScanOwnReceipts(author);
        }

        var receipts = (ArrayList?)_acknowledged.Get(author);
        if (receipts != null)
        {
            for (int i = 0; i < receipts.Count; i++)
            {
                if (((ReceiptBody)receipts[i]!).Covers(sequence))
                {
                    return true;
                }
            }
        }

        // A full list may have let go of the receipt that covers it: the own chain is the record.
        return receipts != null && receipts.Count == _perPeer && OwnChainReceipts(author, sequence);
    }

    /// <summary>
    /// Adds to <paramref name="ranges"/> (at most <paramref name="max"/>, <see cref="RestorePlan.AddMissing"/>) every
    /// message the held own receipts (delivery and read, opened with the direct key to each known author with the
    /// receipt's hint) say this node received and the store does not hold: what a restore knows it still lacks
    /// (docs/protocol.md §8.3). Looks at no more than <see cref="SyncPlanner.MaxHoleProbe"/> own entries and
    /// sequences.
    /// </summary>
    public void AddMissingReceived(ArrayList ranges, int max)
    {
        uint low;
        uint high;
        if (!_chains.Store.TryGetRange(_id, out low, out high))
        {
            return;
        }

        Profile[] known = _chains.KnownProfiles();
        int probed = 0;
        for (uint s = low; probed < SyncPlanner.MaxHoleProbe; s++, probed++)
        {
            StoredEntry? own = _chains.Store.Get(_id, s);
            if (own != null && (own.Entry.Kind == EntryKind.DeliveryReceipt || own.Entry.Kind == EntryKind.ReadReceipt))
            {
                for (int k = 0; k < known.Length; k++)
                {
                    if (known[k].NodeId != _id && NodeId.HintOf(known[k].NodeId) == own.Entry.Hint && AddUnheld(own.Entry, known[k], ranges, max, ref probed))
                    {
                        break; // opened: the receipt's peer is found
                    }
                }
            }

            if (s == high)
            {
                break;
            }
        }
    }

    // Opens one own receipt to peer; if it opens, adds the sequences it covers that the store lacks. True if it opened.
    private bool AddUnheld(Entry receiptEntry, Profile peer, ArrayList ranges, int max, ref int probed)
    {
        byte[]? key = _keys.CachedDirectKey(_keys.Own, peer);
        byte[]? plain = key == null ? null : BodyCipher.Open(key, receiptEntry);
        ReceiptBody? receipt;
        if (plain == null || ReceiptBody.TryDecode(plain, peer.NodeId, out receipt) != ProtocolError.None)
        {
            return false;
        }

        for (int r = 0; r < receipt!.Ranges.Length; r++)
        {
            SequenceRange range = receipt.Ranges[r];
            for (uint q = range.From; probed < SyncPlanner.MaxHoleProbe; q++, probed++)
            {
                if (_chains.Store.Get(peer.NodeId, q) == null)
                {
                    RestorePlan.AddMissing(ranges, peer.NodeId, q, max);
                }

                if (q == range.To)
                {
                    break;
                }
            }
        }

        return true;
    }

    /// <summary>Finds the delivery receipts this node already wrote to <paramref name="author"/> (after a restore they came back from neighbours).</summary>
    private void ScanOwnReceipts(uint author)
    {
        Profile? peer = _chains.ProfileOf(author);
        uint low;
        uint high;
        if (peer == null || !_chains.Store.TryGetRange(_id, out low, out high))
        {
            return; // not marked scanned: try again once the key is known
        }

        if (!_acknowledgedScanned.Set(author, true))
        {
            // Full: forget one peer's scan mark (its receipts are scanned again when next needed).
            _acknowledgedScanned.Remove(_acknowledgedScanned.KeyAt(0));
            _acknowledgedScanned.Set(author, true);
        }

        ReadOwnReceipts(author, peer, low, high, 0, false);
    }

    /// <summary>True if a delivery receipt in the own chain to <paramref name="author"/> covers <paramref name="sequence"/>.</summary>
    private bool OwnChainReceipts(uint author, uint sequence)
    {
        Profile? peer = _chains.ProfileOf(author);
        uint low;
        uint high;
        return peer != null && _chains.Store.TryGetRange(_id, out low, out high) && ReadOwnReceipts(author, peer, low, high, sequence, true);
    }

    /// <summary>
    /// Opens the own delivery receipts to <paramref name="author"/> in [low, high]: either remembers each one, or
    /// (when <paramref name="find"/>) stops at the first that covers <paramref name="sequence"/> and says so.
    /// </summary>
    private bool ReadOwnReceipts(uint author, Profile peer, uint low, uint high, uint sequence, bool find)
    {
        byte[]? key = _keys.CachedDirectKey(_keys.Own, peer);
        for (uint s = low; key != null && s <= high; s++)
        {
            StoredEntry? own = _chains.Store.Get(_id, s);
            if (own == null || own.Entry.Kind != EntryKind.DeliveryReceipt || own.Entry.Hint != NodeId.HintOf(author))
            {
                continue;
            }

            byte[]? plain = BodyCipher.Open(key, own.Entry);
            ReceiptBody? receipt;
            if (plain == null || ReceiptBody.TryDecode(plain, author, out receipt) != ProtocolError.None)
            {
                continue;
            }

            if (!find)
            {
                RecordAcknowledged(author, receipt!);
            }
            else if (receipt!.Covers(sequence))
            {
                return true;
            }
        }

        return false;
    }
}
