using System;
using System.Collections.Generic;
using System.Linq;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Sync;

namespace MeshMessenger.Browser;

/// <summary>
/// The one node a page runs: a <see cref="MessengerNode"/> on IP-sized frames (so it answers a gateway's link
/// challenge, docs/protocol.md §5.4) that syncs every chain it hears of, its entries in memory, and what the
/// person chose (contacts, channels) as the page hands them back at open. Read marks and delivery states are
/// not kept apart: they are read back from the entries (own read receipts, the peers' receipts).
/// </summary>
internal sealed class NodeSession
{
    private readonly RecordingEntryStore _store;
    private readonly List<uint> _contacts = [];
    private readonly Dictionary<uint, uint> _readUpTo = [];
    private readonly Dictionary<uint, byte[]?> _directKeys = [];
    private readonly Dictionary<uint, uint> _newestFrom = [];
    private NodeWallet? _wallet;
    private Payments.NodePayments? _payments;

    private NodeSession(NodeIdentity identity, MessengerNode node, RecordingEntryStore store)
    {
        Identity = identity;
        Node = node;
        _store = store;
        node.MessageAdded += OnMessageAdded;
    }

    /// <summary>The keys.</summary>
    public NodeIdentity Identity { get; }

    /// <summary>The protocol node.</summary>
    public MessengerNode Node { get; }

    /// <summary>The display name.</summary>
    public string Name => Node.Profile.Name;

    /// <summary>The contact card (MM1: text).</summary>
    public string Card => ContactCard.Create(Identity, Name, null).ToText();

    /// <summary>The wallet of this node's root, derived on first use (BIP-39 seeding is 2048 PBKDF2 rounds).</summary>
    public NodeWallet Wallet => _wallet ??= NodeWallet.Of(Identity);

    /// <summary>Payments over the mesh (balances, spends, tips), made on first use.</summary>
    public Payments.NodePayments Payments => _payments ??= new Payments.NodePayments(this);

    /// <summary>A held entry, or null.</summary>
    public Entry? EntryOf(uint author, uint sequence) => _store.Get(author, sequence)?.Entry;

    /// <summary>The address book: contacts added by card and people messaged, in the order they came.</summary>
    public IReadOnlyList<uint> Contacts => _contacts;

    /// <summary>The channels joined, by channel id.</summary>
    public Dictionary<uint, ChannelKey> Channels { get; } = [];

    /// <summary>Per peer, the highest sequence of theirs this node has read (from its own read receipts).</summary>
    public IReadOnlyDictionary<uint, uint> ReadUpTo => _readUpTo;

    /// <summary>
    /// The highest own sequence a neighbour (the gateway) showed it holds, from its heads; -1 until one did. A message
    /// is "sent" only up to here: the gateway answers heads from its committed store, so the promise survives its kill -9.
    /// </summary>
    public long HeldByNeighbourThrough { get; private set; } = -1;

    /// <summary>
    /// Opens a node: the persisted entries go into the store first, then the node is built on them (rebuilding
    /// its messages, <see cref="MessengerNode.RebuildFromStore"/>), and contacts and channels are added.
    /// </summary>
    public static NodeSession Open(NodeIdentity identity, string name, bool restoring, byte[]? entries, IEnumerable<string> cards, IEnumerable<string> invites, ISignatureVerifier verifier)
    {
        var store = new RecordingEntryStore();
        if (entries is { Length: > 0 })
        {
            foreach (StoredEntry stored in EntryBlob.Read(entries))
            {
                store.Load(stored);
            }
        }

        var node = new MessengerNode(identity, name, store, new BrowserClock(), FrameLimits.Ip, restoring, verifier, NodeLimits.Host) { SyncAllChains = true };
        var session = new NodeSession(identity, node, store);
        int index = 0;
        foreach (string text in cards)
        {
            if (ContactCard.TryParse(text.Trim(), out ContactCard? card) != ProtocolError.None)
            {
                throw new ProtocolException(ProtocolError.InvalidField, $"contact {index} is not a MeshMessenger contact card");
            }

            session.AddContactCard(card!);
            index++;
        }

        index = 0;
        foreach (string text in invites)
        {
            if (ChannelKey.TryParse(text.Trim(), out ChannelKey? channel) != ProtocolError.None)
            {
                throw new ProtocolException(ProtocolError.InvalidField, $"channel {index} is not a channel invite");
            }

            session.Channels[channel!.Id] = channel;
            node.JoinChannel(channel);
            index++;
        }

        if (store.Count > 0 && !restoring)
        {
            // Again now that contacts and channels are known: own messages to contacts and channel posts become readable.
            node.RebuildFromStore();
        }

        session.AfterRebuild();
        return session;
    }

    /// <summary>Frames to send, each one link message.</summary>
    public byte[][] TakeOutbound()
    {
        return Node.TakeOutbox();
    }

    /// <summary>Entries newly held since the last call as one blob, or null.</summary>
    public byte[]? TakeNewEntries() => EntryBlob.Write(_store.TakeNew());

    /// <summary>Takes one frame from the link; 0 or the <see cref="ProtocolError"/> it was refused for.</summary>
    public int Receive(byte[] frame)
    {
        bool restoring = Node.OwnChain.Restoring;
        ProtocolError error = Node.Receive(frame, 0, frame.Length);
        NoteOwnHeadHeld(frame);
        if (restoring != Node.OwnChain.Restoring)
        {
            AfterRebuild(); // the node re-read its entries (a restore finished)
        }

        return (int)error;
    }

    /// <summary>A neighbour's heads that list this node's own chain tell how far that neighbour holds it (docs/protocol.md §8.1).</summary>
    private void NoteOwnHeadHeld(byte[] frame)
    {
        if (FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? decoded) != ProtocolError.None
            || decoded!.Type != FrameType.Heads
            || HeadsMessage.TryDecode(decoded.Payload, out HeadsMessage? heads) != ProtocolError.None)
        {
            return;
        }

        foreach (ChainHead head in heads!.Heads)
        {
            // The head's link must match our own entry there: a neighbour cannot claim to hold what it never saw.
            if (head.Author == Node.Id && head.High > HeldByNeighbourThrough && head.High < Node.OwnChain.NextSequence
                && Node.Chains.HashOf(Node.Id, head.High) is byte[] own && EntryHash.Links(head.HeadLink, own))
            {
                HeldByNeighbourThrough = head.High;
            }
        }
    }

    /// <summary>After <see cref="MessengerNode.FinishRestore"/>: the node re-read its entries.</summary>
    public void AfterRestoreFinished() => AfterRebuild();

    /// <summary>Learns a contact from a verified card and adds it to the address book.</summary>
    public Profile AddContactCard(ContactCard card)
    {
        if (card.Profile.NodeId == Identity.Id)
        {
            throw new ArgumentException("that is your own card");
        }

        Node.AddContact(card);
        Remember(card.Profile.NodeId);
        return card.Profile;
    }

    /// <summary>Sends a direct message; the peer joins the address book.</summary>
    public uint SendText(uint peer, string text)
    {
        if (Node.Chains.ProfileOf(peer) is null)
        {
            throw new ArgumentException("this node has not seen that person's keys yet; add their contact card");
        }

        uint seq = Node.SendText(peer, text);
        Remember(peer);
        return seq;
    }

    /// <summary>Joins a channel; posts held from before become readable.</summary>
    public void Join(ChannelKey channel)
    {
        Channels[channel.Id] = channel;
        Node.JoinChannel(channel);
        Node.RebuildFromStore();
        AfterRebuild();
    }

    /// <summary>Marks every direct message from <paramref name="peer"/> read, with one read receipt for what is new; returns the newest sequence read (0 if none).</summary>
    public uint MarkRead(uint peer)
    {
        uint newest = _newestFrom.GetValueOrDefault(peer);
        if (newest > 0 && (!_readUpTo.TryGetValue(peer, out uint read) || read < newest))
        {
            Node.MarkRead(peer, newest);
            _readUpTo[peer] = newest;
        }

        return newest;
    }

    /// <summary>The state a sent direct message shows: a receipt or a relay heard wins; "sending" until its frames were taken for the link.</summary>
    public string StateOf(uint sequence)
    {
        MessageState state = Node.Tracker.StateOf(sequence);
        return state switch
        {
            MessageState.Read => "read",
            MessageState.Delivered => "delivered",
            MessageState.Relayed => "relayed",
            _ => sequence > HeldByNeighbourThrough ? "sending" : "sent",
        };
    }

    private void Remember(uint peer)
    {
        if (!_contacts.Contains(peer))
        {
            _contacts.Add(peer);
        }
    }

    /// <summary>
    /// Each record the node adds (<see cref="MessengerNode.MessageAdded"/>, raised again for every record by a rebuild):
    /// the person messaged joins the address book, and the newest direct message received per peer is kept for
    /// <see cref="MarkRead"/>. Idempotent per (author, sequence).
    /// </summary>
    private void OnMessageAdded(MessageRecord m)
    {
        if (m.Kind != EntryKind.Text)
        {
            return;
        }

        Remember(m.Outgoing ? m.Peer : m.Author);
        if (!m.Outgoing && m.Sequence > _newestFrom.GetValueOrDefault(m.Author))
        {
            _newestFrom[m.Author] = m.Sequence;
        }
    }

    /// <summary>After the node re-read its entries (people messaged joined the address book as each record was re-added): read marks come back from own read receipts.</summary>
    private void AfterRebuild()
    {
        ReadMarksFromOwnReceipts();
    }

    /// <summary>Opens this node's own read receipts (sealed to each peer, docs/protocol.md §4.4) to learn how far it read each conversation.</summary>
    private void ReadMarksFromOwnReceipts()
    {
        if (!_store.TryGetRange(Identity.Id, out uint low, out uint high))
        {
            return;
        }

        Profile[] known = Node.Chains.KnownProfiles();
        for (uint s = low; s <= high && s >= low; s++)
        {
            Entry? own = _store.Get(Identity.Id, s)?.Entry;
            if (own is null || own.Kind != EntryKind.ReadReceipt)
            {
                continue;
            }

            foreach (Profile peer in known.Where(p => p.NodeId != Identity.Id && NodeId.HintOf(p.NodeId) == own.Hint))
            {
                if (!_directKeys.TryGetValue(peer.NodeId, out byte[]? key))
                {
                    key = DirectKey.Derive(Identity, Node.Profile, peer); // X25519 is the costly step: once per peer
                    _directKeys[peer.NodeId] = key;
                }

                byte[]? plain = key is null ? null : BodyCipher.Open(key, own);
                if (plain is not null && ReceiptBody.TryDecode(plain, peer.NodeId, out ReceiptBody? receipt) == ProtocolError.None)
                {
                    uint newest = receipt!.Ranges.Max(r => r.To);
                    if (!_readUpTo.TryGetValue(peer.NodeId, out uint read) || read < newest)
                    {
                        _readUpTo[peer.NodeId] = newest;
                    }

                    break;
                }
            }

            if (s == uint.MaxValue)
            {
                break;
            }
        }
    }
}
