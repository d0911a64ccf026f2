using System.Collections.Generic;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Payments;

namespace MeshMessenger.Wallet.Chains;

/// <summary>
/// What a gateway with internet (or a wallet with its own RPC URL) asks of one chain. One implementation per family:
/// EVM over Ethereum JSON-RPC, Bitcoin-family over Bitcoin-Core-style JSON-RPC. Addresses are the wire bytes of
/// <c>ChainAddress</c> (EVM: 20 bytes; UTXO: witness version and program). Refusals are
/// <see cref="WalletException"/>s: <see cref="WalletError.Unavailable"/> when the node cannot be reached,
/// <see cref="WalletError.NodeRefused"/> with the node's reason when it rejects a transaction.
/// </summary>
public interface IChainBackend
{
    /// <summary>The chain this backend reads and broadcasts to.</summary>
    ChainTag Chain { get; }

    /// <summary>Confirmed balance in base units; <paramref name="token"/> is a 20-byte ERC-20 contract (EVM only) or null for the native coin.</summary>
    Task<BigInteger> BalanceAsync(byte[] address, byte[]? token, CancellationToken ct);

    /// <summary>The next nonce of an EVM account, pending transactions included.</summary>
    Task<ulong> NonceAsync(byte[] address, CancellationToken ct);

    /// <summary>Unspent outputs paying a UTXO address, mempool included (confirmations 0).</summary>
    Task<IReadOnlyList<UnspentOutput>> UnspentAsync(byte[] address, CancellationToken ct);

    /// <summary>What a transaction should pay now.</summary>
    Task<ChainFees> FeesAsync(CancellationToken ct);

    /// <summary>Hands a signed transaction to the node; returns its 32-byte id (display order for UTXO, as in explorers).</summary>
    Task<byte[]> BroadcastAsync(byte[] rawTransaction, CancellationToken ct);

    /// <summary>Where a transaction stands now.</summary>
    Task<TransactionState> StateAsync(byte[] transactionId, CancellationToken ct);

    /// <summary>
    /// What a transaction paid, to whom, in which asset, and how final it is: one fact per payment (an EVM transaction
    /// pays once, in Ether or by an ERC-20 transfer call; a UTXO transaction once per output). Null if the chain does not know it.
    /// </summary>
    Task<IReadOnlyList<TransferFacts>?> TransferAsync(byte[] transactionId, CancellationToken ct);
}
