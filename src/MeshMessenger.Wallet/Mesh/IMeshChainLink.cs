using System.Collections.Generic;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;

namespace MeshMessenger.Wallet.Mesh;

/// <summary>
/// What <see cref="MeshChainBackend"/> needs of a mesh node: send a chain request sealed to a gateway, hear the
/// chain statuses sealed back, and know which gateways serve a chain. <see cref="MessengerNodeChainLink"/> adapts a
/// <c>MessengerNode</c>; the emulator and the gateway's hosted devices can adapt theirs the same way.
/// </summary>
public interface IMeshChainLink
{
    /// <summary>This node's id (a node never picks itself as its gateway).</summary>
    uint NodeId { get; }

    /// <summary>Appends a chain request entry sealed to <paramref name="gateway"/>; returns its sequence.</summary>
    uint SendChainRequest(uint gateway, ChainRequestBody body);

    /// <summary>Gateways whose newest known profile lists <paramref name="chain"/> in its served chains, in a stable order.</summary>
    IReadOnlyList<uint> GatewaysServing(ChainTag chain);

    /// <summary>Raised for each newly stored and opened chain request, chain status or tip entry addressed to this node.</summary>
    event PaymentEntryHandler? PaymentEntryReceived;
}
