using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshMessenger.Anchoring.Rpc;

/// <summary>
/// The Ethereum JSON-RPC calls anchoring needs (execution-apis, src/eth/*.yaml), over HTTP. Answers are
/// untrusted: at most 4 MB are read, and anything that is not the documented shape becomes an
/// <see cref="RpcException"/>, never a crash.
/// </summary>
public sealed class EthereumRpcClient(HttpClient http, Uri endpoint)
{
    private const int MaxResponseBytes = 4 << 20;
    private int _id;

    /// <summary>eth_chainId.</summary>
    public async Task<BigInteger> ChainIdAsync(CancellationToken ct = default) => Quantity("eth_chainId", await CallAsync("eth_chainId", [], ct));

    /// <summary>eth_getTransactionCount(address, "pending"): the next nonce.</summary>
    public async Task<BigInteger> PendingNonceAsync(string address, CancellationToken ct = default) =>
        Quantity("eth_getTransactionCount", await CallAsync("eth_getTransactionCount", [address, "pending"], ct));

    /// <summary>eth_syncing: false only when the node answers exactly false (it is not syncing); a sync-status object means it is.</summary>
    public async Task<bool> SyncingAsync(CancellationToken ct = default) =>
        await CallAsync("eth_syncing", [], ct).ConfigureAwait(false) is not JsonValue v || !v.TryGetValue(out bool syncing) || syncing;

    /// <summary>eth_getTransactionByHash: whether the node has the transaction at all, in its pool or in a block.</summary>
    public async Task<bool> KnowsTransactionAsync(string hash, CancellationToken ct = default) =>
        await CallAsync("eth_getTransactionByHash", [hash], ct).ConfigureAwait(false) is JsonObject;

    /// <summary>eth_getTransactionByHash: the sender, recipient and calldata as the node has them, or null if it has no such transaction.</summary>
    public async Task<ChainTransaction?> TransactionAsync(string hash, CancellationToken ct = default)
    {
        const string m = "eth_getTransactionByHash";
        JsonObject? t = Object(m, await CallAsync(m, [hash], ct).ConfigureAwait(false));
        if (t is null)
        {
            return null;
        }

        string input = Text(m, t["input"]);
        byte[] data;
        try
        {
            data = Convert.FromHexString(input[2..]);
        }
        catch (FormatException)
        {
            throw new RpcException(m, $"the input is not hex: {input}");
        }

        return new ChainTransaction(Text(m, t["hash"]), Text(m, t["from"]), t["to"] is null ? null : Text(m, t["to"]), data);
    }

    /// <summary>eth_maxPriorityFeePerGas: the node's suggested tip.</summary>
    public async Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken ct = default) =>
        Quantity("eth_maxPriorityFeePerGas", await CallAsync("eth_maxPriorityFeePerGas", [], ct));

    /// <summary>
    /// eth_feeHistory over the last <paramref name="blocks"/> blocks: the base fee the next block will have
    /// (the last element of baseFeePerGas) and the tips paid at <paramref name="percentile"/> in each block.
    /// </summary>
    public async Task<(BigInteger NextBaseFee, List<BigInteger> Tips)> FeeHistoryAsync(int blocks, double percentile, CancellationToken ct = default)
    {
        const string m = "eth_feeHistory";
        JsonNode? history = await CallAsync(m, [Quantity(blocks), "latest", new JsonArray(percentile)], ct);
        if (history?["baseFeePerGas"] is not JsonArray baseFees || baseFees.Count == 0)
        {
            throw new RpcException(m, "no baseFeePerGas in the answer");
        }

        var tips = new List<BigInteger>();
        if (history["reward"] is JsonArray rewards)
        {
            foreach (JsonNode? block in rewards)
            {
                if (block is JsonArray values && values.Count > 0)
                {
                    tips.Add(Quantity(m, values[0]));
                }
            }
        }

        return (Quantity(m, baseFees[^1]), tips);
    }

    /// <summary>eth_estimateGas for a call from <paramref name="from"/> to <paramref name="to"/> with <paramref name="data"/>.</summary>
    public async Task<BigInteger> EstimateGasAsync(string from, string to, byte[] data, CancellationToken ct = default) =>
        Quantity("eth_estimateGas", await CallAsync("eth_estimateGas", [new JsonObject { ["from"] = from, ["to"] = to, ["data"] = Hex(data) }], ct));

    /// <summary>eth_sendRawTransaction; returns the transaction hash the node computed.</summary>
    public async Task<string> SendRawTransactionAsync(byte[] raw, CancellationToken ct = default) =>
        Text("eth_sendRawTransaction", await CallAsync("eth_sendRawTransaction", [Hex(raw)], ct));

    /// <summary>eth_getTransactionReceipt, or null while the transaction is not in a block.</summary>
    public async Task<TransactionReceipt?> ReceiptAsync(string hash, CancellationToken ct = default)
    {
        const string m = "eth_getTransactionReceipt";
        JsonObject? r = Object(m, await CallAsync(m, [hash], ct));
        if (r is null)
        {
            return null;
        }

        return new TransactionReceipt(
            Text(m, r["transactionHash"]),
            Quantity(m, r["status"]) == 1,
            Quantity(m, r["blockNumber"]),
            Text(m, r["blockHash"]),
            Quantity(m, r["gasUsed"]),
            Quantity(m, r["effectiveGasPrice"]),
            r.ToJsonString());
    }

    /// <summary>eth_getBlockByNumber(tag or number, false), or null if the node has no such block.</summary>
    public async Task<BlockHeader?> BlockAsync(string tagOrNumber, CancellationToken ct = default)
    {
        const string m = "eth_getBlockByNumber";
        JsonObject? b = Object(m, await CallAsync(m, [tagOrNumber, false], ct));
        if (b is null)
        {
            return null;
        }

        return new BlockHeader(Quantity(m, b["number"]), Text(m, b["hash"]), b["baseFeePerGas"] is null ? null : Quantity(m, b["baseFeePerGas"]));
    }

    /// <summary>Any method, for node-specific calls (anvil_mine, anvil_reorg ...).</summary>
    public async Task<JsonNode?> CallAsync(string method, JsonArray parameters, CancellationToken ct = default)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref _id), ["method"] = method, ["params"] = parameters };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(endpoint, request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RpcException(method, $"no answer from {endpoint} ({e.Message})");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout: a node that hangs is as good as gone, and must not end the caller's loop.
            throw new RpcException(method, $"no answer from {endpoint} within {http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            byte[] body = await ReadBoundedAsync(response, method, ct).ConfigureAwait(false);
            JsonNode? answer;
            try
            {
                answer = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                throw new RpcException(method, $"the answer is not JSON (HTTP {(int)response.StatusCode})");
            }

            if (answer is not JsonObject obj)
            {
                throw new RpcException(method, "the answer is not a JSON-RPC object");
            }

            if (obj["error"] is JsonObject error)
            {
                int? code = error["code"] is JsonValue c && c.TryGetValue(out int value) ? value : null;
                throw new RpcException(method, error["message"]?.ToString() ?? "unknown error", code);
            }

            return obj["result"];
        }
    }

    /// <summary>0x-hex of bytes.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>A JSON-RPC quantity ("0x" and minimal hex digits).</summary>
    public static string Quantity(BigInteger value) => "0x" + (value.IsZero ? "0" : value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0'));

    private static BigInteger Quantity(string method, JsonNode? node)
    {
        string? text = node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal) || text.Length is < 3 or > 66
            || !BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out BigInteger value))
        {
            throw new RpcException(method, $"expected a hex quantity, got {node?.ToJsonString() ?? "nothing"}");
        }

        return value;
    }

    /// <summary>A result that must be an object or null: a node answering with anything else is refused, not indexed into.</summary>
    private static JsonObject? Object(string method, JsonNode? node) =>
        node is null or JsonObject ? (JsonObject?)node : throw new RpcException(method, $"expected an object, got {node.ToJsonString()}");

    private static string Text(string method, JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? s) && s.StartsWith("0x", StringComparison.Ordinal) ? s : throw new RpcException(method, $"expected hex data, got {node?.ToJsonString() ?? "nothing"}");

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string method, CancellationToken ct)
    {
        await using Stream stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16384];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new RpcException(method, $"the answer is larger than {MaxResponseBytes >> 20} MB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
