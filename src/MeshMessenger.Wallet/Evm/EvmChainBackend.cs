using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;

namespace MeshMessenger.Wallet.Evm;

/// <summary>
/// <see cref="IChainBackend"/> for one EVM chain over Ethereum JSON-RPC (execution-apis). The node's chain id
/// (eth_chainId) is checked against <see cref="Chain"/> before the first use: a node on another chain is
/// <see cref="WalletError.WrongChain"/>. A node that cannot be reached, or answers outside the documented shape, is
/// <see cref="WalletError.Unavailable"/>; a JSON-RPC error on a transaction is <see cref="WalletError.NodeRefused"/>
/// with the node's own words ("insufficient funds", "nonce too low", "replacement transaction underpriced").
/// </summary>
public sealed class EvmChainBackend : IChainBackend, IEvmGasEstimator
{
    private readonly EthereumRpcClient _rpc;
    private int _chainChecked;

    /// <summary>A backend for <paramref name="chain"/> (an EVM tag) reading and broadcasting through <paramref name="rpc"/>.</summary>
    public EvmChainBackend(ChainTag chain, EthereumRpcClient rpc)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(rpc);
        if (chain.Family != ChainFamily.Evm)
        {
            throw new WalletException(WalletError.WrongChain, $"{chain.ToText()} is not an EVM chain");
        }

        Chain = chain;
        _rpc = rpc;
    }

    /// <inheritdoc />
    public ChainTag Chain { get; }

    /// <summary>The EIP-155 chain id of <see cref="Chain"/>.</summary>
    public ulong ChainId => Chain.Reference;

    /// <summary>Checks (once) that the node serves <see cref="Chain"/>.</summary>
    /// <exception cref="WalletException"><see cref="WalletError.WrongChain"/> naming both chain ids.</exception>
    public async Task EnsureChainAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _chainChecked) == 1)
        {
            return;
        }

        BigInteger remote = await Rpc(() => _rpc.ChainIdAsync(ct)).ConfigureAwait(false);
        if (remote != ChainId)
        {
            throw new WalletException(WalletError.WrongChain, $"the node serves chain id {remote}, not {ChainId} ({Chain.ToText()})");
        }

        Volatile.Write(ref _chainChecked, 1);
    }

    /// <inheritdoc />
    public async Task<BigInteger> BalanceAsync(byte[] address, byte[]? token, CancellationToken ct)
    {
        string owner = Address(address);
        await EnsureChainAsync(ct).ConfigureAwait(false);
        if (token is null)
        {
            return Quantity("eth_getBalance", await Call("eth_getBalance", [owner, "latest"], ct).ConfigureAwait(false));
        }

        byte[] answer = await EthCallAsync(token, Erc20Abi.BalanceOf(address), ct).ConfigureAwait(false);
        return Erc20Abi.DecodeUint(answer, $"balanceOf at {EvmAddressText.Format(token)}");
    }

    /// <inheritdoc />
    public async Task<ulong> NonceAsync(byte[] address, CancellationToken ct)
    {
        string owner = Address(address);
        await EnsureChainAsync(ct).ConfigureAwait(false);
        BigInteger nonce = await Rpc(() => _rpc.PendingNonceAsync(owner, ct)).ConfigureAwait(false);
        return nonce <= ulong.MaxValue ? (ulong)nonce : throw new WalletException(WalletError.Unavailable, $"the node reports an impossible nonce {nonce}");
    }

    /// <summary>EVM accounts have balances, not unspent outputs: always refused.</summary>
    public Task<IReadOnlyList<UnspentOutput>> UnspentAsync(byte[] address, CancellationToken ct) =>
        Task.FromException<IReadOnlyList<UnspentOutput>>(new WalletException(WalletError.WrongChain, $"{Chain.ToText()} is an account chain: it has no unspent outputs"));

    /// <summary>
    /// EIP-1559 quote: the next block's base fee (last element of eth_feeHistory's baseFeePerGas) and the median of
    /// the 50th-percentile tips of the last 5 blocks, or eth_maxPriorityFeePerGas when those blocks paid no tips.
    /// </summary>
    public async Task<ChainFees> FeesAsync(CancellationToken ct)
    {
        await EnsureChainAsync(ct).ConfigureAwait(false);
        (BigInteger baseFee, List<BigInteger> tips) = await Rpc(() => _rpc.FeeHistoryAsync(5, 50, ct)).ConfigureAwait(false);
        tips.Sort();
        BigInteger tip = tips.Count == 0 ? BigInteger.Zero : tips[tips.Count / 2];
        if (tip.IsZero)
        {
            tip = await Rpc(() => _rpc.MaxPriorityFeePerGasAsync(ct)).ConfigureAwait(false);
        }

        return new ChainFees(baseFee, tip, 0);
    }

    /// <inheritdoc />
    public async Task<byte[]> BroadcastAsync(byte[] rawTransaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rawTransaction);
        await EnsureChainAsync(ct).ConfigureAwait(false);
        string hash = await Rpc(() => _rpc.SendRawTransactionAsync(rawTransaction, ct)).ConfigureAwait(false);
        return Hash32("eth_sendRawTransaction", hash);
    }

    /// <summary>
    /// The receipt decides: none → Pending if eth_getTransactionByHash knows it, else Unknown (dropped, reorged out,
    /// never seen). A receipt whose block is no longer the canonical block at that height (a reorg) counts as no
    /// receipt. Included blocks at or below the node's 'finalized' block are Final.
    /// </summary>
    public async Task<TransactionState> StateAsync(byte[] transactionId, CancellationToken ct)
    {
        string hash = TxHash(transactionId);
        await EnsureChainAsync(ct).ConfigureAwait(false);
        JsonNode? receipt = await Call("eth_getTransactionReceipt", [hash], ct).ConfigureAwait(false);
        return await StateOfAsync(hash, receipt, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// What the transaction paid. Ether: the transaction's value to its recipient (while pending too). ERC-20: the
    /// EIP-20 Transfer logs of its receipt (the logs are what happened; calldata is only what was asked), so a
    /// pending token transfer shows nothing yet. A reverted transaction (receipt status 0) pays nothing: empty list.
    /// </summary>
    public async Task<IReadOnlyList<TransferFacts>?> TransferAsync(byte[] transactionId, CancellationToken ct)
    {
        string hash = TxHash(transactionId);
        await EnsureChainAsync(ct).ConfigureAwait(false);
        JsonNode? tx = await Call("eth_getTransactionByHash", [hash], ct).ConfigureAwait(false);
        if (tx is not JsonObject)
        {
            return null;
        }

        JsonNode? receipt = await Call("eth_getTransactionReceipt", [hash], ct).ConfigureAwait(false);
        TransactionState state = await StateOfAsync(hash, receipt, ct).ConfigureAwait(false);
        var facts = new List<TransferFacts>();
        bool included = state.Stage is TransactionStage.Included or TransactionStage.Final;
        if (included && Quantity("eth_getTransactionReceipt", receipt!["status"]) != 1)
        {
            return facts;
        }

        BigInteger value = Quantity("eth_getTransactionByHash", tx["value"]);
        if (value > 0 && tx["to"] is JsonValue toNode && toNode.TryGetValue(out string? to))
        {
            facts.Add(new TransferFacts(Bytes("eth_getTransactionByHash", to, 20), null, value, state));
        }

        if (included && receipt!["logs"] is JsonArray logs)
        {
            foreach (JsonNode? log in logs)
            {
                if (TransferLog(log) is (byte[] token, byte[] recipient, BigInteger amount))
                {
                    facts.Add(new TransferFacts(recipient, token, amount, state));
                }
            }
        }

        return facts;
    }

    /// <summary>ERC-20 decimals() of <paramref name="token"/>.</summary>
    public async Task<int> DecimalsAsync(byte[] token, CancellationToken ct)
    {
        await EnsureChainAsync(ct).ConfigureAwait(false);
        BigInteger decimals = Erc20Abi.DecodeUint(await EthCallAsync(token, Erc20Abi.Decimals(), ct).ConfigureAwait(false), "decimals()");
        return decimals <= 77 ? (int)decimals : throw new WalletException(WalletError.NodeRefused, $"decimals() is {decimals}; no uint256 amount can have more than 77");
    }

    /// <summary>ERC-20 symbol() of <paramref name="token"/> (untrusted text: shown, never interpreted).</summary>
    public async Task<string> SymbolAsync(byte[] token, CancellationToken ct)
    {
        await EnsureChainAsync(ct).ConfigureAwait(false);
        return Erc20Abi.DecodeString(await EthCallAsync(token, Erc20Abi.Symbol(), ct).ConfigureAwait(false), "symbol()");
    }

    /// <summary>eth_estimateGas of a call from <paramref name="from"/> to <paramref name="to"/>; a revert is <see cref="WalletError.NodeRefused"/>.</summary>
    public async Task<BigInteger> EstimateGasAsync(byte[] from, byte[] to, byte[] data, CancellationToken ct)
    {
        string f = Address(from);
        string t = Address(to);
        await EnsureChainAsync(ct).ConfigureAwait(false);
        return await Rpc(() => _rpc.EstimateGasAsync(f, t, data, ct)).ConfigureAwait(false);
    }

    private async Task<TransactionState> StateOfAsync(string hash, JsonNode? receipt, CancellationToken ct)
    {
        const string M = "eth_getTransactionReceipt";
        if (receipt is JsonObject)
        {
            BigInteger block = Quantity(M, receipt["blockNumber"]);
            string blockHash = Text(M, receipt["blockHash"]);
            JsonNode? canonical = await Call("eth_getBlockByNumber", [EthereumRpcClient.Quantity(block), false], ct).ConfigureAwait(false);
            if (canonical is JsonObject && string.Equals(Text("eth_getBlockByNumber", canonical["hash"]), blockHash, StringComparison.OrdinalIgnoreCase))
            {
                BigInteger head = Quantity("eth_blockNumber", await Call("eth_blockNumber", [], ct).ConfigureAwait(false));
                JsonNode? finalized = await Call("eth_getBlockByNumber", ["finalized", false], ct).ConfigureAwait(false);
                bool final = finalized is JsonObject && Quantity("eth_getBlockByNumber", finalized["number"]) >= block;
                BigInteger confirmations = BigInteger.Max(BigInteger.One, head - block + 1);
                return new TransactionState(final ? TransactionStage.Final : TransactionStage.Included, (ulong)block, confirmations > uint.MaxValue ? uint.MaxValue : (uint)confirmations);
            }
        }

        JsonNode? tx = await Call("eth_getTransactionByHash", [hash], ct).ConfigureAwait(false);
        bool pending = tx is JsonObject o && (o["blockHash"] is null || o["blockHash"]!.GetValueKind() == System.Text.Json.JsonValueKind.Null);
        return new TransactionState(pending ? TransactionStage.Pending : TransactionStage.Unknown, 0, 0);
    }

    private static (byte[] Token, byte[] Recipient, BigInteger Amount)? TransferLog(JsonNode? log)
    {
        const string M = "eth_getTransactionReceipt";
        if (log is not JsonObject || log["topics"] is not JsonArray topics || topics.Count != 3 || log["removed"] is JsonValue r && r.TryGetValue(out bool removed) && removed)
        {
            return null;
        }

        if (!Bytes(M, Text(M, topics[0]), 32).AsSpan().SequenceEqual(Erc20Abi.TransferTopic))
        {
            return null;
        }

        byte[] data = Bytes(M, Text(M, log["data"]), 32);
        byte[] recipientWord = Bytes(M, Text(M, topics[2]), 32);
        return (Bytes(M, Text(M, log["address"]), 20), recipientWord[12..], new BigInteger(data, isUnsigned: true, isBigEndian: true));
    }

    private async Task<byte[]> EthCallAsync(byte[] contract, byte[] data, CancellationToken ct)
    {
        string to = Address(contract);
        JsonNode? answer = await Call("eth_call", [new JsonObject { ["to"] = to, ["data"] = EthereumRpcClient.Hex(data) }, "latest"], ct).ConfigureAwait(false);
        string hex = Text("eth_call", answer);
        return Bytes("eth_call", hex, -1);
    }

    private Task<JsonNode?> Call(string method, JsonArray parameters, CancellationToken ct) => Rpc(() => _rpc.CallAsync(method, parameters, ct));

    private static async Task<T> Rpc<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Code is not null)
        {
            throw new WalletException(WalletError.NodeRefused, e.NodeMessage, e);
        }
        catch (RpcException e)
        {
            throw new WalletException(WalletError.Unavailable, e.Message, e);
        }
    }

    private static string Address(byte[] address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Length == 20 ? EthereumRpcClient.Hex(address) : throw new WalletException(WalletError.InvalidAddress, $"an EVM address is 20 bytes, not {address.Length}");
    }

    private static string TxHash(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length == 32 ? EthereumRpcClient.Hex(id) : throw new WalletException(WalletError.NotFound, $"an EVM transaction hash is 32 bytes, not {id.Length}");
    }

    private static byte[] Hash32(string method, string hex) => Bytes(method, hex, 32);

    private static string Text(string method, JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? s) && s.StartsWith("0x", StringComparison.Ordinal)
            ? s
            : throw new WalletException(WalletError.Unavailable, $"{method}: expected hex data, got {Shorten(node)}");

    private static byte[] Bytes(string method, string hex, int length)
    {
        if (hex.Length % 2 != 0 || hex.Length > (4 << 20) || (length >= 0 && hex.Length != 2 + (2 * length)))
        {
            throw new WalletException(WalletError.Unavailable, $"{method}: expected {(length < 0 ? "hex bytes" : $"{length} bytes")}, got {hex.Length} characters");
        }

        try
        {
            return Convert.FromHexString(hex.AsSpan(2));
        }
        catch (FormatException)
        {
            throw new WalletException(WalletError.Unavailable, $"{method}: the answer is not hex");
        }
    }

    private static BigInteger Quantity(string method, JsonNode? node)
    {
        string? text = node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal) || text.Length is < 3 or > 66
            || !BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out BigInteger value))
        {
            throw new WalletException(WalletError.Unavailable, $"{method}: expected a hex quantity, got {Shorten(node)}");
        }

        return value;
    }

    private static string Shorten(JsonNode? node)
    {
        string s = node?.ToJsonString() ?? "nothing";
        return s.Length > 80 ? s[..80] + "…" : s;
    }
}
