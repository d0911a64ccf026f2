using System.Collections.Generic;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;

namespace MeshMessenger.Wallet.Tests;

/// <summary>A real backend with a count of the broadcasts handed to it (to prove a relay never broadcasts twice).</summary>
internal sealed class CountingBackend(IChainBackend inner) : IChainBackend
{
    public int Broadcasts { get; private set; }

    public ChainTag Chain => inner.Chain;

    public Task<BigInteger> BalanceAsync(byte[] address, byte[]? token, CancellationToken ct) => inner.BalanceAsync(address, token, ct);

    public Task<ulong> NonceAsync(byte[] address, CancellationToken ct) => inner.NonceAsync(address, ct);

    public Task<IReadOnlyList<UnspentOutput>> UnspentAsync(byte[] address, CancellationToken ct) => inner.UnspentAsync(address, ct);

    public Task<ChainFees> FeesAsync(CancellationToken ct) => inner.FeesAsync(ct);

    public Task<byte[]> BroadcastAsync(byte[] rawTransaction, CancellationToken ct)
    {
        Broadcasts++;
        return inner.BroadcastAsync(rawTransaction, ct);
    }

    public Task<TransactionState> StateAsync(byte[] transactionId, CancellationToken ct) => inner.StateAsync(transactionId, ct);

    public Task<IReadOnlyList<TransferFacts>?> TransferAsync(byte[] transactionId, CancellationToken ct) => inner.TransferAsync(transactionId, ct);
}
