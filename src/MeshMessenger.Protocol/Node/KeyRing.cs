using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Collections;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// The keys a node seals and opens with: its own newest profile, the direct keys derived per peer (both
/// directions, each capped at <see cref="NodeLimits.DirectKeys"/>) and the channels joined (capped at
/// <see cref="NodeLimits.Channels"/>). Peers' profiles themselves live in the <see cref="ChainStore"/>.
/// </summary>
internal sealed class KeyRing
{
    private readonly NodeIdentity _identity;
    private readonly ChainStore _chains;
    private readonly KeyedTable _channels; // by channel hint
    private readonly KeyedTable _directKeysOut; // recipient id -> key of messages this node writes to them
    private readonly KeyedTable _directKeysIn; // author id -> key of messages they write to this node

    /// <summary>Creates the key ring of <paramref name="identity"/> with its first profile.</summary>
    public KeyRing(NodeIdentity identity, Profile profile, ChainStore chains, NodeLimits limits)
    {
        _identity = identity;
        _chains = chains;
        Own = profile;
        _channels = new KeyedTable(limits.Channels);
        _directKeysOut = new KeyedTable(limits.DirectKeys);
        _directKeysIn = new KeyedTable(limits.DirectKeys);
    }

    /// <summary>This node's profile (the newest one it wrote or read back from its chain).</summary>
    public Profile Own { get; set; }

    /// <summary>Direct keys cached, both directions.</summary>
    public int DirectKeysCached => _directKeysOut.Count + _directKeysIn.Count;

    /// <summary>Joins a channel; false, joining nothing, at <see cref="NodeLimits.Channels"/>.</summary>
    public bool JoinChannel(ChannelKey channel)
    {
        return _channels.Set(channel.Hint, channel);
    }

    /// <summary>The joined channel whose posts carry <paramref name="hint"/>, or null.</summary>
    public ChannelKey? ChannelByHint(byte hint)
    {
        return (ChannelKey?)_channels.Get(hint);
    }

    /// <summary>The joined channel with id <paramref name="channelId"/>, or null.</summary>
    public ChannelKey? ChannelById(uint channelId)
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

    /// <summary>
    /// Direct keys are cached per (author, recipient): X25519 is the costliest step of sealing and opening
    /// (tens of milliseconds on a microcontroller), and a key only changes with a profile, which v1 forbids.
    /// Null if the peer's agreement key has low order.
    /// </summary>
    public byte[]? CachedDirectKey(Profile author, Profile recipient)
    {
        bool outgoing = author.NodeId == _identity.Id;
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

    /// <summary>The key of what this node writes to <paramref name="recipient"/>; throws if their key is unknown or unusable.</summary>
    public byte[] RequireDirectKeyTo(uint recipient)
    {
        return RequireDirectKey(Own, RequireProfile(recipient));
    }

    /// <summary>The profile of <paramref name="node"/>; throws if no key of theirs is known.</summary>
    public Profile RequireProfile(uint node)
    {
        Profile? profile = _chains.ProfileOf(node);
        if (profile == null)
        {
            throw new ProtocolException(ProtocolError.InvalidKey, "no key known for " + NodeId.ToText(node) + "; add their contact card or sync their chain first");
        }

        return profile;
    }

    /// <summary>The direct key of (<paramref name="author"/>, <paramref name="recipient"/>); throws if an agreement key has low order.</summary>
    public byte[] RequireDirectKey(Profile author, Profile recipient)
    {
        byte[]? key = CachedDirectKey(author, recipient);
        if (key == null)
        {
            throw new ProtocolException(ProtocolError.InvalidKey, "the peer's agreement key has low order");
        }

        return key;
    }
}
