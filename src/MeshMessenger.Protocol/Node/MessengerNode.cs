using MeshMessenger.Protocol.Anchors;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// The messenger's protocol logic for one node, without I/O: compose and seal entries, take frames in,
/// verify, store, open what is addressed to this node, answer with receipts, and sync chains with
/// neighbours. Frames to transmit collect in an outbox the host drains (<see cref="TakeOutbox()"/>); the
/// firmware, the emulator and the gateway drive the same class. Routing (whether to relay what is heard)
/// belongs to the router on top of it.
/// </summary>
/// <remarks>
/// A facade over the parts in this folder, each bounded by <see cref="NodeLimits"/>: <see cref="KeyRing"/> (own
/// profile, direct keys, channels), <see cref="Inbox"/> (records, <see cref="MessageAdded"/>),
/// <see cref="ReceiptLedger"/> (receipts written and remembered), <see cref="EntryReader"/> (opens verified entries),
/// <see cref="ChainSync"/> (heads, the wants it sends, restore), <see cref="WantResponder"/> (answers to wants and
/// relayed wants) and <see cref="Outbox"/> (frames to send). This class composes
/// entries and dispatches received frames by type.
/// </remarks>
public sealed class MessengerNode
{
    /// <summary>Fragmented entries in progress at once.</summary>
    public const int ReassemblySlots = 4;

    /// <summary>How long a fragmented entry may take to arrive.</summary>
    public const long ReassemblyTimeoutMilliseconds = 60000;

    /// <summary>Hop limit of new entries: Meshtastic's default of 3, which a router may tune.</summary>
    public const int DefaultHopLimit = 3;

    /// <summary>Entries sent in answer to one want message.</summary>
    public const int MaxEntriesPerAnswer = WantResponder.MaxEntriesPerAnswer;

    private readonly NodeIdentity _identity;
    private readonly IClock _clock;
    private readonly int _maxFrameSize;
    private readonly ChainStore _chains;
    private readonly LocalChain _own;
    private readonly Reassembler _reassembler;
    private readonly NodeLimits _limits;
    private readonly DeliveryTracker _tracker;
    private readonly Outbox _outbox;
    private readonly KeyRing _keys;
    private readonly Inbox _inbox;
    private readonly ReceiptLedger _receipts;
    private readonly EntryReader _reader;
    private readonly ChainSync _sync;
    private readonly WantResponder _wants;

    /// <summary>
    /// Creates a node. A fresh node (<paramref name="restoring"/> false, nothing stored) starts its chain with
    /// its profile; a restored one waits for its chain from neighbours before it appends anything.
    /// </summary>
    public MessengerNode(NodeIdentity identity, string name, IEntryStore store, IClock clock, int maxFrameSize, bool restoring)
        : this(identity, name, store, clock, maxFrameSize, restoring, new Ed25519SignatureVerifier())
    {
    }

    /// <summary>Creates a node that verifies signatures with <paramref name="verifier"/>, with a device's caps (<see cref="NodeLimits.Device"/>).</summary>
    public MessengerNode(NodeIdentity identity, string name, IEntryStore store, IClock clock, int maxFrameSize, bool restoring, ISignatureVerifier verifier)
        : this(identity, name, store, clock, maxFrameSize, restoring, verifier, NodeLimits.Device)
    {
    }

    /// <summary>Creates a node whose in-memory collections stop at <paramref name="limits"/>.</summary>
    public MessengerNode(NodeIdentity identity, string name, IEntryStore store, IClock clock, int maxFrameSize, bool restoring, ISignatureVerifier verifier, NodeLimits limits)
    {
        _identity = identity;
        _clock = clock;
        _maxFrameSize = maxFrameSize;
        _limits = limits;
        _tracker = new DeliveryTracker(limits.TrackedMessages);
        _chains = new ChainStore(store, verifier, limits.Profiles);
        _own = new LocalChain(identity, _chains);
        _reassembler = new Reassembler(ReassemblySlots, ReassemblyTimeoutMilliseconds);
        Profile profile = Profile.Of(identity, name, null);
        _chains.AddContact(profile);
        _outbox = new Outbox(limits.Outbox, maxFrameSize, Hint, Counters);
        _keys = new KeyRing(identity, profile, _chains, limits);
        _inbox = new Inbox(limits.Messages);
        _receipts = new ReceiptLedger(identity.Id, _chains, _own, clock, _keys, _inbox, _outbox, limits);
        _reader = new EntryReader(identity.Id, _chains, _keys, _inbox, _receipts, _tracker, _own, Counters);
        _sync = new ChainSync(identity.Id, _chains, _own, _outbox, _reader, _receipts, clock, limits);
        _wants = new WantResponder(identity.Id, _chains, _outbox);
        if (restoring)
        {
            _sync.BeginRestore();
        }
        else if (_own.NextSequence == 0)
        {
            // Announce the genesis so neighbours learn the keys that verify everything after it.
            _outbox.Transmit(_own.StartNew(profile, _clock.EntrySeconds), false);
        }
        else
        {
            RebuildFromStore();
        }
    }

    /// <summary>This node's id.</summary>
    public uint Id => _identity.Id;

    /// <summary>
    /// The newest anchor notice whose path leads from this node's own entry to the notice's root, or null. Notices
    /// are not signed and a device has no chain node, so this is a claim, not a proof that the root is on a chain:
    /// anyone who heard the entry can build one over a root of its own (docs/protocol.md §5.5).
    /// </summary>
    public AnchorNotice? LatestAnchor { get; private set; }

    /// <summary>
    /// Whether the person consents to what they send now leaving the mesh through a gateway. While false,
    /// new entries go out in frames marked local-only (docs/protocol.md §5.1). Set it per message.
    /// </summary>
    public bool UplinkConsent
    {
        get { return _outbox.UplinkConsent; }
        set { _outbox.UplinkConsent = value; }
    }

    /// <summary>
    /// Raised once for each newly stored chain request or chain status sealed to this node and each tip by another
    /// node, after it is verified and opened (a malformed body is counted in <see cref="NodeCounters.OpenFailures"/>
    /// and not raised). Not raised for this node's own entries, nor when <see cref="RebuildFromStore"/> re-reads
    /// held entries; entries that come back during a restore are newly stored and are raised, so a gateway's
    /// handler must be idempotent per (author, sequence).
    /// </summary>
    public event PaymentEntryHandler? PaymentEntryReceived
    {
        add { _reader.PaymentEntryReceived += value; }
        remove { _reader.PaymentEntryReceived -= value; }
    }

    /// <summary>
    /// Raised once for each record added to <see cref="Messages"/>: a message composed here, a newly stored entry
    /// opened, an own message to an author whose first profile just made its key known. Duplicate frames and replayed entries raise
    /// nothing. <see cref="RebuildFromStore"/> (also run by the constructor on a store with entries, before any
    /// handler can be attached, and when a restore ends) clears the records and raises again for each one it
    /// re-adds, so a handler must be idempotent per (author, sequence). See <see cref="Node.Inbox"/>.
    /// </summary>
    public event MessageHandler? MessageAdded
    {
        add { _inbox.MessageAdded += value; }
        remove { _inbox.MessageAdded -= value; }
    }

    /// <summary>This node's profile (the newest one it wrote).</summary>
    public Profile Profile => _keys.Own;

    /// <summary>The low byte of the id, written as the relay byte of frames this node sends.</summary>
    public byte Hint => NodeId.HintOf(_identity.Id);

    /// <summary>The verified entries this node holds.</summary>
    public ChainStore Chains => _chains;

    /// <summary>This node's own chain.</summary>
    public LocalChain OwnChain => _own;

    /// <summary>Sent / relayed / delivered / read state of this node's direct messages.</summary>
    public DeliveryTracker Tracker => _tracker;

    /// <summary>Fragment reassembly.</summary>
    public Reassembler Reassembler => _reassembler;

    /// <summary>What happened to incoming frames.</summary>
    public NodeCounters Counters { get; } = new NodeCounters();

    /// <summary>
    /// Readable messages, sent and received, in the order this node learned them (<see cref="MessageRecord"/>): a
    /// read-only view; <see cref="MessageAdded"/> is raised for each record added, <see cref="ForgetMessages"/> empties it.
    /// </summary>
    public Inbox Messages => _inbox;

    /// <summary>Frames waiting for transmission.</summary>
    public int OutboxCount => _outbox.Count;

    /// <summary>Hands the queued frames (encoded) to the host and empties the outbox.</summary>
    public byte[][] TakeOutbox()
    {
        return _outbox.Take();
    }

    /// <summary>
    /// Hands the queued frames to the host and empties the outbox; <paramref name="answers"/>[i] is true where frame i
    /// answers a neighbour's heads question or want, which anyone can ask for, or asks for the profile of an author heard
    /// but not known, which anyone can trigger: the host bounds their airtime (docs/protocol.md §8.6).
    /// </summary>
    public byte[][] TakeOutbox(out bool[] answers)
    {
        return _outbox.Take(out answers);
    }

    /// <summary>Learns a contact from a verified card.</summary>
    public bool AddContact(ContactCard card)
    {
        return _chains.AddContact(card.Profile);
    }

    /// <summary>Peers whose own delivery receipts are remembered (for tests of <see cref="NodeLimits.ReceiptPeers"/>).</summary>
    internal int ReceiptPeersHeld => _receipts.PeersHeld;

    /// <summary>Direct keys cached, both directions (for tests of <see cref="NodeLimits.DirectKeys"/>).</summary>
    internal int DirectKeysCached => _keys.DirectKeysCached;

    /// <summary>The caps on what this node holds in memory.</summary>
    public NodeLimits Limits => _limits;

    /// <summary>
    /// Joins a channel: its posts become readable and <see cref="PostToChannel(uint, string)"/> can use it.
    /// Returns false, joining nothing, when <see cref="NodeLimits.Channels"/> channels are joined already.
    /// </summary>
    public bool JoinChannel(ChannelKey channel)
    {
        return _keys.JoinChannel(channel);
    }

    /// <summary>The largest direct-message text, in UTF-8 bytes, that fits one frame at the next sequence number.</summary>
    public int SingleFrameTextCapacity()
    {
        return EntryCodec.MaxBodySize(_own.NextSequence, _maxFrameSize - FrameLimits.HeaderSize) - BodyCipher.Overhead;
    }

    /// <summary>Sends a direct message; returns its sequence number. The recipient's key must be known.</summary>
    public uint SendText(uint recipient, string text)
    {
        byte[] header = _own.NextHeader(EntryKind.Text, BodySealing.Direct, NodeId.HintOf(recipient), _clock.EntrySeconds);
        byte[] key = _keys.RequireDirectKeyTo(recipient);
        Entry entry = _own.Append(header, BodyCipher.Seal(key, _own.NextSequence, header, Utf8Text.GetBytes(text)));
        _tracker.Sent(entry.Sequence, recipient);
        _inbox.Add(new MessageRecord(Id, entry.Sequence, EntryKind.Text, recipient, 0, text, entry.Time, true));
        _outbox.Transmit(entry, true);
        return entry.Sequence;
    }

    /// <summary>
    /// Asks <paramref name="gateway"/> to read or write a public chain: appends a chain request entry sealed to it and
    /// returns its sequence (the gateway's <see cref="ChainStatusBody"/> names it). The gateway's agreement key must be
    /// known: from its contact card, or from its profile entry (sequence 0 of its chain), which sync fetches.
    /// </summary>
    public uint SendChainRequest(uint gateway, ChainRequestBody body)
    {
        return SendSealed(EntryKind.ChainRequest, gateway, body.Encode());
    }

    /// <summary>A gateway's answer to a chain request of <paramref name="requester"/>, sealed to it; returns the sequence.</summary>
    public uint SendChainStatus(uint requester, ChainStatusBody body)
    {
        return SendSealed(EntryKind.ChainStatus, requester, body.Encode());
    }

    /// <summary>Publishes a tip (in the clear, like the chain payment it names); returns the sequence.</summary>
    public uint PostTip(TipBody tip)
    {
        Entry entry = _own.Commit(EntryKind.Tip, BodySealing.Clear, 0, _clock.EntrySeconds, tip.Encode());
        _inbox.Add(new MessageRecord(Id, entry.Sequence, EntryKind.Tip, 0, 0, string.Empty, entry.Time, true));
        _outbox.Transmit(entry, false);
        return entry.Sequence;
    }

    /// <summary>
    /// Appends a new profile entry with this node's addresses on chains and the chains it serves as a gateway (null:
    /// none); keys and wallet stay. Peers that hold the chain replace the profile they knew (docs/protocol.md §2.3).
    /// Returns the sequence.
    /// </summary>
    public uint UpdateProfile(string name, ChainAddress[]? addresses, ChainTag[]? served)
    {
        var profile = new Profile(_identity.SigningKey, _identity.AgreementKey, name, _keys.Own.Wallet, addresses, served);
        RequireEntryFits(profile.EncodedSize);
        Entry entry = _own.Commit(EntryKind.Profile, BodySealing.Clear, 0, _clock.EntrySeconds, profile.Encode());
        _keys.Own = profile;
        _outbox.Transmit(entry, false);
        return entry.Sequence;
    }

    private uint SendSealed(EntryKind kind, uint recipient, byte[] plain)
    {
        RequireEntryFits(plain.Length + BodyCipher.Overhead);
        byte[] key = _keys.RequireDirectKeyTo(recipient);
        byte[] header = _own.NextHeader(kind, BodySealing.Direct, NodeId.HintOf(recipient), _clock.EntrySeconds);
        Entry entry = _own.Append(header, BodyCipher.Seal(key, _own.NextSequence, header, plain));
        _inbox.Add(new MessageRecord(Id, entry.Sequence, kind, recipient, 0, string.Empty, entry.Time, true));
        _outbox.Transmit(entry, false);
        return entry.Sequence;
    }

    /// <summary>Posts to a joined channel; returns the sequence number.</summary>
    public uint PostToChannel(uint channelId, string text)
    {
        return PostToChannel(channelId, text, PostBody.NoMedia, null);
    }

    /// <summary>Posts to a joined channel with an optional attachment (<see cref="PostBody"/>); returns the sequence number.</summary>
    public uint PostToChannel(uint channelId, string text, byte mediaType, byte[]? media)
    {
        ChannelKey? channel = _keys.ChannelById(channelId);
        if (channel == null)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "not a member of channel " + channelId.ToString("x8"));
        }

        byte[] header = _own.NextHeader(EntryKind.ChannelPost, BodySealing.Channel, channel.Hint, _clock.EntrySeconds);
        byte[] body = PostBody.Encode(text, mediaType, media);
        RequireEntryFits(body.Length + BodyCipher.Overhead);
        Entry entry = _own.Append(header, BodyCipher.Seal(channel.AuthorKey(_identity.SigningKey), _own.NextSequence, header, body));
        _inbox.Add(new MessageRecord(Id, entry.Sequence, EntryKind.ChannelPost, 0, channel.Id, text, entry.Time, true, media == null ? PostBody.NoMedia : mediaType, media));
        _outbox.Transmit(entry, false);
        return entry.Sequence;
    }

    /// <summary>Posts to the public feed (signed, in the clear); returns the sequence number.</summary>
    public uint PostPublic(string text)
    {
        return PostPublic(text, PostBody.NoMedia, null);
    }

    /// <summary>Posts to the public feed with an optional attachment (<see cref="PostBody"/>); returns the sequence number.</summary>
    public uint PostPublic(string text, byte mediaType, byte[]? media)
    {
        byte[] body = PostBody.Encode(text, mediaType, media);
        RequireEntryFits(body.Length);
        Entry entry = _own.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, _clock.EntrySeconds, body);
        _inbox.Add(new MessageRecord(Id, entry.Sequence, EntryKind.PublicPost, 0, 0, text, entry.Time, true, media == null ? PostBody.NoMedia : mediaType, media));
        _outbox.Transmit(entry, false);
        return entry.Sequence;
    }

    /// <summary>The largest post body, in bytes, one entry can carry at the next sequence number (the frame layer fragments it, §6).</summary>
    public int MaxPostBodySize()
    {
        return EntryCodec.MaxBodySize(_own.NextSequence, EntryCodec.MaxEncodedSize);
    }

    private void RequireEntryFits(int bodyLength)
    {
        if (bodyLength > MaxPostBodySize())
        {
            throw new ProtocolException(ProtocolError.TooLarge, "the post is " + bodyLength.ToString() + " bytes; an entry carries at most " + MaxPostBodySize().ToString());
        }
    }

    /// <summary>Tells <paramref name="author"/> that this node has read their messages up to and including <paramref name="sequence"/> (one receipt for the run).</summary>
    public void MarkRead(uint author, uint sequence)
    {
        _receipts.Send(EntryKind.ReadReceipt, author, _inbox.ReadRun(author, sequence));
    }

    /// <summary>
    /// Whether sync fetches every chain neighbours advertise, whenever heads are heard (a gateway or an
    /// archive), or only while restoring, and then only the own chain and known contacts' (a device:
    /// less airtime and storage). Default true.
    /// </summary>
    public bool SyncAllChains
    {
        get { return _sync.SyncAllChains; }
        set { _sync.SyncAllChains = value; }
    }

    /// <summary>
    /// True from a restore until the own chain is back and a neighbour's heads showed nothing more to fetch of the
    /// chains this node keeps: the own chain completes before the conversations do (an answer holds at most
    /// <see cref="MaxEntriesPerAnswer"/> entries), so a device keeps fetching until then.
    /// </summary>
    public bool Rebuilding => _sync.Rebuilding;

    /// <summary>Own delivery receipts remembered for <paramref name="peer"/> (for tests of <see cref="NodeLimits.ReceiptsPerPeer"/>).</summary>
    internal int ReceiptsHeldFor(uint peer)
    {
        return _receipts.HeldFor(peer);
    }

    /// <summary>Advertises this node's chain heads to its neighbours (hop limit 0), optionally asking for theirs.</summary>
    public void AnnounceHeads(bool requestReply)
    {
        _sync.AnnounceHeads(requestReply);
    }

    /// <summary>
    /// An archive (<see cref="SyncAllChains"/>) asks for entries it missed on air: one want, to the neighbour that carried
    /// the chain, for the first missing range of the next chain in turn (docs/protocol.md §8.5). The host paces the calls
    /// (device app: every <c>ArchivePullMs</c>). Does nothing on a device or while restoring; true if a want was queued.
    /// </summary>
    public bool PullMissing()
    {
        return _sync.PullMissing();
    }

    /// <summary>
    /// Takes one frame heard on a link. Untrusted: returns why it was refused, never throws; every
    /// outcome is counted in <see cref="Counters"/>.
    /// </summary>
    public ProtocolError Receive(byte[] data, int offset, int count)
    {
        Counters.FramesIn++;
        Frame? frame;
        ProtocolError error = FrameCodec.TryDecode(data, offset, count, _maxFrameSize, out frame);
        if (error == ProtocolError.None)
        {
            _sync.NoteHeard(frame!.Relay);
            error = Dispatch(frame!);
        }

        if (error != ProtocolError.None)
        {
            Counters.Count(error);
        }

        return error;
    }

    /// <summary>
    /// Ends a restore at the confirmed head (held, and vouched for: docs/protocol.md §8.3), even if not every own entry
    /// before it came back (a recipient holds only what was sent to it). The host calls this after a settling time; true if the
    /// node can append again. Entries arriving later are still read.
    /// </summary>
    public bool FinishRestore()
    {
        return _sync.FinishRestore();
    }

    /// <summary>
    /// Re-reads every held entry: own messages, conversations, channel posts and receipts. Used after a
    /// restore, when the chains have come back from neighbours. Clears <see cref="Messages"/> and raises
    /// <see cref="MessageAdded"/> again for every record re-added.
    /// </summary>
    public void RebuildFromStore()
    {
        _reader.RereadStore();
    }

    /// <summary>
    /// Drops the records held in memory (<see cref="Messages"/>); the store keeps every entry and
    /// <see cref="RebuildFromStore"/> reads them back. Raises nothing. For a host that never reads records.
    /// </summary>
    public void ForgetMessages()
    {
        _inbox.Clear();
    }

    private ProtocolError Dispatch(Frame frame)
    {
        switch (frame.Type)
        {
            case FrameType.Entry:
                return TakeEntry(frame.Payload, frame.Relay);
            case FrameType.Fragment:
                return TakeFragment(frame);
            case FrameType.Heads:
                return _sync.TakeHeads(frame);
            case FrameType.Want:
                return _wants.Take(frame);
            case FrameType.Anchor:
                return TakeAnchor(frame.Payload);
            case FrameType.Challenge:
                return TakeChallenge(frame);
            case FrameType.Proof:
                return ProtocolError.None; // proofs are for the challenger (a gateway); a device has nothing to check
            case FrameType.ReceiptRequest:
                // For the neighbours that heard the receipt pass (the device's routing layer hands it back); the node checks the payload only.
                EntryReference? asked;
                return EntryReference.TryDecode(frame.Payload, out asked);
            default:
                return TakeAck(frame.Payload);
        }
    }

    /// <summary>
    /// A gateway's proof that a checkpoint of this node's chain is anchored: kept if its Merkle path leads from
    /// this node's own entry hash to the root; notices about other authors are ignored.
    /// </summary>
    private ProtocolError TakeAnchor(byte[] payload)
    {
        AnchorNotice? notice;
        ProtocolError error = AnchorNotice.TryDecode(payload, 0, payload.Length, out notice);
        if (error != ProtocolError.None || notice!.Author != Id)
        {
            return error;
        }

        byte[]? hash = _chains.HashOf(Id, notice.Sequence);
        if (hash == null || !notice.Proves(hash))
        {
            return ProtocolError.InvalidField;
        }

        if (LatestAnchor == null || notice.Sequence >= LatestAnchor.Sequence)
        {
            LatestAnchor = notice;
        }

        return ProtocolError.None;
    }

    /// <summary>
    /// A gateway asks this node to prove its key and say which listed entries it holds (docs/protocol.md §5.4).
    /// The signature covers a domain-separated hash that can never pass as an entry. The bitmap covers only
    /// entries carrying this node's hint (those a gateway holds for it), so a challenger cannot probe whether
    /// it received anyone else's post. Only a challenge sent straight to this node (hop start 0) over an IP
    /// link is answered: a relayed copy cannot make it sign twice, and the radio link never challenges, so a
    /// challenge heard there costs no airtime.
    /// </summary>
    private ProtocolError TakeChallenge(Frame frame)
    {
        if (frame.HopStart != 0 || _maxFrameSize <= FrameLimits.LoRa)
        {
            return ProtocolError.InvalidField;
        }

        LinkChallenge? challenge;
        ProtocolError error = LinkChallenge.TryDecode(frame.Payload, 0, frame.Payload.Length, out challenge);
        if (error != ProtocolError.None)
        {
            return error;
        }

        uint held = 0;
        for (int i = 0; i < challenge!.Count; i++)
        {
            StoredEntry? stored = _chains.Store.Get(challenge.Authors[i], challenge.Sequences[i]);
            if (stored != null && stored.Entry.IsAddressedTo(Hint) && stored.Entry.Author != _identity.Id)
            {
                held |= 1u << i;
            }
        }

        LinkProof proof = LinkProof.Answer(_identity, frame.Payload, challenge.Nonce, held);
        _outbox.Queue(new Frame(FrameType.Proof, 0, 0, false, NodeId.HintOf(challenge.Gateway), Hint, proof.Encode()));
        return ProtocolError.None;
    }

    private ProtocolError TakeFragment(Frame frame)
    {
        Fragment? fragment;
        ProtocolError error = Fragment.TryDecode(frame.Payload, out fragment);
        if (error != ProtocolError.None)
        {
            return error;
        }

        byte[]? whole;
        ReassemblyStatus status = _reassembler.Offer(fragment!, _clock.MonotonicMilliseconds, out whole);
        Counters.Count(status);
        return status == ReassemblyStatus.Completed ? TakeEntry(whole!, frame.Relay) : ProtocolError.None;
    }

    private ProtocolError TakeEntry(byte[] bytes, byte relay)
    {
        Entry? entry;
        ProtocolError error = EntryCodec.TryDecode(bytes, 0, bytes.Length, out entry);
        if (error != ProtocolError.None)
        {
            return error;
        }

        // A first profile of an author whose key was unknown makes own direct messages to it readable (checked
        // before the store learns the key; a profile only confirming a contact card's key makes nothing new readable).
        bool newKey = entry!.Kind == EntryKind.Profile && entry.Sequence == 0 && entry.Author != Id && _chains.ProfileOf(entry.Author) == null;
        ChainVerdict verdict = _chains.Accept(entry);
        Counters.Count(verdict);
        if (entry.Author == Id && relay != Hint && (verdict == ChainVerdict.Duplicate || verdict == ChainVerdict.Accepted || verdict == ChainVerdict.Gap))
        {
            // Our own entry, heard from a neighbour, and its signature checked (a forged copy says nothing): it was
            // relayed (not yet delivered).
            _tracker.Relayed(entry.Sequence);
        }

        switch (verdict)
        {
            case ChainVerdict.Accepted:
            case ChainVerdict.Gap:
                _sync.NoteEntry(entry.Author, relay);
                // A recipient holds only the entries addressed to it, so gaps are normal; sync fills them on request.
                OnAccepted(entry, newKey);
                break;
            case ChainVerdict.UnknownAuthor:
                _sync.AskFor(entry.Author, 0, 0); // the profile, whose key verifies the rest
                break;
            case ChainVerdict.BadSignature:
                return ProtocolError.BadSignature;
        }

        return ProtocolError.None;
    }

    private void OnAccepted(Entry entry, bool newKey)
    {
        if (entry.Author == Id && _own.Restoring)
        {
            _own.NoteVerified(entry);
            if (_own.TryFinishRestore())
            {
                RebuildFromStore();
                _sync.SendResume();
                _receipts.AcknowledgeUnreceipted();
            }

            return;
        }

        // While restoring, what arrives is history: receipts wait until the chain head is known.
        _reader.Read(entry, !_own.Restoring, true);
        if (newKey)
        {
            _reader.ReadOwnMessagesTo(entry.Author);
        }
    }

    private ProtocolError TakeAck(byte[] payload)
    {
        EntryReference? acked;
        ProtocolError error = EntryReference.TryDecode(payload, out acked);
        if (error == ProtocolError.None && acked!.Author == Id)
        {
            _tracker.Relayed(acked.Sequence);
        }

        return error;
    }
}
