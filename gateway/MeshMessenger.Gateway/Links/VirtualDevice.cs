using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// One protocol node that lives inside the gateway: an emulated demo device that chats on its own. The gateway
/// holds its keys, so any page may act as it and read its messages (docs/gateway.md §6); people's keys live in
/// their own browsers, never here. Touch <see cref="Node"/> only through <see cref="EmulatedDevices.Use{T}"/>,
/// which serialises access.
/// </summary>
public sealed class VirtualDevice
{
    private readonly Dictionary<uint, uint> _newestFrom = [];
    private MessengerNode _node;

    /// <summary>Creates the device around <paramref name="node"/>.</summary>
    public VirtualDevice(NodeIdentity identity, MessengerNode node, double rssiDbm, double snrDb)
    {
        Identity = identity;
        RssiDbm = rssiDbm;
        SnrDb = snrDb;
        _node = node;
        Attach(node);
    }

    /// <summary>The protocol node (replaced by a fresh one from the store when a write could not be stored).</summary>
    public MessengerNode Node
    {
        get => _node;
        internal set
        {
            _node.MessageAdded -= OnMessageAdded;
            _node = value;
            Attach(value);
        }
    }

    /// <summary>Per peer, the newest direct message received from them (kept from <see cref="MessengerNode.MessageAdded"/>).</summary>
    public IReadOnlyDictionary<uint, uint> NewestFrom => _newestFrom;

    /// <summary>
    /// The highest sequence of this node's own chain that the gateway's store holds (-1: none yet). Anything
    /// above it was composed but is not yet durable, and the web app shows it as "sending", never "sent".
    /// </summary>
    public long StoredThrough { get; internal set; } = -1;

    /// <summary>
    /// The highest own sequence stored and handed to at least one link (here: the other nodes the gateway hosts,
    /// which hear everything it stores, as radio neighbours would). The web app's "Sent" means this.
    /// </summary>
    public long SentThrough { get; internal set; } = -1;

    /// <summary>One write at a time, from composing to the commit (<see cref="EmulatedDevices.WriteAsync{T}"/>), so a rebuild after a failed write never races a later one.</summary>
    internal SemaphoreSlim Writing { get; } = new(1, 1);

    /// <summary>The keys (for the contact card).</summary>
    public NodeIdentity Identity { get; }

    /// <summary>The node id.</summary>
    public uint Id => Node.Id;

    /// <summary>The display name.</summary>
    public string Name => Node.Profile.Name;

    /// <summary>Signal strength of the simulated link to the gateway.</summary>
    public double RssiDbm { get; }

    /// <summary>Signal-to-noise ratio of the simulated link to the gateway.</summary>
    public double SnrDb { get; }

    /// <summary>The people this device has chosen as contacts (every author's key is known through the gateway; this is the address book).</summary>
    public HashSet<uint> Contacts { get; } = [];

    /// <summary>The channels this device is in, by channel id (the node can read their posts).</summary>
    public Dictionary<uint, MeshMessenger.Protocol.Sealing.ChannelKey> Channels { get; } = [];

    /// <summary>Joins a channel: remembered here and handed to the node.</summary>
    public void Join(MeshMessenger.Protocol.Sealing.ChannelKey channel)
    {
        Channels[channel.Id] = channel;
        Node.JoinChannel(channel);
        Node.RebuildFromStore(); // posts heard before joining become readable
    }

    /// <summary>Per peer, the highest sequence of theirs this device has read.</summary>
    public Dictionary<uint, uint> ReadUpTo { get; } = [];

    /// <summary>Marks every direct message from <paramref name="peer"/> read, with one read receipt for what is new; returns the newest sequence read (0 if none).</summary>
    public uint ReadFrom(uint peer)
    {
        uint newest = _newestFrom.GetValueOrDefault(peer);
        if (newest > 0 && (!ReadUpTo.TryGetValue(peer, out uint read) || read < newest))
        {
            ReadUpTo[peer] = newest;
            Node.MarkRead(peer, newest);
        }

        return newest;
    }

    // A node built on a store re-read it in its constructor, before anyone listened: take those records once, then listen.
    private void Attach(MessengerNode node)
    {
        foreach (MessageRecord m in node.Messages.Cast<MessageRecord>())
        {
            OnMessageAdded(m);
        }

        node.MessageAdded += OnMessageAdded;
    }

    // Raised again for every record when the node rebuilds: keeping the maximum is idempotent per (author, sequence).
    private void OnMessageAdded(MessageRecord m)
    {
        if (m.Kind == EntryKind.Text && !m.Outgoing && m.Sequence > _newestFrom.GetValueOrDefault(m.Author))
        {
            _newestFrom[m.Author] = m.Sequence;
        }
    }
}
