using System;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;

namespace MeshMessenger.Wallet.Evm;

/// <summary>
/// Builds and signs EIP-1559 (type 2) transfers of Ether and ERC-20 tokens with the one Ethereum signer,
/// <see cref="Eip1559Transaction.Sign"/>. Reads nonce, fees, balances and gas from a backend (a direct
/// <see cref="EvmChainBackend"/>, whose chain id is checked against the node first: <see cref="WalletError.WrongChain"/>;
/// or the mesh), and refuses before
/// signing what the chain would refuse: <see cref="WalletError.InsufficientFunds"/> naming what is needed and what
/// there is. Nothing is broadcast here.
/// </summary>
public sealed class EvmTransfer
{
    /// <summary>Gas of a plain Ether transfer: G_transaction (Yellow Paper, appendix G), nothing else is executed.</summary>
    public const ulong EtherTransferGas = 21_000;

    /// <summary>
    /// Minimum fee increase of a same-nonce replacement, in percent, for both maxFeePerGas and maxPriorityFeePerGas:
    /// geth's txpool PriceBump default (core/txpool/legacypool: "Minimum price bump percentage to replace an already
    /// existing transaction (nonce)", 10), which nodes answer otherwise with "replacement transaction underpriced".
    /// </summary>
    public const int ReplacementBumpPercent = 10;

    /// <summary>
    /// Head room on eth_estimateGas for token transfers, in percent: the estimate holds for the state it ran on,
    /// and a recipient whose balance becomes non-zero meanwhile changes the storage cost (EIP-2200/EIP-2929 SSTORE).
    /// Unused gas is refunded, so the margin costs nothing if not used.
    /// </summary>
    public const int TokenGasMarginPercent = 20;

    /// <summary>
    /// Gas limit of an ERC-20 transfer over a backend without eth_estimateGas (the mesh has no such read). An
    /// OpenZeppelin ERC-20 transfer to a holder whose balance was zero uses about 52,000: G_transaction 21,000, calldata
    /// (EIP-2028), two cold storage reads and writes (EIP-2929: 2,100 each; EIP-2200: 20,000 for zero → non-zero) and
    /// the Transfer log; the anvil test measures it. Under EIP-1559 only the gas used is paid; the limit × maxFee is
    /// what the sender must hold, so the margin costs nothing but reserved balance.
    /// </summary>
    public const ulong TokenTransferGas = 100_000;

    private readonly IChainBackend _backend;
    private readonly IEvmGasEstimator? _direct;

    /// <summary>
    /// A builder over any backend of an EVM chain, e.g. a <see cref="Mesh.MeshChainBackend"/>: fees, balances and nonce
    /// come from the backend; token transfers use eth_estimateGas when it is an <see cref="IEvmGasEstimator"/> (a direct
    /// <see cref="EvmChainBackend"/>), else <see cref="TokenTransferGas"/>.
    /// </summary>
    public EvmTransfer(IChainBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend.Chain.Family != ChainFamily.Evm)
        {
            throw new WalletException(WalletError.WrongChain, backend.Chain.ToText() + " is not an EVM chain");
        }

        _backend = backend;
        _direct = backend as IEvmGasEstimator;
    }

    private ulong ChainId => _backend.Chain.Reference;

    /// <summary>maxFeePerGas for a quote: 2 × base fee + tip, which stays valid through six consecutive full blocks (EIP-1559: the base fee rises at most 12.5 % a block).</summary>
    public static BigInteger MaxFee(BigInteger baseFee, BigInteger priorityFee) => (2 * baseFee) + priorityFee;

    /// <summary>The least fee a replacement may offer for a fee of <paramref name="previous"/>: previous × (100 + <see cref="ReplacementBumpPercent"/>) / 100, rounded up.</summary>
    public static BigInteger MinimumReplacementFee(BigInteger previous) =>
        ((previous * (100 + ReplacementBumpPercent)) + 99) / 100;

    /// <summary>Signs a transfer of <paramref name="wei"/> from <paramref name="from"/> to <paramref name="to"/> (20 bytes) at the current fee quote and pending nonce.</summary>
    public Task<EvmSignedTransfer> EtherAsync(EthereumAccount from, byte[] to, BigInteger wei, CancellationToken ct) =>
        EtherAsync(from, to, wei, 0, ct);

    /// <summary>
    /// <see cref="EtherAsync(EthereumAccount, byte[], BigInteger, CancellationToken)"/> with a nonce of at least
    /// <paramref name="nonceFloor"/>: the next nonce after a payment this wallet sent moments ago, which the backend's
    /// answer (e.g. a gateway's, over the mesh) may not count yet.
    /// </summary>
    public async Task<EvmSignedTransfer> EtherAsync(EthereumAccount from, byte[] to, BigInteger wei, ulong nonceFloor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(from);
        RequireAmount(wei);
        EthereumAddress recipient = EvmAddressText.ToAddress(to);
        byte[] sender = from.Address.Bytes.ToArray();
        await EnsureChainAsync(ct).ConfigureAwait(false);
        var fees = await _backend.FeesAsync(ct).ConfigureAwait(false);
        BigInteger maxFee = MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas);
        await RequireEtherAsync(sender, wei + (maxFee * EtherTransferGas), $"{wei} wei plus up to {maxFee * EtherTransferGas} wei of gas", ct).ConfigureAwait(false);
        ulong nonce = await NonceAsync(sender, nonceFloor, ct).ConfigureAwait(false);
        return Sign(from, new Eip1559Transaction(ChainId, nonce, fees.PriorityFeePerGas, maxFee, EtherTransferGas, recipient, wei, []));
    }

    /// <summary>
    /// Signs an ERC-20 transfer(address,uint256) of <paramref name="units"/> base units of <paramref name="token"/> to
    /// <paramref name="to"/>; the gas limit is eth_estimateGas plus <see cref="TokenGasMarginPercent"/> over a direct
    /// node, <see cref="TokenTransferGas"/> over other backends.
    /// </summary>
    public Task<EvmSignedTransfer> TokenAsync(EthereumAccount from, byte[] token, byte[] to, BigInteger units, CancellationToken ct) =>
        TokenAsync(from, token, to, units, 0, ct);

    /// <summary>
    /// <see cref="TokenAsync(EthereumAccount, byte[], byte[], BigInteger, CancellationToken)"/> with a nonce of at
    /// least <paramref name="nonceFloor"/> (see <see cref="EtherAsync(EthereumAccount, byte[], BigInteger, ulong, CancellationToken)"/>).
    /// </summary>
    public async Task<EvmSignedTransfer> TokenAsync(EthereumAccount from, byte[] token, byte[] to, BigInteger units, ulong nonceFloor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(from);
        RequireAmount(units);
        EthereumAddress contract = EvmAddressText.ToAddress(token);
        byte[] data = Erc20Abi.Transfer(to, units);
        byte[] sender = from.Address.Bytes.ToArray();
        await EnsureChainAsync(ct).ConfigureAwait(false);
        BigInteger held = await _backend.BalanceAsync(sender, token, ct).ConfigureAwait(false);
        if (held < units)
        {
            throw new WalletException(WalletError.InsufficientFunds, $"insufficient funds: the transfer needs {units} token units; {EvmAddressText.Format(sender)} holds {held} of {EvmAddressText.Format(token)}");
        }

        BigInteger gas = TokenTransferGas;
        if (_direct is not null)
        {
            BigInteger estimate = await _direct.EstimateGasAsync(sender, token, data, ct).ConfigureAwait(false);
            gas = estimate + (estimate * TokenGasMarginPercent / 100);
        }

        var fees = await _backend.FeesAsync(ct).ConfigureAwait(false);
        BigInteger maxFee = MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas);
        await RequireEtherAsync(sender, maxFee * gas, $"up to {maxFee * gas} wei of gas", ct).ConfigureAwait(false);
        ulong nonce = await NonceAsync(sender, nonceFloor, ct).ConfigureAwait(false);
        return Sign(from, new Eip1559Transaction(ChainId, nonce, fees.PriorityFeePerGas, maxFee, gas, contract, BigInteger.Zero, data));
    }

    /// <summary>
    /// Signs a replacement of <paramref name="original"/>: same nonce, recipient, value, data and gas, with the given
    /// fees, each at least <see cref="MinimumReplacementFee"/> of the original's.
    /// </summary>
    /// <exception cref="WalletException"><see cref="WalletError.FeeTooLow"/> naming the least acceptable fees.</exception>
    public static EvmSignedTransfer Replace(EthereumAccount from, EvmSignedTransfer original, BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(original);
        Eip1559Transaction old = original.Transaction;
        BigInteger minTip = MinimumReplacementFee(old.MaxPriorityFeePerGas);
        BigInteger minFee = MinimumReplacementFee(old.MaxFeePerGas);
        if (maxPriorityFeePerGas < minTip || maxFeePerGas < minFee)
        {
            throw new WalletException(WalletError.FeeTooLow,
                $"a replacement must raise both fees by at least {ReplacementBumpPercent} %: priority fee ≥ {minTip} wei (asked {maxPriorityFeePerGas}), max fee ≥ {minFee} wei (asked {maxFeePerGas})");
        }

        if (maxFeePerGas < maxPriorityFeePerGas)
        {
            throw new WalletException(WalletError.FeeTooLow, $"the max fee ({maxFeePerGas} wei) is below the priority fee ({maxPriorityFeePerGas} wei) (EIP-1559)");
        }

        return Sign(from, old with { MaxPriorityFeePerGas = maxPriorityFeePerGas, MaxFeePerGas = maxFeePerGas });
    }

    /// <summary>
    /// Replaces <paramref name="original"/> at the higher of the minimum bump and the current quote, after checking
    /// the sender can pay the higher fee.
    /// </summary>
    public async Task<EvmSignedTransfer> BumpAsync(EthereumAccount from, EvmSignedTransfer original, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(original);
        Eip1559Transaction old = original.Transaction;
        var fees = await _backend.FeesAsync(ct).ConfigureAwait(false);
        BigInteger tip = BigInteger.Max(MinimumReplacementFee(old.MaxPriorityFeePerGas), fees.PriorityFeePerGas);
        BigInteger maxFee = BigInteger.Max(MinimumReplacementFee(old.MaxFeePerGas), MaxFee(fees.BaseFeePerGas, tip));
        await RequireEtherAsync(from.Address.Bytes.ToArray(), old.Value + (maxFee * old.Gas), $"{old.Value} wei plus up to {maxFee * old.Gas} wei of gas", ct).ConfigureAwait(false);
        return Replace(from, original, tip, maxFee);
    }

    /// <summary>A direct node is asked its chain id; over the mesh the gateway answers only for the chain it serves.</summary>
    private Task EnsureChainAsync(CancellationToken ct) => _direct == null ? Task.CompletedTask : _direct.EnsureChainAsync(ct);

    private async Task<ulong> NonceAsync(byte[] sender, ulong floor, CancellationToken ct)
    {
        ulong pending = await _backend.NonceAsync(sender, ct).ConfigureAwait(false);
        return Math.Max(pending, floor);
    }

    private async Task RequireEtherAsync(byte[] sender, BigInteger needed, string what, CancellationToken ct)
    {
        BigInteger balance = await _backend.BalanceAsync(sender, null, ct).ConfigureAwait(false);
        if (balance < needed)
        {
            throw new WalletException(WalletError.InsufficientFunds, $"insufficient funds: the transfer needs {needed} wei ({what}); {EvmAddressText.Format(sender)} has {balance} wei");
        }
    }

    private static void RequireAmount(BigInteger amount)
    {
        if (amount.Sign < 0 || amount > Amounts.AssetAmount.MaxValue)
        {
            throw new WalletException(WalletError.InvalidAmount, $"{amount} is not an amount between 0 and 2^256 - 1");
        }
    }

    private static EvmSignedTransfer Sign(EthereumAccount from, Eip1559Transaction transaction)
    {
        byte[] key = from.ExportPrivateKey();
        try
        {
            SignedTransaction signed = transaction.Sign(key);
            return new EvmSignedTransfer(transaction, signed.Raw, signed.Hash);
        }
        finally
        {
            Array.Clear(key);
        }
    }
}
