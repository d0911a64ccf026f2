using System.Numerics;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Protocol.Anchors;

namespace MeshMessenger.Anchoring.Batches;

/// <summary>
/// Takes each batch from Pending to Final with exactly one anchor transaction (docs/anchoring.md §4):
/// <list type="number">
/// <item>Pending: sign a type-2 transaction to self carrying 0x02 ‖ root, store it, then send it.</item>
/// <item>Signed or Sent: look for a receipt of any attempt; otherwise send the latest attempt again (the
/// same bytes, so a node that has it answers "already known"), or, once it has waited
/// <see cref="StuckAfter"/>, replace it at the same nonce with both fees raised by 12.5 % (nodes demand 10 %).</item>
/// <item>Included: re-read the block at that height; a different hash means a reorg, and the batch goes back to
/// Sent. Final once the node's 'finalized' block reaches it.</item>
/// <item>Final: the newest final batches are re-checked every pass, newest first, until one is still on the
/// chain; any the chain lost (a dev chain restarted from an older state, reset or reverted) goes back to Sent.</item>
/// </list>
/// A batch counts as lost only when the node positively says so: it is not syncing, its head is at or past
/// the stored block, and the block at that height has another hash. A node that is syncing, lags behind or
/// has no such block (pruned, restarted) cannot tell; the batch is left as it is and named in
/// <see cref="Unverified"/>, so a lagging node never makes final batches be signed again at a stale nonce.
/// Every step can be interrupted anywhere and repeated: a restart re-sends what was stored. A batch gets a new
/// nonce only when the node has none of its transactions and the stored nonce is not the account's next one
/// (the chain lost it, or another transaction took it); the chain's pending count is the only source of nonces.
/// </summary>
public sealed class Anchorer(EthereumRpcClient rpc, AnchorStore store, byte[] privateKey, BigInteger chainId)
{
    /// <summary>
    /// Anchor payload format version (the first calldata byte): the anchor format of <see cref="AnchorLeaf"/>, whose
    /// leaves name their index and tree size (format 1 had 40-byte leaves that did not, and is no longer written or accepted).
    /// </summary>
    public const byte PayloadVersion = AnchorLeaf.FormatVersion;

    /// <summary>The sender, which is also the recipient (calldata to self: no contract, cheapest).</summary>
    public EthereumAddress Address { get; } = EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(privateKey));

    /// <summary>How long a sent transaction may wait before it is replaced with higher fees.</summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Test hook: called with a step's name; throwing from it plays a crash at that point.</summary>
    public Action<string>? FaultPoint { get; init; }

    /// <summary>The calldata of a batch's anchor.</summary>
    public static byte[] Payload(byte[] root) => [PayloadVersion, .. root];

    private BigInteger? _signedThisPass;

    /// <summary>
    /// After a pass: the Included or Final batches whose block the node could neither confirm nor positively
    /// deny (it is syncing, its head is behind the block, or it has no block at that height), as sentences.
    /// </summary>
    public IReadOnlyList<string> Unverified { get; private set; } = [];

    private readonly List<string> _unverified = [];

    /// <summary>
    /// One pass: checks the node is reachable and on the configured chain (even with nothing to do, so an
    /// idle gateway notices a vanished node), the final batches the chain lost go back to Sent, then every
    /// unfinished batch takes a step.
    /// </summary>
    public async Task StepAsync(CancellationToken ct = default)
    {
        _signedThisPass = null;
        _unverified.Clear();
        Unverified = [];
        await CheckChainAsync(ct).ConfigureAwait(false);
        await ReopenLostAsync(ct).ConfigureAwait(false);
        foreach (AnchorBatch batch in store.Unfinished())
        {
            switch (batch.State)
            {
                case AnchorState.Pending:
                    await StartAsync(batch, ct).ConfigureAwait(false);
                    break;
                case AnchorState.Signed:
                case AnchorState.Sent:
                    await FollowAsync(batch, ct).ConfigureAwait(false);
                    break;
                case AnchorState.Included:
                    await ConfirmAsync(batch, ct).ConfigureAwait(false);
                    break;
            }
        }

        Unverified = [.. _unverified];
    }

    private async Task StartAsync(AnchorBatch batch, CancellationToken ct)
    {
        BigInteger nonce = await NextNonceAsync(ct).ConfigureAwait(false);
        await SignFreshAsync(batch, nonce, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The nonce for a new transaction: the node's pending count (it includes the node's pool), or one above
    /// the nonce this pass signed last, if the node's count lags behind our own sends. Not the store's highest
    /// nonce: after the chain lost history that one lies beyond the account's count, and a transaction there
    /// would wait for the gap to fill forever.
    /// </summary>
    private async Task<BigInteger> NextNonceAsync(CancellationToken ct)
    {
        BigInteger pending = await rpc.PendingNonceAsync(Address.ToString(), ct).ConfigureAwait(false);
        return _signedThisPass is { } signed && signed + 1 > pending ? signed + 1 : pending;
    }

    private async Task SignFreshAsync(AnchorBatch batch, BigInteger nonce, CancellationToken ct)
    {
        await CheckChainAsync(ct).ConfigureAwait(false);
        // Fees: the node's suggested tip, but not below the median tip of recent blocks; a fee cap of twice the
        // next block's base fee plus the tip rides out six full blocks of base-fee growth (12.5 % each).
        BigInteger suggested = await rpc.MaxPriorityFeePerGasAsync(ct).ConfigureAwait(false);
        var (nextBaseFee, recentTips) = await rpc.FeeHistoryAsync(10, 50, ct).ConfigureAwait(false);
        BigInteger median = recentTips.Count == 0 ? 0 : recentTips.Order().ElementAt(recentTips.Count / 2);
        BigInteger tip = BigInteger.Max(suggested, median);
        BigInteger maxFee = (2 * nextBaseFee) + tip;
        byte[] data = Payload(batch.Root);
        BigInteger gas = await rpc.EstimateGasAsync(Address.ToString(), Address.ToString(), data, ct).ConfigureAwait(false);
        var tx = new Eip1559Transaction(chainId, nonce, tip, maxFee, gas + (gas / 10), Address, 0, data);
        await SignStoreAndSendAsync(batch.Id, tx, ct).ConfigureAwait(false);
    }

    private async Task FollowAsync(AnchorBatch batch, CancellationToken ct)
    {
        List<AnchorAttempt> attempts = store.Attempts(batch.Id);
        foreach (AnchorAttempt attempt in attempts)
        {
            TransactionReceipt? receipt = await rpc.ReceiptAsync(attempt.TransactionHash, ct).ConfigureAwait(false);
            if (receipt is not null)
            {
                store.SetState(batch.Id, AnchorState.Included, receipt.TransactionHash, (long)receipt.BlockNumber, receipt.BlockHash, (long)receipt.GasUsed, receipt.Json);
                return;
            }
        }

        AnchorAttempt latest = attempts[^1];
        bool known = false;
        foreach (AnchorAttempt attempt in attempts)
        {
            known = known || await rpc.KnowsTransactionAsync(attempt.TransactionHash, ct).ConfigureAwait(false);
        }

        if (!known)
        {
            // The node has none of them, in its pool or in a block. The stored bytes are still good if their
            // nonce is the account's next one; otherwise the chain lost that nonce's history or another
            // transaction took it, and the batch is signed again at a nonce the chain agrees with.
            BigInteger next = await NextNonceAsync(ct).ConfigureAwait(false);
            if (batch.Nonce != next)
            {
                await SignFreshAsync(batch, next, ct).ConfigureAwait(false);
                return;
            }

            await SendAsync(latest.Raw, batch.Id, ct).ConfigureAwait(false);
            _signedThisPass = next;
            return;
        }

        if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - latest.SentAtMs < StuckAfter.TotalMilliseconds)
        {
            await SendAsync(latest.Raw, batch.Id, ct).ConfigureAwait(false);
            return;
        }

        // Replace: same nonce, both fees up by 12.5 % (rounded up), everything else the same.
        var replacement = new Eip1559Transaction(chainId, batch.Nonce!.Value, Raise(latest.MaxPriorityFeePerGas), Raise(latest.MaxFeePerGas), latest.Gas, Address, 0, Payload(batch.Root));
        await SignStoreAndSendAsync(batch.Id, replacement, ct).ConfigureAwait(false);
    }

    private async Task ConfirmAsync(AnchorBatch batch, CancellationToken ct)
    {
        bool? onChain = await OnChainAsync(batch, ct).ConfigureAwait(false);
        if (onChain is null)
        {
            return;
        }

        if (onChain == false)
        {
            // Reorganised away or lost: back to Sent, and follow it from there (a new receipt, the stored bytes
            // broadcast again, or, if the chain no longer agrees with its nonce, a fresh one).
            store.Reopen(batch.Id);
            await FollowAsync(store.Batch(batch.Id), ct).ConfigureAwait(false);
            return;
        }

        BlockHeader? finalized = await rpc.BlockAsync("finalized", ct).ConfigureAwait(false);
        if (finalized is not null && finalized.Number >= batch.BlockNumber!.Value)
        {
            store.SetState(batch.Id, AnchorState.Final, batch.TransactionHash, batch.BlockNumber, batch.BlockHash, batch.GasUsed, batch.Receipt);
        }
    }

    /// <summary>Final batches the chain no longer has, newest first, go back to Sent; the first one still on the chain, or one the node cannot judge, ends the walk (history is lost from the tip down).</summary>
    private async Task ReopenLostAsync(CancellationToken ct)
    {
        for (AnchorBatch? final = store.NewestFinal(); final is not null; final = store.NewestFinal(final.Id))
        {
            if (await OnChainAsync(final, ct).ConfigureAwait(false) != false)
            {
                return;
            }

            store.Reopen(final.Id);
        }
    }

    /// <summary>
    /// Whether a batch's stored block is still canonical: true when the block at its height has the stored
    /// hash (a block hash commits to its transactions, so no receipt is needed: a node with a pruned
    /// transaction index still confirms it); false only when the node is not syncing (eth_syncing false), its
    /// head is at or past that height, and the block there has another hash; null (recorded in
    /// <see cref="Unverified"/>) when the node cannot tell.
    /// </summary>
    private async Task<bool?> OnChainAsync(AnchorBatch batch, CancellationToken ct)
    {
        long number = batch.BlockNumber!.Value;
        BlockHeader? block = await rpc.BlockAsync(EthereumRpcClient.Quantity(number), ct).ConfigureAwait(false);
        if (block?.Hash == batch.BlockHash)
        {
            return true;
        }

        if (await rpc.SyncingAsync(ct).ConfigureAwait(false))
        {
            _unverified.Add($"batch {batch.Id} ({batch.State}, block {number}): the node is syncing");
            return null;
        }

        BlockHeader? head = await rpc.BlockAsync("latest", ct).ConfigureAwait(false);
        if (block is null || head is null || head.Number < number)
        {
            _unverified.Add($"batch {batch.Id} ({batch.State}, block {number}): the node's head is block {head?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}, it has no block {number} yet");
            return null;
        }

        return false;
    }

    private async Task CheckChainAsync(CancellationToken ct)
    {
        BigInteger nodeChain = await rpc.ChainIdAsync(ct).ConfigureAwait(false);
        if (nodeChain != chainId)
        {
            throw new RpcException("eth_chainId", $"the node is on chain {nodeChain}, the anchorer is configured for {chainId}; refusing to sign");
        }
    }

    private async Task SignStoreAndSendAsync(long batchId, Eip1559Transaction tx, CancellationToken ct)
    {
        SignedTransaction signed = tx.Sign(privateKey);
        _signedThisPass = tx.Nonce;
        FaultPoint?.Invoke("signed");
        store.AddAttempt(new AnchorAttempt(batchId, signed.HashHex, signed.Raw, tx.MaxPriorityFeePerGas, tx.MaxFeePerGas, tx.Gas, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), tx.Nonce);
        FaultPoint?.Invoke("stored");
        await SendAsync(signed.Raw, batchId, ct).ConfigureAwait(false);
        FaultPoint?.Invoke("sent");
    }

    private async Task SendAsync(byte[] raw, long batchId, CancellationToken ct)
    {
        try
        {
            await rpc.SendRawTransactionAsync(raw, ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.NodeMessage.Contains("already known", StringComparison.OrdinalIgnoreCase)
            || e.NodeMessage.Contains("already imported", StringComparison.OrdinalIgnoreCase) // anvil's words for the same
            || e.NodeMessage.Contains("nonce too low", StringComparison.OrdinalIgnoreCase)
            || e.NodeMessage.Contains("replacement transaction underpriced", StringComparison.OrdinalIgnoreCase))
        {
            // The node has it, or a transaction at this nonce is already mined (found by its receipt next pass).
        }

        if (store.Batch(batchId).State < AnchorState.Sent)
        {
            store.SetState(batchId, AnchorState.Sent);
        }
    }

    private static BigInteger Raise(BigInteger fee) => fee + ((fee + 7) / 8);
}
