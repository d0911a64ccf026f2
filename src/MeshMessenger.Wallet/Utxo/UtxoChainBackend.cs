using System;
using System.Collections.Generic;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// <see cref="IChainBackend"/> for a Bitcoin-family chain over a Bitcoin-Core-style node (Bitcoin Core, Litecoin Core)
/// that runs with <c>-txindex=1</c> and needs no node wallet. Addresses are <c>ChainAddress</c> bytes: witness version
/// 0 and a 20-byte P2WPKH program.
/// </summary>
public sealed class UtxoChainBackend : IChainBackend
{
    /// <summary>
    /// Confirmations after which a transaction counts as final: 6, the convention since the Bitcoin whitepaper §11
    /// (attacker success probability below 0.1% at 10% hash power for z = 5-6) and Bitcoin Core's long-standing display.
    /// </summary>
    public const uint FinalConfirmations = 6;

    // RPC_INVALID_ADDRESS_OR_KEY: "No such mempool or blockchain transaction", "Transaction not in mempool".
    private const int NotFoundCode = -5;

    private const decimal UnitsPerCoin = 100_000_000m;

    private readonly UtxoRpcClient _rpc;
    private readonly UtxoNetwork _network;

    /// <summary>Reads and broadcasts on <paramref name="network"/> through <paramref name="rpc"/>.</summary>
    public UtxoChainBackend(UtxoRpcClient rpc, UtxoNetwork network)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        _rpc = rpc;
        _network = network;
        Chain = ChainTag.Utxo((uint)network);
    }

    /// <inheritdoc/>
    public ChainTag Chain { get; }

    /// <summary>The sum of the address's confirmed unspent outputs (scantxoutset over the UTXO set; mempool spends not subtracted).</summary>
    public async Task<BigInteger> BalanceAsync(byte[] address, byte[]? token, CancellationToken ct)
    {
        if (token is not null)
        {
            throw new WalletException(WalletError.WrongChain, $"{Chain} has no tokens; ask for the native coin (token null)");
        }

        BigInteger total = BigInteger.Zero;
        foreach (UnspentOutput output in await ConfirmedAsync(UtxoAddress.FromBytes(_network, address), ct).ConfigureAwait(false))
        {
            total += output.Value;
        }

        return total;
    }

    /// <summary>UTXO chains have no account nonce.</summary>
    public Task<ulong> NonceAsync(byte[] address, CancellationToken ct) =>
        throw new WalletException(WalletError.WrongChain, $"{Chain} is a UTXO chain: it has no nonce; ask for unspent outputs");

    /// <summary>
    /// Confirmed outputs from scantxoutset (which sees only the UTXO set), plus outputs of mempool transactions
    /// (getrawmempool, then getrawtransaction of each), minus outputs that mempool transactions spend. Walking the
    /// mempool is fine for a gateway's node and regtest; a busy mainnet mempool would want an address index instead.
    /// </summary>
    public async Task<IReadOnlyList<UnspentOutput>> UnspentAsync(byte[] address, CancellationToken ct) =>
        (await UnspentAsync([address], ct).ConfigureAwait(false))[0];

    /// <summary>
    /// <see cref="UnspentAsync(byte[], CancellationToken)"/> for several addresses with one scantxoutset and one mempool
    /// walk (a scan reads the whole UTXO set, minutes on mainnet, whatever the number of descriptors); one list per address, in order.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<UnspentOutput>>> UnspentAsync(IReadOnlyList<byte[]> addresses, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var scripts = new string[addresses.Count];
        var found = new List<UnspentOutput>[addresses.Count];
        var descriptors = new JsonArray();
        for (int i = 0; i < addresses.Count; i++)
        {
            scripts[i] = Convert.ToHexStringLower(UtxoAddress.FromBytes(_network, addresses[i]).ScriptPubKey);
            found[i] = [];
            // The raw() descriptor names the script itself, so the node's own address format does not matter.
            descriptors.Add("raw(" + scripts[i] + ")");
        }

        JsonNode result = (await _rpc.CallAsync("scantxoutset", ["start", descriptors], ct).ConfigureAwait(false))!;
        ulong tip = result["height"]!.GetValue<ulong>();
        foreach (JsonNode? unspent in result["unspents"]!.AsArray())
        {
            int owner = Array.IndexOf(scripts, unspent!["scriptPubKey"]!.GetValue<string>());
            if (owner >= 0)
            {
                found[owner].Add(new UnspentOutput(
                    Convert.FromHexString(unspent["txid"]!.GetValue<string>()),
                    unspent["vout"]!.GetValue<uint>(),
                    Units(unspent["amount"]!),
                    (uint)(tip - unspent["height"]!.GetValue<ulong>() + 1)));
            }
        }

        var spent = new HashSet<string>(StringComparer.Ordinal);
        JsonArray pool = (await _rpc.CallAsync("getrawmempool", [], ct).ConfigureAwait(false))!.AsArray();
        foreach (JsonNode? id in pool)
        {
            JsonNode? tx = await TryGetTransactionAsync(id!.GetValue<string>(), ct).ConfigureAwait(false);
            if (tx is null)
            {
                continue; // Mined or evicted between the two calls.
            }

            foreach (JsonNode? input in tx["vin"]!.AsArray())
            {
                if (input?["txid"] is JsonNode prev)
                {
                    spent.Add(prev.GetValue<string>() + ":" + input["vout"]!.GetValue<uint>());
                }
            }

            foreach (JsonNode? output in tx["vout"]!.AsArray())
            {
                int owner = Array.IndexOf(scripts, output!["scriptPubKey"]?["hex"]?.GetValue<string>());
                if (owner >= 0)
                {
                    found[owner].Add(new UnspentOutput(Convert.FromHexString(tx["txid"]!.GetValue<string>()), output["n"]!.GetValue<uint>(), Units(output["value"]!), 0));
                }
            }
        }

        foreach (List<UnspentOutput> outputs in found)
        {
            outputs.RemoveAll(o => spent.Contains(Convert.ToHexStringLower(o.TransactionId) + ":" + o.OutputIndex));
        }

        return found;
    }

    /// <summary>estimatesmartfee for 6 blocks; without enough data (always on regtest) the node's mempool minimum fee, 1 sat/vB by default (minimum relay fee).</summary>
    public async Task<ChainFees> FeesAsync(CancellationToken ct)
    {
        JsonNode estimate = (await _rpc.CallAsync("estimatesmartfee", [6], ct).ConfigureAwait(false))!;
        decimal perKilobyte;
        if (estimate["feerate"] is JsonNode rate)
        {
            perKilobyte = rate.GetValue<decimal>();
        }
        else
        {
            JsonNode info = (await _rpc.CallAsync("getmempoolinfo", [], ct).ConfigureAwait(false))!;
            perKilobyte = info["mempoolminfee"]!.GetValue<decimal>();
        }

        // Coins per 1000 vbytes → base units per vbyte, rounded up, at least 1.
        decimal perVirtualByte = Math.Ceiling(perKilobyte * UnitsPerCoin / 1000m);
        return new ChainFees(BigInteger.Zero, BigInteger.Zero, (uint)Math.Max(1m, perVirtualByte));
    }

    /// <summary>sendrawtransaction; the node's refusal ("insufficient fee", "txn-mempool-conflict", …) is <see cref="WalletError.NodeRefused"/>.</summary>
    public async Task<byte[]> BroadcastAsync(byte[] rawTransaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rawTransaction);
        JsonNode? id = await _rpc.CallAsync("sendrawtransaction", [Convert.ToHexStringLower(rawTransaction)], ct).ConfigureAwait(false);
        return Convert.FromHexString(id!.GetValue<string>());
    }

    /// <summary>
    /// getmempoolentry (Pending), else getrawtransaction with the transaction index: Included in the best chain, Final
    /// at <see cref="FinalConfirmations"/>; Unknown if neither (a block that left the best chain reports 0 confirmations).
    /// </summary>
    public async Task<TransactionState> StateAsync(byte[] transactionId, CancellationToken ct)
    {
        string id = TransactionIdHex(transactionId);
        JsonNode? tx = await TryGetTransactionAsync(id, ct).ConfigureAwait(false);
        return tx is null ? new TransactionState(TransactionStage.Unknown, 0, 0) : await StateOfAsync(id, tx, ct).ConfigureAwait(false);
    }

    /// <summary>One fact per P2WPKH output (recipient 0x00 + program, amount in base units); outputs of other script types are left out. Null if unknown.</summary>
    public async Task<IReadOnlyList<TransferFacts>?> TransferAsync(byte[] transactionId, CancellationToken ct)
    {
        string id = TransactionIdHex(transactionId);
        JsonNode? tx = await TryGetTransactionAsync(id, ct).ConfigureAwait(false);
        if (tx is null)
        {
            return null;
        }

        TransactionState state = await StateOfAsync(id, tx, ct).ConfigureAwait(false);
        var facts = new List<TransferFacts>();
        foreach (JsonNode? output in tx["vout"]!.AsArray())
        {
            byte[] script = Convert.FromHexString(output!["scriptPubKey"]!["hex"]!.GetValue<string>());
            if (script.Length == 22 && script[0] == 0x00 && script[1] == 0x14)
            {
                byte[] recipient = new byte[21];
                script.AsSpan(2).CopyTo(recipient.AsSpan(1));
                facts.Add(new TransferFacts(recipient, null, Units(output["value"]!), state));
            }
        }

        return facts;
    }

    private async Task<TransactionState> StateOfAsync(string id, JsonNode tx, CancellationToken ct)
    {
        if (await InMempoolAsync(id, ct).ConfigureAwait(false))
        {
            return new TransactionState(TransactionStage.Pending, 0, 0);
        }

        uint confirmations = tx["confirmations"] is JsonNode c ? c.GetValue<uint>() : 0;
        if (confirmations == 0 || tx["blockhash"] is not JsonNode blockHash)
        {
            return new TransactionState(TransactionStage.Unknown, 0, 0);
        }

        JsonNode header = (await _rpc.CallAsync("getblockheader", [blockHash.GetValue<string>()], ct).ConfigureAwait(false))!;
        ulong height = header["height"]!.GetValue<ulong>();
        TransactionStage stage = confirmations >= FinalConfirmations ? TransactionStage.Final : TransactionStage.Included;
        return new TransactionState(stage, height, confirmations);
    }

    private async Task<bool> InMempoolAsync(string id, CancellationToken ct)
    {
        try
        {
            await _rpc.CallAsync("getmempoolentry", [id], ct).ConfigureAwait(false);
            return true;
        }
        catch (WalletException e) when (IsNotFound(e))
        {
            return false;
        }
    }

    private async Task<JsonNode?> TryGetTransactionAsync(string id, CancellationToken ct)
    {
        try
        {
            return await _rpc.CallAsync("getrawtransaction", [id, true], ct).ConfigureAwait(false);
        }
        catch (WalletException e) when (IsNotFound(e))
        {
            return null;
        }
    }

    private async Task<List<UnspentOutput>> ConfirmedAsync(UtxoAddress address, CancellationToken ct)
    {
        // The raw() descriptor names the script itself, so the node's own address format does not matter.
        string descriptor = "raw(" + Convert.ToHexStringLower(address.ScriptPubKey) + ")";
        JsonNode result = (await _rpc.CallAsync("scantxoutset", ["start", new JsonArray(descriptor)], ct).ConfigureAwait(false))!;
        ulong tip = result["height"]!.GetValue<ulong>();
        var outputs = new List<UnspentOutput>();
        foreach (JsonNode? unspent in result["unspents"]!.AsArray())
        {
            ulong height = unspent!["height"]!.GetValue<ulong>();
            outputs.Add(new UnspentOutput(
                Convert.FromHexString(unspent["txid"]!.GetValue<string>()),
                unspent["vout"]!.GetValue<uint>(),
                Units(unspent["amount"]!),
                (uint)(tip - height + 1)));
        }

        return outputs;
    }

    private static bool IsNotFound(WalletException e) =>
        e.Error == WalletError.NodeRefused && e.Data[UtxoRpcClient.ErrorCodeKey] is int code && code == NotFoundCode;

    private static string TransactionIdHex(byte[] transactionId)
    {
        ArgumentNullException.ThrowIfNull(transactionId);
        if (transactionId.Length != 32)
        {
            throw new WalletException(WalletError.NotFound, $"a transaction id is 32 bytes, not {transactionId.Length}");
        }

        return Convert.ToHexStringLower(transactionId);
    }

    // Amounts come as JSON numbers with 8 decimals; decimal holds them exactly (no binary floating point).
    private static ulong Units(JsonNode value) => (ulong)(value.GetValue<decimal>() * UnitsPerCoin);
}
