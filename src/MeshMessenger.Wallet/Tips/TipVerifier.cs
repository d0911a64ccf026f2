using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Mesh;

namespace MeshMessenger.Wallet.Tips;

/// <summary>
/// Checks a tip entry (docs/wallet.md, "Tips") against its chain: the tip names a post of the author whose profile
/// is given, a recipient that profile lists, and a transaction that the chain shows paying exactly that recipient,
/// asset and amount. Confirmed once it is in a block with at least one confirmation (or final), Pending while in the
/// mempool, otherwise Invalid with a <see cref="TipRefusal"/>. Reads go to any <see cref="IChainBackend"/>: a direct
/// RPC backend or a <see cref="MeshChainBackend"/>.
/// <example>
/// <code>
/// var verifier = new TipVerifier(new EvmChainBackend(ChainTag.Evm(31337), rpc));
/// TipVerdict verdict = await verifier.VerifyAsync(tip, authorProfile, postEntryHash, ct);
/// if (verdict.IsConfirmed) { /* show the tip */ } else Console.WriteLine(verdict.Message);
/// </code>
/// </example>
/// </summary>
public sealed class TipVerifier
{
    private readonly IChainBackend _backend;

    /// <summary>A verifier reading <paramref name="backend"/>'s chain.</summary>
    public TipVerifier(IChainBackend backend)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
    }

    /// <summary>
    /// Checks <paramref name="tip"/> against <paramref name="postAuthor"/>'s profile (newest known) and, when known,
    /// the hash of the tipped post entry (<paramref name="postEntryHash"/>, null: not checked). Chain errors
    /// (<see cref="WalletException"/> Unavailable) propagate: they say nothing about the tip.
    /// </summary>
    public async Task<TipVerdict> VerifyAsync(TipBody tip, Profile postAuthor, byte[]? postEntryHash, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tip);
        ArgumentNullException.ThrowIfNull(postAuthor);
        if (postAuthor.NodeId != tip.PostAuthor)
        {
            return TipVerdict.Invalid(TipRefusal.WrongPost, $"the tip names a post by {NodeId.ToText(tip.PostAuthor)}, the profile given is {NodeId.ToText(postAuthor.NodeId)}'s");
        }

        if (postEntryHash != null && (postEntryHash.Length < TipBody.PostHashPrefixSize
            || !postEntryHash.AsSpan(0, TipBody.PostHashPrefixSize).SequenceEqual(tip.PostHashPrefix)))
        {
            return TipVerdict.Invalid(TipRefusal.WrongPost, $"the tip's post hash prefix is not that of post {tip.PostSequence}");
        }

        if (!tip.Recipient.Chain.Equals(_backend.Chain))
        {
            return TipVerdict.Invalid(TipRefusal.WrongChain, $"the tip pays on {tip.Recipient.Chain.ToText()}, this verifier reads {_backend.Chain.ToText()}");
        }

        if (Array.IndexOf(postAuthor.Addresses, tip.Recipient) < 0)
        {
            return TipVerdict.Invalid(TipRefusal.RecipientNotInProfile, "the tip's recipient is not an address in the post author's profile");
        }

        IReadOnlyList<TransferFacts>? facts = await _backend.TransferAsync(tip.TxId, ct).ConfigureAwait(false);
        if (facts == null)
        {
            return TipVerdict.Invalid(TipRefusal.UnknownTransaction, "the chain does not know transaction " + Convert.ToHexStringLower(tip.TxId));
        }

        if (facts.Count == 0)
        {
            // An EVM token transfer shows its Transfer log only once executed; a reverted transaction shows none.
            TransactionState state = await _backend.StateAsync(tip.TxId, ct).ConfigureAwait(false);
            return state.Stage switch
            {
                TransactionStage.Pending => new TipVerdict(TipOutcome.Pending, TipRefusal.None, "the transaction is waiting in the mempool"),
                TransactionStage.Unknown => TipVerdict.Invalid(TipRefusal.UnknownTransaction, "the chain does not know the transaction"),
                _ => TipVerdict.Invalid(TipRefusal.TransactionFailed, $"the transaction failed in block {state.BlockNumber} and paid nothing"),
            };
        }

        BigInteger amount = MeshChainBackend.ToBigInteger(tip.Amount);
        TipRefusal refusal = TipRefusal.WrongRecipient;
        foreach (TransferFacts fact in facts)
        {
            if (!fact.Recipient.AsSpan().SequenceEqual(tip.Recipient.Address))
            {
                continue;
            }

            if (!SameToken(fact.Token, tip.Token))
            {
                refusal = refusal == TipRefusal.WrongAmount ? refusal : TipRefusal.WrongAsset;
                continue;
            }

            if (fact.Amount != amount)
            {
                refusal = TipRefusal.WrongAmount;
                continue;
            }

            return fact.State.Stage switch
            {
                TransactionStage.Final => new TipVerdict(TipOutcome.Confirmed, TipRefusal.None, $"paid, final in block {fact.State.BlockNumber}"),
                TransactionStage.Included when fact.State.Confirmations >= 1 => new TipVerdict(TipOutcome.Confirmed, TipRefusal.None, $"paid in block {fact.State.BlockNumber} ({fact.State.Confirmations} confirmations)"),
                TransactionStage.Unknown => TipVerdict.Invalid(TipRefusal.UnknownTransaction, "the transaction left the chain (dropped or reorged out)"),
                _ => new TipVerdict(TipOutcome.Pending, TipRefusal.None, "the payment is waiting in the mempool"),
            };
        }

        return refusal switch
        {
            TipRefusal.WrongAmount => TipVerdict.Invalid(refusal, "the transaction pays the recipient another amount than the tip says"),
            TipRefusal.WrongAsset => TipVerdict.Invalid(refusal, "the transaction pays the recipient in another asset than the tip says"),
            _ => TipVerdict.Invalid(refusal, "the transaction pays nothing to the tip's recipient"),
        };
    }

    private static bool SameToken(byte[]? a, byte[]? b) =>
        a == null ? b == null : b != null && a.AsSpan().SequenceEqual(b);
}
