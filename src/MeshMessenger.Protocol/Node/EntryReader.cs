using System;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// Opens verified entries into what the person sees: records in the <see cref="Inbox"/>, receipts applied to the
/// <see cref="DeliveryTracker"/>, own delivery receipts remembered in the <see cref="ReceiptLedger"/>, profiles adopted,
/// and payment entries raised. Holds nothing itself; only entries the <see cref="ChainStore"/> verified reach it.
/// </summary>
internal sealed class EntryReader
{
    private readonly uint _id;
    private readonly byte _hint;
    private readonly ChainStore _chains;
    private readonly KeyRing _keys;
    private readonly Inbox _inbox;
    private readonly ReceiptLedger _receipts;
    private readonly DeliveryTracker _tracker;
    private readonly LocalChain _own;
    private readonly NodeCounters _counters;

    /// <summary>Creates the reader of node <paramref name="id"/>.</summary>
    public EntryReader(uint id, ChainStore chains, KeyRing keys, Inbox inbox, ReceiptLedger receipts, DeliveryTracker tracker, LocalChain own, NodeCounters counters)
    {
        _id = id;
        _hint = NodeId.HintOf(id);
        _chains = chains;
        _keys = keys;
        _inbox = inbox;
        _receipts = receipts;
        _tracker = tracker;
        _own = own;
        _counters = counters;
    }

    /// <summary>See <see cref="MessengerNode.PaymentEntryReceived"/>.</summary>
    public event PaymentEntryHandler? PaymentEntryReceived;

    /// <summary>
    /// Re-reads every held entry: own messages, conversations, channel posts and receipts. Clears the inbox and the
    /// receipt ledger first, then re-adds (and raises) every record it can read.
    /// </summary>
    public void RereadStore()
    {
        _inbox.Clear();
        _receipts.Clear();
        uint low;
        uint high;
        if (_chains.Store.TryGetRange(_id, out low, out high))
        {
            for (uint s = low; s <= high; s++)
            {
                StoredEntry? own = _chains.Store.Get(_id, s);
                if (own != null)
                {
                    AdoptProfile(own.Entry);
                    Read(own.Entry, false, false);
                }
            }
        }

        uint[] authors = _chains.Store.Authors();
        for (int i = 0; i < authors.Length; i++)
        {
            if (authors[i] != _id && _chains.Store.TryGetRange(authors[i], out low, out high))
            {
                for (uint s = low; s <= high; s++)
                {
                    StoredEntry? held = _chains.Store.Get(authors[i], s);
                    if (held != null)
                    {
                        // A peer's later profile entry (a gateway's served chains, new addresses) must win over its
                        // sequence 0 after a restart too, as it does when it arrives live.
                        AdoptProfile(held.Entry);
                        Read(held.Entry, false, false);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Opens what this node can read of a verified entry and records it; <paramref name="live"/> entries also get
    /// receipts, <paramref name="fresh"/> (newly stored) payment entries raise <see cref="PaymentEntryReceived"/>.
    /// </summary>
    public void Read(Entry entry, bool live, bool fresh)
    {
        if (entry.Sealing == BodySealing.Clear)
        {
            if (entry.Kind == EntryKind.Tip)
            {
                ReadTip(entry, fresh);
            }
            else if (entry.Kind == EntryKind.PublicPost)
            {
                PostBody? post = PostBody.TryDecode(entry.Encoded, entry.BodyOffset, entry.BodyLength);
                if (post != null)
                {
                    _inbox.Add(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, 0, 0, post.Text, entry.Time, entry.Author == _id, post.MediaType, post.Media));
                }
            }

            return;
        }

        if (entry.Sealing == BodySealing.Channel)
        {
            ReadChannelPost(entry);
            return;
        }

        if (entry.Author == _id)
        {
            ReadOwnDirect(entry);
        }
        else if (entry.Hint == _hint)
        {
            ReadDirect(entry, live, fresh);
        }
    }

    /// <summary>The newest own profile entry (its addresses and served chains) becomes this node's profile again after a restart or restore.</summary>
    // Entries read back from the store were verified when stored, so a profile entry there is its author's; the
    // chain store keeps it only if the keys match what it knows (later profiles never change keys, docs/protocol.md §2.3).
    public void AdoptProfile(Entry entry)
    {
        if (entry.Kind != EntryKind.Profile)
        {
            return;
        }

        Profile? profile;
        if (Profile.TryDecode(entry.Encoded, entry.BodyOffset, entry.BodyLength, out profile) != ProtocolError.None || profile!.NodeId != entry.Author)
        {
            return;
        }

        if (profile.NodeId == _id)
        {
            _keys.Own = profile;
        }

        _chains.AddContact(profile);
    }

    /// <summary>
    /// A peer's key just became known: own direct messages to it (back from a restore) can now be read. Opened with
    /// that peer's key only: an entry to another peer with the same hint was read when that peer's key became known.
    /// </summary>
    public void ReadOwnMessagesTo(uint peer)
    {
        uint low;
        uint high;
        Profile? only = _chains.ProfileOf(peer);
        if (only == null || !_chains.Store.TryGetRange(_id, out low, out high))
        {
            return;
        }

        for (uint s = low; s <= high; s++)
        {
            StoredEntry? own = _chains.Store.Get(_id, s);
            if (own != null && (own.Entry.Kind == EntryKind.Text || own.Entry.Kind == EntryKind.ChainRequest || own.Entry.Kind == EntryKind.ChainStatus) && own.Entry.Hint == NodeId.HintOf(peer) && !_inbox.Contains(_id, s))
            {
                ReadOwnDirect(own.Entry, new[] { only });
            }
        }
    }

    private void ReadTip(Entry entry, bool fresh)
    {
        var body = new byte[entry.BodyLength];
        Array.Copy(entry.Encoded, entry.BodyOffset, body, 0, body.Length);
        if (TipBody.TryDecode(body, out _) != ProtocolError.None)
        {
            return; // signed but malformed: nothing to show
        }

        _inbox.Add(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, 0, 0, string.Empty, entry.Time, entry.Author == _id));
        if (fresh && entry.Author != _id)
        {
            RaisePayment(entry, body);
        }
    }

    private void RaisePayment(Entry entry, byte[] body)
    {
        PaymentEntryHandler? handler = PaymentEntryReceived;
        if (handler != null)
        {
            handler(entry.Author, entry.Sequence, entry.Kind, body);
        }
    }

    private static bool IsPaymentBody(EntryKind kind, byte[] plain)
    {
        if (kind == EntryKind.ChainRequest)
        {
            return ChainRequestBody.TryDecode(plain, out _) == ProtocolError.None;
        }

        return kind == EntryKind.ChainStatus && ChainStatusBody.TryDecode(plain, out _) == ProtocolError.None;
    }

    private void ReadChannelPost(Entry entry)
    {
        ChannelKey? channel = _keys.ChannelByHint(entry.Hint);
        Profile? author = _chains.ProfileOf(entry.Author);
        if (channel == null || author == null || entry.Kind != EntryKind.ChannelPost)
        {
            return;
        }

        byte[]? plain = BodyCipher.Open(channel.AuthorKey(author.SigningKey), entry);
        PostBody? post = plain == null ? null : PostBody.TryDecode(plain, 0, plain.Length);
        if (post == null)
        {
            _counters.OpenFailures++;
            return;
        }

        _inbox.Add(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, 0, channel.Id, post.Text, entry.Time, entry.Author == _id, post.MediaType, post.Media));
    }

    private void ReadDirect(Entry entry, bool live, bool fresh)
    {
        Profile? author = _chains.ProfileOf(entry.Author);
        byte[]? key = author == null ? null : _keys.CachedDirectKey(author, _keys.Own);
        byte[]? plain = key == null ? null : BodyCipher.Open(key, entry);
        if (plain == null)
        {
            _counters.OpenFailures++;
            return;
        }

        if (entry.Kind == EntryKind.Text)
        {
            string? text = Utf8Text.Decode(plain, 0, plain.Length);
            if (text == null)
            {
                _counters.OpenFailures++;
                return;
            }

            _inbox.Add(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, entry.Author, 0, text, entry.Time, false));
            if (live && !_receipts.IsAcknowledged(entry.Author, entry.Sequence))
            {
                _receipts.Send(EntryKind.DeliveryReceipt, entry.Author, new[] { new SequenceRange(entry.Author, entry.Sequence, entry.Sequence) });
            }
        }
        else if (entry.Kind == EntryKind.DeliveryReceipt || entry.Kind == EntryKind.ReadReceipt)
        {
            ReceiptBody? receipt;
            if (ReceiptBody.TryDecode(plain, _id, out receipt) == ProtocolError.None)
            {
                _tracker.ApplyReceipt(entry.Author, receipt!, entry.Kind == EntryKind.ReadReceipt ? MessageState.Read : MessageState.Delivered);
                for (int i = 0; i < receipt!.Ranges.Length; i++)
                {
                    _own.NoteNamedSequence(receipt.Ranges[i].To); // a restored node's head is at least this (§8.3)
                }
            }
        }
        else if (entry.Kind == EntryKind.ChainRequest || entry.Kind == EntryKind.ChainStatus)
        {
            if (!IsPaymentBody(entry.Kind, plain))
            {
                _counters.OpenFailures++;
                return;
            }

            _inbox.Add(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, entry.Author, 0, string.Empty, entry.Time, false));
            if (fresh)
            {
                RaisePayment(entry, plain);
            }
        }
    }

    /// <summary>Own sealed entries (seen again after a restore): find the recipient among known profiles by hint.</summary>
    private void ReadOwnDirect(Entry entry)
    {
        ReadOwnDirect(entry, _chains.KnownProfiles());
    }

    private void ReadOwnDirect(Entry entry, Profile[] candidates)
    {
        for (int i = 0; i < candidates.Length; i++)
        {
            Profile peer = candidates[i];
            if (peer.NodeId == _id || NodeId.HintOf(peer.NodeId) != entry.Hint)
            {
                continue;
            }

            byte[]? key = _keys.CachedDirectKey(_keys.Own, peer);
            byte[]? plain = key == null ? null : BodyCipher.Open(key, entry);
            if (plain == null)
            {
                continue;
            }

            ReceiptBody? receipt;
            if (entry.Kind == EntryKind.DeliveryReceipt && ReceiptBody.TryDecode(plain, peer.NodeId, out receipt) == ProtocolError.None)
            {
                _receipts.RecordAcknowledged(peer.NodeId, receipt!);
            }
            else if (entry.Kind == EntryKind.ChainRequest || entry.Kind == EntryKind.ChainStatus)
            {
                _inbox.Add(new MessageRecord(_id, entry.Sequence, entry.Kind, peer.NodeId, 0, string.Empty, entry.Time, true));
            }
            else if (entry.Kind == EntryKind.Text)
            {
                _tracker.Sent(entry.Sequence, peer.NodeId);
                _inbox.Add(new MessageRecord(_id, entry.Sequence, entry.Kind, peer.NodeId, 0, Utf8Text.Decode(plain, 0, plain.Length) ?? string.Empty, entry.Time, true));
            }

            return;
        }
    }
}
