using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Mesh;
using MeshMessenger.Wallet.Utxo;

namespace MeshMessenger.Wallet.Tips;

/// <summary>
/// Pays a post's author at the address their profile lists for the chain and makes the tip entry's body
/// (docs/wallet.md, "Tips"): post author, sequence, the first 8 bytes of the post entry's hash, recipient, token,
/// amount and transaction id. Broadcasts through <see cref="IChainBackend"/> (direct RPC or
/// <see cref="MeshChainBackend"/>); the caller posts the body with <c>MessengerNode.PostTip</c>.
/// <example>
/// <code>
/// var sender = new TipSender(backend);                                  // the chain of the payment
/// ChainAddress to = TipSender.RecipientOf(author, backend.Chain);
/// EvmSignedTransfer signed = await new EvmTransfer(evm).EtherAsync(me, to.Address, wei, ct);
/// TipBody tip = await sender.SendAsync(signed.Raw, author, postSequence, postEntryHash, null, wei, ct);
/// node.PostTip(tip);
/// </code>
/// </example>
/// </summary>
public sealed class TipSender
{
    private readonly IChainBackend _backend;

    /// <summary>A sender broadcasting through <paramref name="backend"/>.</summary>
    public TipSender(IChainBackend backend)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
    }

    /// <summary>The first address <paramref name="author"/>'s profile lists on <paramref name="chain"/>; <see cref="WalletError.NotFound"/> if none.</summary>
    public static ChainAddress RecipientOf(Profile author, ChainTag chain)
    {
        ArgumentNullException.ThrowIfNull(author);
        foreach (ChainAddress address in author.Addresses)
        {
            if (address.Chain.Equals(chain))
            {
                return address;
            }
        }

        throw new WalletException(WalletError.NotFound, $"{NodeId.ToText(author.NodeId)}'s profile lists no address on {chain.ToText()}");
    }

    /// <summary>The tip body for a payment already made; refuses a hash shorter than 8 bytes or an out-of-range amount.</summary>
    public static TipBody Compose(uint postAuthor, uint postSequence, byte[] postEntryHash, ChainAddress recipient, byte[]? token, BigInteger amount, byte[] txId)
    {
        ArgumentNullException.ThrowIfNull(postEntryHash);
        if (postEntryHash.Length < TipBody.PostHashPrefixSize)
        {
            throw new WalletException(WalletError.NotFound, "the post entry's hash is too short");
        }

        if (amount.Sign < 0 || amount.GetByteCount(isUnsigned: true) > ChainAmount.MaxBytes)
        {
            throw new WalletException(WalletError.InvalidAmount, "a tip's amount is 0 to 2^256 - 1 base units");
        }

        try
        {
            return new TipBody(postAuthor, postSequence, postEntryHash.AsSpan(0, TipBody.PostHashPrefixSize).ToArray(), recipient, token, MeshChainBackend.ToAmount(amount), txId);
        }
        catch (ProtocolException e)
        {
            throw new WalletException(WalletError.InvalidAddress, e.Message, e);
        }
    }

    /// <summary>
    /// Broadcasts <paramref name="signedTransaction"/> (which pays <see cref="RecipientOf"/> the author on this chain
    /// <paramref name="amount"/> of <paramref name="token"/>, null = the native coin) and returns the tip body naming it.
    /// </summary>
    public async Task<TipBody> SendAsync(byte[] signedTransaction, Profile author, uint postSequence, byte[] postEntryHash, byte[]? token, BigInteger amount, CancellationToken ct)
    {
        ChainAddress recipient = RecipientOf(author, _backend.Chain);
        Compose(author.NodeId, postSequence, postEntryHash, recipient, token, amount, new byte[ChainRequestBody.TxIdSize]);
        byte[] txId = await _backend.BroadcastAsync(signedTransaction, ct).ConfigureAwait(false);
        return Compose(author.NodeId, postSequence, postEntryHash, recipient, token, amount, txId);
    }

    /// <summary>Signs (with <paramref name="builder"/>) and sends an Ether tip, or an ERC-20 one when <paramref name="token"/> is set.</summary>
    public async Task<TipBody> SendEvmAsync(EvmTransfer builder, EthereumAccount from, Profile author, uint postSequence, byte[] postEntryHash, byte[]? token, BigInteger amount, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ChainAddress recipient = RecipientOf(author, _backend.Chain);
        EvmSignedTransfer signed = token == null
            ? await builder.EtherAsync(from, recipient.Address, amount, ct).ConfigureAwait(false)
            : await builder.TokenAsync(from, token, recipient.Address, amount, ct).ConfigureAwait(false);
        return await SendAsync(signed.Raw, author, postSequence, postEntryHash, token, amount, ct).ConfigureAwait(false);
    }

    /// <summary>Builds (P2WPKH, BIP-125 replaceable) and sends a tip on a Bitcoin-family chain.</summary>
    public async Task<TipBody> SendUtxoAsync(UtxoNetwork network, IReadOnlyList<SpendableOutput> available, SegwitAccount change, uint satoshisPerVirtualByte, Profile author, uint postSequence, byte[] postEntryHash, ulong amount, CancellationToken ct)
    {
        ChainAddress recipient = RecipientOf(author, _backend.Chain);
        UtxoAddress to = UtxoAddress.FromBytes(network, recipient.Address);
        SignedUtxoTransaction signed = UtxoSpend.Build(network, available, to, amount, satoshisPerVirtualByte, change);
        return await SendAsync(signed.Raw, author, postSequence, postEntryHash, null, amount, ct).ConfigureAwait(false);
    }
}
