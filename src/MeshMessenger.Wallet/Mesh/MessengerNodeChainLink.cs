using System;
using System.Collections.Generic;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;

namespace MeshMessenger.Wallet.Mesh;

/// <summary>
/// <see cref="IMeshChainLink"/> over a <see cref="MessengerNode"/>. The node is not thread-safe: pass the object the
/// host locks around every call into the node (null when the host is single-threaded); this class takes it too.
/// </summary>
public sealed class MessengerNodeChainLink : IMeshChainLink
{
    private readonly MessengerNode _node;
    private readonly object _sync;

    /// <summary>Wraps <paramref name="node"/>; <paramref name="sync"/> is the host's lock for the node, or null.</summary>
    public MessengerNodeChainLink(MessengerNode node, object? sync)
    {
        _node = node ?? throw new ArgumentNullException(nameof(node));
        _sync = sync ?? new object();
    }

    /// <inheritdoc/>
    public uint NodeId => _node.Id;

    /// <inheritdoc/>
    public event PaymentEntryHandler? PaymentEntryReceived
    {
        add => _node.PaymentEntryReceived += value;
        remove => _node.PaymentEntryReceived -= value;
    }

    /// <inheritdoc/>
    public uint SendChainRequest(uint gateway, ChainRequestBody body)
    {
        lock (_sync)
        {
            return _node.SendChainRequest(gateway, body);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<uint> GatewaysServing(ChainTag chain)
    {
        Profile[] profiles;
        lock (_sync)
        {
            profiles = _node.Chains.KnownProfiles();
        }

        var result = new List<uint>();
        foreach (Profile profile in profiles)
        {
            if (profile.NodeId == _node.Id)
            {
                continue;
            }

            foreach (ChainTag served in profile.ServedChains)
            {
                if (served.Equals(chain))
                {
                    result.Add(profile.NodeId);
                    break;
                }
            }
        }

        result.Sort();
        return result;
    }
}
