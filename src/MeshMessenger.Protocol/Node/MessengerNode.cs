using System;
using System.Collections;
using MeshMessenger.Protocol.Collections;
using MeshMessenger.Protocol.Anchors;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// The messenger's protocol logic for one node, without I/O: compose and seal entries, take frames in,
/// verify, store, open what is addressed to this node, answer with receipts, and sync chains with
/// neighbours. Frames to transmit collect in an outbox the host drains (<see cref="TakeOutbox"/>); the
/// firmware, the emulator and the gateway drive the same class. Routing (whether to relay what is heard)
/// belongs to the router on top of it.
/// </summary>
public sealed class MessengerNode
{
    /// <summary>Fragmented entries in progress at once.</summary>
    public const int ReassemblySlots = 4;

    /// <summary>How long a fragmented entry may take to arrive.</summary>
    public const long ReassemblyTimeoutMilliseconds = 60000;

    /// <summary>Hop limit of new entries: Meshtastic's default of 3, which a router may tune.</summary>
    public const int DefaultHopLimit = 3;

    /// <summary>Entries sent in answer to one want message.</summary>
    public const int MaxEntriesPerAnswer = 64;

    private readonly NodeIdentity _identity;
    private readonly IClock _clock;
    private readonly int _maxFrameSize;
    private readonly ChainStore _chains;
    private readonly LocalChain _own;
    private bool _rebuilding;
    private readonly Reassembler _reassembler;
    private readonly NodeLimits _limits;
    private readonly DeliveryTracker _tracker;
    private readonly KeyedTable _channels; // by channel hint
    private readonly ArrayList _outbox = new ArrayList();
    private readonly ArrayList _messages = new ArrayList();
    private readonly KeyedTable _acknowledged; // peer id -> ArrayList of own ReceiptBody
    private readonly KeyedTable _acknowledgedScanned; // peer id -> true once the own chain was scanned for them
    private readonly KeyedTable _directKeysOut; // recipient id -> key of messages this node writes to them
    private readonly KeyedTable _directKeysIn; // author id -> key of messages they write to this node
    private Profile _profile;
    private int _headsOffset;
    private RestorePlan? _restore; // set while a restored node rebuilds its history

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
        _channels = new KeyedTable(limits.Channels);
        _acknowledged = new KeyedTable(limits.ReceiptPeers);
        _acknowledgedScanned = new KeyedTable(limits.ReceiptPeers);
        _directKeysOut = new KeyedTable(limits.DirectKeys);
        _directKeysIn = new KeyedTable(limits.DirectKeys);
        _chains = new ChainStore(store, verifier, limits.Profiles);
        _own = new LocalChain(identity, _chains);
        _reassembler = new Reassembler(ReassemblySlots, ReassemblyTimeoutMilliseconds);
        _profile = Profile.Of(identity, name, null);
        _chains.AddContact(_profile);
        if (restoring)
        {
            _own.BeginRestore();
            _rebuilding = true;
            // Ask neighbours about our own chain first (a query head), and for their heads in general.
            var query = new ChainHead[] { new ChainHead(identity.Id, 0, 0, new byte[EntryCodec.LinkSize]) };
            Queue(new Frame(FrameType.Heads, 0, 0, false, 0, Hint, new HeadsMessage(true, true, query).Encode()));
            // On the radio, the rounds that follow (AnnounceHeads) ask further, through a neighbour heard answering
            // (§8.3, §8.4). Over IP the neighbour is a gateway holding every chain, 55 heads to a frame: one hop does.
            if (maxFrameSize <= FrameLimits.LoRa)
            {
                _restore = new RestorePlan(limits.Profiles);
                QueueRelayedWants(0, true); // the own chain at once, through every neighbour (none heard yet)
            }
        }
        else if (_own.NextSequence == 0)
        {
            // Announce the genesis so neighbours learn the keys that verify everything after it.
            Transmit(_own.StartNew(_profile, _clock.EntrySeconds), false);
        }
        else
        {
            RebuildFromStore();
        }
    }

    /// <summary>This node's id.</summary>
    public uint Id => _identity.Id;

    /// <summary>The newest verified proof that this node's chain is anchored on a public chain, or null.</summary>
    public AnchorNotice? LatestAnchor { get; private set; }

    /// <summary>
    /// Whether the person consents to what they send now leaving the mesh through a gateway. While false,
    /// new entries go out in frames marked local-only (docs/protocol.md §5.1). Set it per message.
    /// </summary>
    public bool UplinkConsent { get; set; } = true;

    /// <summary>
    /// Raised once for each newly stored chain request or chain status sealed to this node and each tip by another
    /// node, after it is verified and opened (a malformed body is counted in <see cref="NodeCounters.OpenFailures"/>
    /// and not raised). Not raised for this node's own entries, nor when <see cref="RebuildFromStore"/> re-reads
    /// held entries; entries that come back during a restore are newly stored and are raised, so a gateway's
    /// handler must be idempotent per (author, sequence).
    /// </summary>
    public event PaymentEntryHandler? PaymentEntryReceived;

    /// <summary>This node's profile (the newest one it wrote).</summary>
    public Profile Profile => _profile;

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

    /// <summary>Readable messages, sent and received, in the order this node learned them (<see cref="MessageRecord"/>).</summary>
    public ArrayList Messages => _messages;

    /// <summary>Frames waiting for transmission.</summary>
    public int OutboxCount => _outbox.Count;

    /// <summary>Hands the queued frames (encoded) to the host and empties the outbox.</summary>
    public byte[][] TakeOutbox()
    {
        var frames = new byte[_outbox.Count][];
        _outbox.CopyTo(frames);
        _outbox.Clear();
        return frames;
    }

    /// <summary>Learns a contact from a verified card.</summary>
    public bool AddContact(ContactCard card)
    {
        return _chains.AddContact(card.Profile);
    }

    /// <summary>Peers whose own delivery receipts are remembered (for tests of <see cref="NodeLimits.ReceiptPeers"/>).</summary>
    internal int ReceiptPeersHeld => _acknowledged.Count;

    /// <summary>Direct keys cached, both directions (for tests of <see cref="NodeLimits.DirectKeys"/>).</summary>
    internal int DirectKeysCached => _directKeysOut.Count + _directKeysIn.Count;

    /// <summary>The caps on what this node holds in memory.</summary>
    public NodeLimits Limits => _limits;

    /// <summary>
    /// Joins a channel: its posts become readable and <see cref="PostToChannel(uint, string)"/> can use it.
    /// Returns false, joining nothing, when <see cref="NodeLimits.Channels"/> channels are joined already.
    /// </summary>
    public bool JoinChannel(ChannelKey channel)
    {
        return _channels.Set(channel.Hint, channel);
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
        byte[] key = RequireDirectKey(_profile, RequireProfile(recipient));
        Entry entry = _own.Append(header, BodyCipher.Seal(key, _own.NextSequence, header, Utf8Text.GetBytes(text)));
        _tracker.Sent(entry.Sequence, recipient);
        AddMessage(new MessageRecord(Id, entry.Sequence, EntryKind.Text, recipient, 0, text, entry.Time, true));
        Transmit(entry, true);
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
        AddMessage(new MessageRecord(Id, entry.Sequence, EntryKind.Tip, 0, 0, string.Empty, entry.Time, true));
        Transmit(entry, false);
        return entry.Sequence;
    }

    /// <summary>
    /// Appends a new profile entry with this node's addresses on chains and the chains it serves as a gateway (null:
    /// none); keys and wallet stay. Peers that hold the chain replace the profile they knew (docs/protocol.md §2.3).
    /// Returns the sequence.
    /// </summary>
    public uint UpdateProfile(string name, ChainAddress[]? addresses, ChainTag[]? served)
    {
        var profile = new Profile(_identity.SigningKey, _identity.AgreementKey, name, _profile.Wallet, addresses, served);
        RequireEntryFits(profile.EncodedSize);
        Entry entry = _own.Commit(EntryKind.Profile, BodySealing.Clear, 0, _clock.EntrySeconds, profile.Encode());
        _profile = profile;
        Transmit(entry, false);
        return entry.Sequence;
    }

    private uint SendSealed(EntryKind kind, uint recipient, byte[] plain)
    {
        RequireEntryFits(plain.Length + BodyCipher.Overhead);
        byte[] key = RequireDirectKey(_profile, RequireProfile(recipient));
        byte[] header = _own.NextHeader(kind, BodySealing.Direct, NodeId.HintOf(recipient), _clock.EntrySeconds);
        Entry entry = _own.Append(header, BodyCipher.Seal(key, _own.NextSequence, header, plain));
        AddMessage(new MessageRecord(Id, entry.Sequence, kind, recipient, 0, string.Empty, entry.Time, true));
        Transmit(entry, false);
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
        ChannelKey? channel = ChannelById(channelId);
        if (channel == null)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "not a member of channel " + channelId.ToString("x8"));
        }

        byte[] header = _own.NextHeader(EntryKind.ChannelPost, BodySealing.Channel, channel.Hint, _clock.EntrySeconds);
        byte[] body = PostBody.Encode(text, mediaType, media);
        RequireEntryFits(body.Length + BodyCipher.Overhead);
        Entry entry = _own.Append(header, BodyCipher.Seal(channel.AuthorKey(_identity.SigningKey), _own.NextSequence, header, body));
        AddMessage(new MessageRecord(Id, entry.Sequence, EntryKind.ChannelPost, 0, channel.Id, text, entry.Time, true, media == null ? PostBody.NoMedia : mediaType, media));
        Transmit(entry, false);
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
        AddMessage(new MessageRecord(Id, entry.Sequence, EntryKind.PublicPost, 0, 0, text, entry.Time, true, media == null ? PostBody.NoMedia : mediaType, media));
        Transmit(entry, false);
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
        SendReceipt(EntryKind.ReadReceipt, author, ReadRun(author, sequence));
    }

    /// <summary>
    /// Whether sync fetches every chain neighbours advertise, whenever heads are heard (a gateway or an
    /// archive), or only while restoring, and then only the own chain and known contacts' (a device:
    /// less airtime and storage). Default true.
    /// </summary>
    public bool SyncAllChains { get; set; } = true;

    /// <summary>
    /// True from a restore until the own chain is back and a neighbour's heads showed nothing more to fetch of the
    /// chains this node keeps: the own chain completes before the conversations do (an answer holds at most
    /// <see cref="MaxEntriesPerAnswer"/> entries), so a device keeps fetching until then.
    /// </summary>
    public bool Rebuilding => _rebuilding;

    /// <summary>Own delivery receipts remembered for <paramref name="peer"/> (for tests of <see cref="NodeLimits.ReceiptsPerPeer"/>).</summary>
    internal int ReceiptsHeldFor(uint peer)
    {
        var receipts = (ArrayList?)_acknowledged.Get(peer);
        return receipts == null ? 0 : receipts.Count;
    }

    // Keeps at most NodeLimits.Messages records in memory, dropping the oldest; the store keeps the entries.
    private void AddMessage(MessageRecord record)
    {
        if (_messages.Count == _limits.Messages)
        {
            _messages.RemoveAt(0);
        }

        _messages.Add(record);
    }

    // ArrayList.AddRange is not in nanoFramework's mscorlib 1.x.
    private static void AddAll(ArrayList list, ChainHead[] items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            list.Add(items[i]);
        }
    }

    /// <summary>
    /// Advertises this node's chain heads to its neighbours (hop limit 0), optionally asking for theirs. While a
    /// restored node rebuilds (<see cref="Rebuilding"/>), each call runs the next restore round instead
    /// (docs/protocol.md §8.3), and the call after the last round ends the rebuild and sends nothing.
    /// </summary>
    public void AnnounceHeads(bool requestReply)
    {
        if (_rebuilding && _restore != null)
        {
            // A restore round (docs/protocol.md §8.3): questions about every known author's chain to the
            // neighbours, relayed wants for the conversations the own chain names; the host drives the rounds.
            if (!_restore.Done)
            {
                _restore.NextRound();
                ChainHead[][] questions = _restore.Questions(_chains, HeadsMessage.Fit(_maxFrameSize - FrameLimits.HeaderSize));
                byte askee = _restore.NextNeighbour(); // one neighbour answers a round's questions, or any if none known yet
                for (int i = 0; i < questions.Length; i++)
                {
                    Queue(new Frame(FrameType.Heads, 0, 0, false, askee, Hint, new HeadsMessage(true, true, questions[i]).Encode()));
                }

                QueueRelayedWants(askee, false);
                return;
            }

            _rebuilding = false; // every round ran: what could come back came back; this call ends the rebuild only
            return;
        }

        AnnounceHeads(requestReply, null);
    }

    // Relayed wants go through one named neighbour (docs/protocol.md §8.4): only it repeats them, and the answers
    // come back through it, so a want costs one relay and not one per neighbour.
    private void QueueRelayedWants(byte via, bool ownOnly)
    {
        RelayedWant[] wants = _restore!.RelayedWants(_chains, Id, ownOnly);
        for (int i = 0; i < wants.Length; i++)
        {
            Queue(new Frame(FrameType.Want, RelayedWant.HopLimit, RelayedWant.HopLimit, false, via, Hint, wants[i].Encode()));
        }
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

            // What was asked and the answerer's own chain (the asker may have talked to it): an answer to a question
            // is short, so the neighbours' answers collide less.
            bool ownAsked = false;
            for (int i = 0; i < asked.Length; i++)
            {
                ownAsked = ownAsked || asked[i].Author == Id;
            }

            if (!ownAsked && list.Count < fit)
            {
                AddAll(list, SyncPlanner.HeadsOf(_chains, new uint[] { Id }, 0, 1));
            }

            var answer = new ChainHead[list.Count];
            list.CopyTo(answer);
            Queue(new Frame(FrameType.Heads, 0, 0, false, 0, Hint, new HeadsMessage(requestReply, answer).Encode()));
            return;
        }

        ChainHead[] more = SyncPlanner.HeadsOf(_chains, _headsOffset, fit - list.Count);
        _headsOffset += more.Length;
        AddAll(list, more);
        var heads = new ChainHead[list.Count];
        list.CopyTo(heads);
        Queue(new Frame(FrameType.Heads, 0, 0, false, 0, Hint, new HeadsMessage(requestReply, heads).Encode()));
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
            error = Dispatch(frame!);
        }

        if (error != ProtocolError.None)
        {
            Counters.Count(error);
        }

        return error;
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

    /// <summary>
    /// Re-reads every held entry: own messages, conversations, channel posts and receipts. Used after a
    /// restore, when the chains have come back from neighbours.
    /// </summary>
    public void RebuildFromStore()
    {
        _messages.Clear();
        _acknowledged.Clear();
        _acknowledgedScanned.Clear();
        uint low;
        uint high;
        if (_chains.Store.TryGetRange(Id, out low, out high))
        {
            for (uint s = low; s <= high; s++)
            {
                StoredEntry? own = _chains.Store.Get(Id, s);
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
            if (authors[i] != Id && _chains.Store.TryGetRange(authors[i], out low, out high))
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

    private ProtocolError Dispatch(Frame frame)
    {
        switch (frame.Type)
        {
            case FrameType.Entry:
                return TakeEntry(frame.Payload, frame.Relay);
            case FrameType.Fragment:
                return TakeFragment(frame);
            case FrameType.Heads:
                return TakeHeads(frame);
            case FrameType.Want:
                return TakeWant(frame);
            case FrameType.Anchor:
                return TakeAnchor(frame.Payload);
            case FrameType.Challenge:
                return TakeChallenge(frame);
            case FrameType.Proof:
                return ProtocolError.None; // proofs are for the challenger (a gateway); a device has nothing to check
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
            if (stored != null && stored.Entry.Hint == Hint && stored.Entry.Author != _identity.Id)
            {
                held |= 1u << i;
            }
        }

        LinkProof proof = LinkProof.Answer(_identity, frame.Payload, challenge.Nonce, held);
        Queue(new Frame(FrameType.Proof, 0, 0, false, NodeId.HintOf(challenge.Gateway), Hint, proof.Encode()));
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

        if (entry!.Author == Id && relay != Hint)
        {
            // Our own entry, heard from a neighbour: it was relayed (not yet delivered).
            _tracker.Relayed(entry.Sequence);
        }

        ChainVerdict verdict = _chains.Accept(entry);
        Counters.Count(verdict);
        switch (verdict)
        {
            case ChainVerdict.Accepted:
            case ChainVerdict.Gap:
                // A recipient holds only the entries addressed to it, so gaps are normal; sync fills them on request.
                OnAccepted(entry);
                break;
            case ChainVerdict.UnknownAuthor:
                AskFor(entry.Author, 0, 0); // the profile, whose key verifies the rest
                break;
            case ChainVerdict.BadSignature:
                return ProtocolError.BadSignature;
        }

        return ProtocolError.None;
    }

    private void OnAccepted(Entry entry)
    {
        if (entry.Author == Id && _own.Restoring)
        {
            if (_own.TryFinishRestore())
            {
                RebuildFromStore();
                AcknowledgeUnreceipted();
            }

            return;
        }

        // While restoring, what arrives is history: receipts wait until the chain head is known.
        Read(entry, !_own.Restoring, true);
        if (entry.Kind == EntryKind.Profile && entry.Sequence == 0 && entry.Author != Id)
        {
            ReadOwnMessagesTo(entry.Author);
        }
    }

    private ProtocolError TakeHeads(Frame frame)
    {
        HeadsMessage? heads;
        ProtocolError error = HeadsMessage.TryDecode(frame.Payload, out heads);
        if (error != ProtocolError.None)
        {
            return error;
        }

        if (_restore != null && !heads!.Query)
        {
            long held = 0;
            for (int i = 0; i < heads.Heads.Length; i++)
            {
                held += (long)heads.Heads[i].High - heads.Heads[i].Low + 1;
            }

            _restore.NoteNeighbour(frame.Relay, held);
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
        if (_restore != null && _rebuilding)
        {
            wants = _restore.Filter(wants, _clock.MonotonicMilliseconds); // one neighbour per author at a time
        }

        if (_rebuilding && fetch && !_own.Restoring && wants.Length == 0 && _restore == null)
        {
            // Over IP (no restore rounds): nothing more to fetch of the chains kept. On the radio the rounds end it.
            _rebuilding = false;
        }

        if (wants.Length > 0)
        {
            // Addressed to the neighbour that advertised, so the others do not answer with the same entries.
            Queue(new Frame(FrameType.Want, 0, 0, false, frame.Relay, Hint, new WantMessage(wants).Encode()));
        }

        if (heads.RequestReply && (frame.NextHop == 0 || frame.NextHop == Hint))
        {
            // Questions addressed to another neighbour are left to it (docs/protocol.md §8.3).
            AnnounceHeads(false, heads.Query ? heads.Heads : null);
        }

        return ProtocolError.None;
    }

    private ProtocolError TakeWant(Frame frame)
    {
        if (frame.HopStart > 0)
        {
            return TakeRelayedWant(frame);
        }

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

    // A want from past the neighbours (docs/protocol.md §8.4): only the conversation between this node and the
    // asker is answered, at most RelayedWant.MaxAnswer entries, with the hops the want took so the answer goes as far.
    private ProtocolError TakeRelayedWant(Frame frame)
    {
        RelayedWant? want;
        ProtocolError error = RelayedWant.TryDecode(frame.Payload, out want);
        if (error != ProtocolError.None || want!.Asker == Id)
        {
            return error;
        }

        // Back through the neighbour the asker named (its relay, or the next hop of a want heard first-hand), which
        // repeats the answer once; with no neighbour named, as far as the want came.
        byte via = frame.HopsTaken > 0 ? frame.Relay : frame.NextHop;
        via = via == Hint ? (byte)0 : via; // named itself: the asker is its neighbour
        int hops = via != 0 ? RelayedWant.HopLimit : frame.HopsTaken;
        int sent = 0;
        for (int i = 0; i < want.Ranges.Length && sent < RelayedWant.MaxAnswer; i++)
        {
            SequenceRange range = want.Ranges[i];
            for (uint s = range.From; sent < RelayedWant.MaxAnswer; s++)
            {
                StoredEntry? stored = _chains.Store.Get(range.Author, s);
                if (stored != null && RelayedWant.Answers(stored.Entry, Id, want.Asker))
                {
                    Frame[] frames = Fragmenter.Split(stored.Entry.Encoded, _maxFrameSize, hops, false, Hint);
                    for (int f = 0; f < frames.Length; f++)
                    {
                        Frame answer = frames[f].Readdressed(hops, via, Hint);
                        Queue(UplinkConsent ? answer : answer.AsLocalOnly());
                    }

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

    private ProtocolError TakeAck(byte[] payload)
    {
        var reader = new ByteReader(payload, 0, payload.Length);
        uint author;
        uint sequence;
        if (!reader.TryReadUInt32(out author) || !reader.TryReadVarint(out sequence))
        {
            return ProtocolError.Truncated;
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        if (author == Id)
        {
            _tracker.Relayed(sequence);
        }

        return ProtocolError.None;
    }

    /// <summary>
    /// Opens what this node can read of a verified entry and records it; <paramref name="live"/> entries also get
    /// receipts, <paramref name="fresh"/> (newly stored) payment entries raise <see cref="PaymentEntryReceived"/>.
    /// </summary>
    private void Read(Entry entry, bool live, bool fresh)
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
                    AddMessage(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, 0, 0, post.Text, entry.Time, entry.Author == Id, post.MediaType, post.Media));
                }
            }

            return;
        }

        if (entry.Sealing == BodySealing.Channel)
        {
            ReadChannelPost(entry);
            return;
        }

        if (entry.Author == Id)
        {
            ReadOwnDirect(entry);
        }
        else if (entry.Hint == Hint)
        {
            ReadDirect(entry, live, fresh);
        }
    }

    /// <summary>The newest own profile entry (its addresses and served chains) becomes this node's profile again after a restart or restore.</summary>
    // Entries read back from the store were verified when stored, so a profile entry there is its author's; the
    // chain store keeps it only if the keys match what it knows (later profiles never change keys, docs/protocol.md §2.3).
    private void AdoptProfile(Entry entry)
    {
        if (entry.Kind != EntryKind.Profile)
        {
            return;
        }

        Profile? profile;
        var reader = new ByteReader(entry.Encoded, entry.BodyOffset, entry.BodyLength);
        if (Profile.TryRead(reader, out profile) != ProtocolError.None || reader.Remaining != 0 || profile!.NodeId != entry.Author)
        {
            return;
        }

        if (profile.NodeId == Id)
        {
            _profile = profile;
        }

        _chains.AddContact(profile);
    }

    private void ReadTip(Entry entry, bool fresh)
    {
        var body = new byte[entry.BodyLength];
        Array.Copy(entry.Encoded, entry.BodyOffset, body, 0, body.Length);
        if (TipBody.TryDecode(body, out _) != ProtocolError.None)
        {
            return; // signed but malformed: nothing to show
        }

        AddMessage(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, 0, 0, string.Empty, entry.Time, entry.Author == Id));
        if (fresh && entry.Author != Id)
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
        var channel = (ChannelKey?)_channels.Get(entry.Hint);
        Profile? author = _chains.ProfileOf(entry.Author);
        if (channel == null || author == null || entry.Kind != EntryKind.ChannelPost)
        {
            return;
        }

        byte[]? plain = BodyCipher.Open(channel.AuthorKey(author.SigningKey), entry);
        PostBody? post = plain == null ? null : PostBody.TryDecode(plain, 0, plain.Length);
        if (post == null)
        {
            Counters.OpenFailures++;
            return;
        }

        AddMessage(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, 0, channel.Id, post.Text, entry.Time, entry.Author == Id, post.MediaType, post.Media));
    }

    private void ReadDirect(Entry entry, bool live, bool fresh)
    {
        Profile? author = _chains.ProfileOf(entry.Author);
        byte[]? key = author == null ? null : CachedDirectKey(author, _profile);
        byte[]? plain = key == null ? null : BodyCipher.Open(key, entry);
        if (plain == null)
        {
            Counters.OpenFailures++;
            return;
        }

        if (entry.Kind == EntryKind.Text)
        {
            string? text = Utf8Text.Decode(plain, 0, plain.Length);
            if (text == null)
            {
                Counters.OpenFailures++;
                return;
            }

            AddMessage(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, entry.Author, 0, text, entry.Time, false));
            if (live && !IsAcknowledged(entry.Author, entry.Sequence))
            {
                SendReceipt(EntryKind.DeliveryReceipt, entry.Author, new[] { new SequenceRange(entry.Author, entry.Sequence, entry.Sequence) });
            }
        }
        else if (entry.Kind == EntryKind.DeliveryReceipt || entry.Kind == EntryKind.ReadReceipt)
        {
            ReceiptBody? receipt;
            if (ReceiptBody.TryDecode(plain, Id, out receipt) == ProtocolError.None)
            {
                _tracker.ApplyReceipt(entry.Author, receipt!, entry.Kind == EntryKind.ReadReceipt ? MessageState.Read : MessageState.Delivered);
            }
        }
        else if (entry.Kind == EntryKind.ChainRequest || entry.Kind == EntryKind.ChainStatus)
        {
            if (!IsPaymentBody(entry.Kind, plain))
            {
                Counters.OpenFailures++;
                return;
            }

            AddMessage(new MessageRecord(entry.Author, entry.Sequence, entry.Kind, entry.Author, 0, string.Empty, entry.Time, false));
            if (fresh)
            {
                RaisePayment(entry, plain);
            }
        }
    }

    /// <summary>A peer's key just became known: own direct messages to it (back from a restore) can now be read.</summary>
    private void ReadOwnMessagesTo(uint peer)
    {
        uint low;
        uint high;
        if (!_chains.Store.TryGetRange(Id, out low, out high))
        {
            return;
        }

        for (uint s = low; s <= high; s++)
        {
            StoredEntry? own = _chains.Store.Get(Id, s);
            if (own != null && (own.Entry.Kind == EntryKind.Text || own.Entry.Kind == EntryKind.ChainRequest || own.Entry.Kind == EntryKind.ChainStatus) && own.Entry.Hint == NodeId.HintOf(peer) && !HasMessage(Id, s))
            {
                ReadOwnDirect(own.Entry);
            }
        }
    }

    private bool HasMessage(uint author, uint sequence)
    {
        for (int i = 0; i < _messages.Count; i++)
        {
            var m = (MessageRecord)_messages[i]!;
            if (m.Author == author && m.Sequence == sequence)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Own sealed entries (seen again after a restore): find the recipient among known profiles by hint.</summary>
    private void ReadOwnDirect(Entry entry)
    {
        Profile[] candidates = _chains.KnownProfiles();
        for (int i = 0; i < candidates.Length; i++)
        {
            Profile peer = candidates[i];
            if (peer.NodeId == Id || NodeId.HintOf(peer.NodeId) != entry.Hint)
            {
                continue;
            }

            byte[]? key = CachedDirectKey(_profile, peer);
            byte[]? plain = key == null ? null : BodyCipher.Open(key, entry);
            if (plain == null)
            {
                continue;
            }

            ReceiptBody? receipt;
            if (entry.Kind == EntryKind.DeliveryReceipt && ReceiptBody.TryDecode(plain, peer.NodeId, out receipt) == ProtocolError.None)
            {
                RecordAcknowledged(peer.NodeId, receipt!);
            }
            else if (entry.Kind == EntryKind.ChainRequest || entry.Kind == EntryKind.ChainStatus)
            {
                AddMessage(new MessageRecord(Id, entry.Sequence, entry.Kind, peer.NodeId, 0, string.Empty, entry.Time, true));
            }
            else if (entry.Kind == EntryKind.Text)
            {
                _tracker.Sent(entry.Sequence, peer.NodeId);
                AddMessage(new MessageRecord(Id, entry.Sequence, entry.Kind, peer.NodeId, 0, Utf8Text.Decode(plain, 0, plain.Length) ?? string.Empty, entry.Time, true));
            }

            return;
        }
    }

    private void SendReceipt(EntryKind kind, uint author, SequenceRange[] ranges)
    {
        byte[] header = _own.NextHeader(kind, BodySealing.Direct, NodeId.HintOf(author), _clock.EntrySeconds);
        byte[] key = RequireDirectKey(_profile, RequireProfile(author));
        var receipt = new ReceiptBody(ranges);
        Entry entry = _own.Append(header, BodyCipher.Seal(key, _own.NextSequence, header, receipt.Encode()));
        if (kind == EntryKind.DeliveryReceipt)
        {
            RecordAcknowledged(author, receipt);
        }

        Transmit(entry, false);
    }

    private void RecordAcknowledged(uint author, ReceiptBody receipt)
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

        if (receipts.Count == _limits.ReceiptsPerPeer)
        {
            receipts.RemoveAt(0);
        }

        receipts.Add(receipt);
    }

    /// <summary>After a restore: delivery receipts for received messages that no receipt in the own chain covers.</summary>
    private void AcknowledgeUnreceipted()
    {
        for (int i = 0; i < _messages.Count; i++)
        {
            var m = (MessageRecord)_messages[i]!;
            if (!m.Outgoing && m.Kind == EntryKind.Text && !IsAcknowledged(m.Author, m.Sequence))
            {
                SendReceipt(EntryKind.DeliveryReceipt, m.Author, new[] { new SequenceRange(m.Author, m.Sequence, m.Sequence) });
            }
        }
    }

    private bool IsAcknowledged(uint author, uint sequence)
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
        return receipts != null && receipts.Count == _limits.ReceiptsPerPeer && OwnChainReceipts(author, sequence);
    }

    /// <summary>Finds the delivery receipts this node already wrote to <paramref name="author"/> (after a restore they came back from neighbours).</summary>
    private void ScanOwnReceipts(uint author)
    {
        Profile? peer = _chains.ProfileOf(author);
        uint low;
        uint high;
        if (peer == null || !_chains.Store.TryGetRange(Id, out low, out high))
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
        return peer != null && _chains.Store.TryGetRange(Id, out low, out high) && ReadOwnReceipts(author, peer, low, high, sequence, true);
    }

    /// <summary>
    /// Opens the own delivery receipts to <paramref name="author"/> in [low, high]: either remembers each one, or
    /// (when <paramref name="find"/>) stops at the first that covers <paramref name="sequence"/> and says so.
    /// </summary>
    private bool ReadOwnReceipts(uint author, Profile peer, uint low, uint high, uint sequence, bool find)
    {
        byte[]? key = CachedDirectKey(_profile, peer);
        for (uint s = low; key != null && s <= high; s++)
        {
            StoredEntry? own = _chains.Store.Get(Id, s);
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

    /// <summary>The received messages of <paramref name="author"/> up to <paramref name="sequence"/>, as ranges for one read receipt.</summary>
    private SequenceRange[] ReadRun(uint author, uint sequence)
    {
        var list = new ArrayList();
        for (int i = 0; i < _messages.Count; i++)
        {
            var m = (MessageRecord)_messages[i]!;
            if (!m.Outgoing && m.Author == author && m.Kind == EntryKind.Text && m.Sequence <= sequence)
            {
                list.Add(m.Sequence);
            }
        }

        var sequences = new uint[list.Count];
        for (int i = 0; i < sequences.Length; i++)
        {
            sequences[i] = (uint)list[i]!;
        }

        // Messages arrive in order almost always; an insertion sort handles the rest (Array.Sort is outside the subset).
        for (int i = 1; i < sequences.Length; i++)
        {
            uint v = sequences[i];
            int j = i - 1;
            while (j >= 0 && sequences[j] > v)
            {
                sequences[j + 1] = sequences[j];
                j--;
            }

            sequences[j + 1] = v;
        }

        if (sequences.Length == 0)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "no message of " + NodeId.ToText(author) + " up to " + sequence + " to mark read");
        }

        uint[] tail = sequences;
        if (sequences.Length > ReceiptBody.MaxRanges)
        {
            tail = new uint[ReceiptBody.MaxRanges];
            Array.Copy(sequences, sequences.Length - ReceiptBody.MaxRanges, tail, 0, ReceiptBody.MaxRanges);
        }

        return ReceiptBody.RangesOf(author, tail);
    }

    private void AskFor(uint author, uint from, uint to)
    {
        if (to - from >= WantMessage.MaxRangeLength)
        {
            to = from + WantMessage.MaxRangeLength - 1;
        }

        Queue(new Frame(FrameType.Want, 0, 0, false, 0, Hint, new WantMessage(new[] { new SequenceRange(author, from, to) }).Encode()));
    }

    private void Transmit(Entry entry, bool wantAck)
    {
        QueueEntry(entry, DefaultHopLimit, wantAck);
    }

    private void QueueEntry(Entry entry, int hopLimit, bool wantAck)
    {
        Frame[] frames = Fragmenter.Split(entry.Encoded, _maxFrameSize, hopLimit, wantAck, Hint);
        for (int i = 0; i < frames.Length; i++)
        {
            Queue(UplinkConsent ? frames[i] : frames[i].AsLocalOnly());
        }
    }

    private void Queue(Frame frame)
    {
        if (_outbox.Count == _limits.Outbox)
        {
            _outbox.RemoveAt(0);
            Counters.OutboxDropped++;
        }

        _outbox.Add(FrameCodec.Encode(frame, _maxFrameSize));
        Counters.FramesOut++;
    }

    /// <summary>
    /// Direct keys are cached per (author, recipient): X25519 is the costliest step of sealing and opening
    /// (tens of milliseconds on a microcontroller), and a key only changes with a profile, which v1 forbids.
    /// </summary>
    private byte[]? CachedDirectKey(Profile author, Profile recipient)
    {
        bool outgoing = author.NodeId == Id;
        KeyedTable cache = outgoing ? _directKeysOut : _directKeysIn;
        uint peer = outgoing ? recipient.NodeId : author.NodeId;
        var key = (byte[]?)cache.Get(peer);
        if (key == null)
        {
            key = DirectKey.Derive(_identity, author, recipient);
            if (key != null && !cache.Set(peer, key))
            {
                // Full: drop one cached key (derived again when needed) to make room.
                cache.Remove(cache.KeyAt(0));
                cache.Set(peer, key);
            }
        }

        return key;
    }

    private ChannelKey? ChannelById(uint channelId)
    {
        for (int i = 0; i < _channels.Count; i++)
        {
            var channel = (ChannelKey)_channels.ValueAt(i);
            if (channel.Id == channelId)
            {
                return channel;
            }
        }

        return null;
    }

    private Profile RequireProfile(uint node)
    {
        Profile? profile = _chains.ProfileOf(node);
        if (profile == null)
        {
            throw new ProtocolException(ProtocolError.InvalidKey, "no key known for " + NodeId.ToText(node) + "; add their contact card or sync their chain first");
        }

        return profile;
    }

    private byte[] RequireDirectKey(Profile author, Profile recipient)
    {
        byte[]? key = CachedDirectKey(author, recipient);
        if (key == null)
        {
            throw new ProtocolException(ProtocolError.InvalidKey, "the peer's agreement key has low order");
        }

        return key;
    }

}
