using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeshMessenger.Gateway.Storage;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// A 2xx from the web API is a promise: what it acknowledged is in the author's chain in the store, durable
/// across kill -9, and goes on to be delivered; a sender over its budget hears 429 with Retry-After and nothing
/// is appended.
/// </summary>
public sealed class AcceptedWritesTests : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TestFolder _folder = new("gw-writes-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Every_send_answered_200_is_stored_at_once_and_delivered_and_the_rest_hear_429()
    {
        using GatewayProcess gateway = Hosting("quick");
        (string from, string to) = await PairAsync(gateway);

        // 100 quick sends, eight at a time, as the attacker did.
        List<(HttpStatusCode Status, long Seq, TimeSpan? RetryAfter)> answers = await SendManyAsync(gateway, from, to, 100, parallel: 8, CancellationToken.None);
        List<long> acknowledged = [.. answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Seq)];
        List<long> stored = gateway.Entries()[from];

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"answer {a.Status}"));
        Assert.InRange(acknowledged.Count, 10, 99); // the burst, then the budget
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.TooManyRequests), a => Assert.True(a.RetryAfter >= TimeSpan.FromSeconds(1)));
        Assert.Empty(acknowledged.Except(stored)); // stored when answered, not later
        Assert.Equal(Enumerable.Range(0, (int)stored.Max() + 1).Select(i => (long)i), stored); // no hole in the chain
        Assert.Equal(0, Metric(gateway, "dropped_ratelimited")); // nothing acknowledged was dropped behind the answer

        // Each acknowledged message reaches Delivered: the recipient's signed receipt came back.
        MosquittoBroker.WaitUntil(
            () => States(gateway, from, to).Where(m => acknowledged.Contains(m.Seq)).All(m => m.State is "delivered" or "read"),
            TimeSpan.FromSeconds(60),
            "every acknowledged message to be delivered");
    }

    [Fact]
    public async Task Sends_acknowledged_before_a_kill_9_are_all_there_after_the_restart_and_the_chain_carries_on()
    {
        string data = Path.Combine(_folder.Path, "killed");
        using GatewayProcess gateway = Hosting("killed", data, "--Gateway:RateLimitPerMinute=0");
        (string from, string to) = await PairAsync(gateway);

        using var stop = new CancellationTokenSource();
        Task<List<(HttpStatusCode Status, long Seq, TimeSpan? RetryAfter)>> sending = SendManyAsync(gateway, from, to, 100_000, parallel: 8, stop.Token);
        MosquittoBroker.WaitUntil(() => gateway.Entries().GetValueOrDefault(from)?.Count > 200, TimeSpan.FromSeconds(60), "sends to be under way");
        gateway.Kill9();
        stop.Cancel();
        List<long> acknowledged = [.. (await sending).Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Seq)];
        Assert.True(acknowledged.Count > 100, $"{acknowledged.Count} sends acknowledged before the kill");

        gateway.StartDetached();
        List<long> stored = gateway.Entries()[from];
        Assert.Empty(acknowledged.Except(stored));
        Assert.Equal("ok", new GatewayDatabase(Path.Combine(data, "gateway.db")).IntegrityCheck());

        // The device carries on after the last stored entry: no sequence number reused, no fork.
        (HttpStatusCode status, long seq, _) = await SendAsync(gateway, from, to, "after the restart", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(stored.Max() + 1, seq);
        Assert.Equal(0, Metric(gateway, "dropped_fork"));
    }

    private GatewayProcess Hosting(string name, string? data = null, params string[] extra) =>
        new GatewayProcess(name, data ?? Path.Combine(_folder.Path, name), FreePort.Tcp(), "off", ["--Gateway:Emulate:Devices=3", "--Gateway:Emulate:MessagesPerMinute=1", "--Gateway:RateLimitPerMinute=120", .. extra]).StartDetached();

    private static async Task<(string From, string To)> PairAsync(GatewayProcess gateway)
    {
        JsonElement devices = await Http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{gateway.HttpPort}/api/devices");
        return (devices[0].GetProperty("id").GetString()!, devices[1].GetProperty("id").GetString()!);
    }

    private static async Task<(HttpStatusCode Status, long Seq, TimeSpan? RetryAfter)> SendAsync(GatewayProcess gateway, string from, string to, string text, CancellationToken ct)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync($"http://127.0.0.1:{gateway.HttpPort}/api/devices/{from}/chats/{to}", new { text }, ct);
        long seq = response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("seq").GetInt64() : -1;
        return (response.StatusCode, seq, response.Headers.RetryAfter?.Delta);
    }

    /// <summary>Sends until <paramref name="count"/> answers came back or the gateway stops answering.</summary>
    private static async Task<List<(HttpStatusCode Status, long Seq, TimeSpan? RetryAfter)>> SendManyAsync(GatewayProcess gateway, string from, string to, int count, int parallel, CancellationToken ct)
    {
        var answers = new List<(HttpStatusCode, long, TimeSpan?)>();
        int next = 0;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count && !ct.IsCancellationRequested)
            {
                try
                {
                    var answer = await SendAsync(gateway, from, to, $"quick {next}", CancellationToken.None);
                    lock (answers)
                    {
                        answers.Add(answer);
                    }
                }
                catch (HttpRequestException)
                {
                    return; // killed: an unanswered request promised nothing
                }
            }
        }));
        return answers;
    }

    private static long Metric(GatewayProcess gateway, string counter) =>
        gateway.Metrics().Split('\n').Where(l => l.StartsWith($"meshmsg_gateway_{counter}_total ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    private static List<(long Seq, string State)> States(GatewayProcess gateway, string from, string to)
    {
        JsonElement convo = Http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{gateway.HttpPort}/api/devices/{from}/chats/{to}").GetAwaiter().GetResult();
        return [.. convo.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("outgoing").GetBoolean())
            .Select(m => (m.GetProperty("seq").GetInt64(), m.GetProperty("state").GetString()!))];
    }
}
