using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// A Bitcoin-Core-style JSON-RPC 1.0 client (Bitcoin Core and Litecoin Core share the interface) over HTTP with basic
/// authentication. A node that cannot be reached is <see cref="WalletError.Unavailable"/>; an RPC error is
/// <see cref="WalletError.NodeRefused"/> carrying the node's own message (for example "insufficient fee",
/// "txn-mempool-conflict", "bad-txns-inputs-missingorspent", "dust").
/// </summary>
public sealed class UtxoRpcClient : IDisposable
{
    /// <summary>The key in <see cref="Exception.Data"/> holding the node's numeric RPC error code (for example -5, "not found").</summary>
    public const string ErrorCodeKey = "rpc-code";

    private readonly HttpClient _http;
    private readonly Uri _url;
    private long _nextId;

    /// <summary>Creates a client for the node at <paramref name="url"/> with its rpcuser and rpcpassword.</summary>
    public UtxoRpcClient(Uri url, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        _url = url;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
    }

    /// <summary>The node's RPC address.</summary>
    public Uri Url => _url;

    /// <summary>
    /// Calls <paramref name="method"/> with positional <paramref name="parameters"/> and returns the "result" member
    /// (null for a JSON null result).
    /// </summary>
    /// <exception cref="WalletException"><see cref="WalletError.Unavailable"/> or <see cref="WalletError.NodeRefused"/>.</exception>
    public async Task<JsonNode?> CallAsync(string method, JsonArray parameters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(parameters);
        var request = new JsonObject
        {
            ["jsonrpc"] = "1.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = parameters,
        };
        string body;
        System.Net.HttpStatusCode status;
        try
        {
            using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await _http.PostAsync(_url, content, ct).ConfigureAwait(false);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new WalletException(WalletError.Unavailable, $"the node at {_url} cannot be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new WalletException(WalletError.Unavailable, $"the node at {_url} did not answer {method} in time", e);
        }

        // Bitcoin Core answers RPC errors with HTTP 500 (or 404 for an unknown method) and a JSON body; 401 carries no body.
        JsonNode? reply;
        try
        {
            reply = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new WalletException(WalletError.Unavailable, $"the node at {_url} answered {method} with HTTP {(int)status} and no JSON-RPC reply", e);
        }

        if (reply is not JsonObject obj)
        {
            throw new WalletException(WalletError.Unavailable, $"the node at {_url} answered {method} with HTTP {(int)status} and no JSON-RPC reply");
        }

        if (obj["error"] is JsonObject error)
        {
            string message = error["message"]?.GetValue<string>() ?? "no message";
            int code = error["code"] is JsonValue v && v.TryGetValue(out int c) ? c : 0;
            var refused = new WalletException(WalletError.NodeRefused, $"{method}: {message} (code {code})");
            refused.Data[ErrorCodeKey] = code;
            throw refused;
        }

        return obj["result"];
    }

    /// <summary>Closes the HTTP connection pool.</summary>
    public void Dispose() => _http.Dispose();
}
