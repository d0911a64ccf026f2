using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeshMessenger.Gateway;
using MeshMessenger.Gateway.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// The browser node against a real gateway: a gateway in this process (loopback, free port, temporary data folder,
/// three demo devices, no MQTT, no anchoring) and Debian's chromium, headless. Each run is a fresh browser context
/// with a fresh identity made in the browser: the first load's compressed bytes, the time to an interactive page,
/// compose-and-send until the gateway stored the message, and opening a conversation of
/// <see cref="Messages"/> direct messages that the browser verified when it reopened its store.
/// </summary>
public sealed class WebBenchmark(int runs, int messages)
{
    /// <summary>Debian's chromium (tests/setup.sh installs it; Playwright never downloads a browser here).</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Goal: the first load is at most 3 MB (3,000,000 bytes) compressed.</summary>
    public const double FirstLoadGoalBytes = 3_000_000;

    /// <summary>Goal: a conversation of 1,000 verified messages opens within 1 s.</summary>
    public const double OpenGoalMilliseconds = 1000;

    /// <summary>chromium's flags: no sandbox (containers), no GPU, and none of the background calls to Google's hosts.</summary>
    public static readonly string[] ChromiumFlags =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>Runs, each in a fresh browser context.</summary>
    public int Runs { get; } = runs;

    /// <summary>Direct messages in the conversation that is opened.</summary>
    public int Messages { get; } = messages;

    /// <summary>Starts the gateway and the browser, measures, stops both and deletes the data folder.</summary>
    public async Task<WebBenchmarkReport> RunAsync(Action<string> progress)
    {
        if (!File.Exists(Chromium))
        {
            throw new FileNotFoundException($"{Chromium} is missing: run tests/setup.sh (it installs Debian's chromium)");
        }

        DateTimeOffset started = DateTimeOffset.UtcNow;
        string data = Directory.CreateTempSubdirectory("meshmsg-bench-web-").FullName;
        WebApplication? app = null;
        try
        {
            progress("starting the gateway");
            app = GatewayHost.Build(
            [
                "--Urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Warning",
                "--Gateway:Name=bench-web",
                $"--Gateway:DataDirectory={data}",
                "--Gateway:Emulate:Devices=3",
                "--Gateway:Emulate:MessagesPerMinute=1",
                "--Gateway:Mqtt:Mode=off",
                "--Gateway:Udp:Port=0",
                "--Gateway:Anchoring:Enabled=false",
                "--Gateway:RateLimitPerMinute=0",
            ]);
            await app.StartAsync().ConfigureAwait(false);
            string baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            var stored = new ConcurrentDictionary<(uint Author, uint Sequence), long>();
            app.Services.GetRequiredService<FrameIngest>().Stored += entry => stored.TryAdd((entry.Author, entry.Sequence), Stopwatch.GetTimestamp());

            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            JsonElement demo = (await http.GetFromJsonAsync<JsonElement>("/api/devices").ConfigureAwait(false)).EnumerateArray().First();
            string demoId = demo.GetProperty("id").GetString()!;
            string demoCard = (await http.GetFromJsonAsync<JsonElement>($"/api/devices/{demoId}/card").ConfigureAwait(false)).GetProperty("text").GetString()!;

            using IPlaywright playwright = await Playwright.CreateAsync().ConfigureAwait(false);
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ChromiumFlags,
            }).ConfigureAwait(false);

            var bytes = new List<double>();
            var interactive = new List<double>();
            var send = new List<double>();
            var reopen = new List<double>();
            var open = new List<double>();
            var restore = new List<double>();
            var signatures = new List<WebBenchmarkSignatures>();
            var parts = new List<Dictionary<string, (long Bytes, List<string> Names)>>();
            bool useApp = (await http.GetStringAsync("/app.js").ConfigureAwait(false)).Contains("meshnode.js", StringComparison.Ordinal);
            for (int run = 1; run <= Runs; run++)
            {
                await using IBrowserContext context = await browser.NewContextAsync().ConfigureAwait(false);
                var load = new FirstLoadRecorder(context);
                var sample = useApp
                    ? await RunAppAsync(browser, context, baseUrl, http, demoId, demoCard, run, load, stored, progress).ConfigureAwait(false)
                    : await RunNodeAsync(context, baseUrl, http, demoId, demoCard, run, load, stored, progress).ConfigureAwait(false);
                parts.Add(sample.Parts);
                bytes.Add(sample.Parts.Values.Sum(p => p.Bytes));
                interactive.Add(sample.Interactive);
                send.Add(sample.Send);
                reopen.Add(sample.Reopen);
                open.Add(sample.Open);
                if (sample.Restore is { } restored)
                {
                    restore.Add(restored.Milliseconds);
                    signatures.Add(restored.Signatures);
                }
            }

            return new WebBenchmarkReport(
                started,
                Environment.MachineName,
                Environment.ProcessorCount,
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                "chromium " + browser.Version,
                useApp ? "web app" : "meshnode.js",
                Runs,
                Messages,
                [
                    WebBenchmarkFigure.Of("first load, compressed", "bytes", bytes, FirstLoadGoalBytes),
                    WebBenchmarkFigure.Of(useApp ? "navigation to the app ready (data-ready)" : "navigation to bootNode() resolved", "ms", interactive),
                    WebBenchmarkFigure.Of(useApp ? "Enter to the message showing Sent" : "compose and send until stored at the gateway", "ms", send),
                    WebBenchmarkFigure.Of(useApp ? $"reload with {Messages:N0} messages to ready, reopened from the sealed store (signatures not checked again)" : $"reopen the store of {Messages:N0} messages (sealed store, signatures not checked again)", "ms", reopen),
                    WebBenchmarkFigure.Of($"open a conversation of {Messages:N0} messages", "ms", open, OpenGoalMilliseconds),
                    .. restore.Count > 0
                        ? [WebBenchmarkFigure.Of($"restore {Messages:N0} messages: backup code typed to the conversation showing all {Messages:N0}, every signature verified in the browser", "ms", restore)]
                        : Array.Empty<WebBenchmarkFigure>(),
                ],
                FirstLoadRecorder.Summarise(parts))
            {
                RestoreSignatures = signatures,
            };
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private async Task<RunSample> RunAppAsync(IBrowser browser, IBrowserContext context, string baseUrl, HttpClient http, string demoId, string demoCard, int run, FirstLoadRecorder load, ConcurrentDictionary<(uint Author, uint Sequence), long> stored, Action<string> progress)
    {
        // First load: the app until it is ready, then a first identity made in the browser (which boots the node).
        progress($"run {run} of {Runs}: first load");
        WebAppPage page = await WebAppPage.OpenAsync(context, baseUrl).ConfigureAwait(false);
        double interactive = await page.WaitReadyAsync().ConfigureAwait(false);
        string code = await page.CreateAsync($"Bench {run}").ConfigureAwait(false);
        await load.WaitQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        Dictionary<string, (long Bytes, List<string> Names)> parts = await load.StopAsync().ConfigureAwait(false);

        progress($"run {run} of {Runs}: compose and send");
        await page.AddContactAsync(demoCard).ConfigureAwait(false);
        await page.OpenConversationAsync(demoId).ConfigureAwait(false);
        double send = await page.SendAsync($"Hello from run {run}").ConfigureAwait(false);

        progress($"run {run} of {Runs}: {Messages:N0} messages from a demo device");
        await SeedAsync(http, demoId, page.Id, run).ConfigureAwait(false);
        await page.WaitForMessageAsync(demoId, LastText(run)).ConfigureAwait(false);

        progress($"run {run} of {Runs}: reload and open the conversation");
        double reopen = await page.ReloadAsync().ConfigureAwait(false);
        double open = await page.TimeOpenConversationAsync(demoId, Messages + 1).ConfigureAwait(false);

        // Restore: the own chain (profile, the message, read receipts) is complete at the gateway, then a fresh
        // context (no storage) is given the backup code; every entry it gets back arrives over the link and is verified.
        progress($"run {run} of {Runs}: restore {Messages:N0} messages in a fresh context");
        int ownHead = await page.OwnHeadAsync().ConfigureAwait(false);
        uint self = Convert.ToUInt32(page.Id, 16);
        await WaitAsync(() => Enumerable.Range(0, ownHead + 1).All(s => stored.ContainsKey((self, (uint)s))) ? 0 : (int?)null, TimeSpan.FromSeconds(60), "the gateway to hold the whole own chain").ConfigureAwait(false);
        await page.Page.CloseAsync().ConfigureAwait(false);
        await using IBrowserContext fresh = await browser.NewContextAsync().ConfigureAwait(false);
        WebAppPage restoring = await WebAppPage.OpenAsync(fresh, baseUrl).ConfigureAwait(false);
        double restore = await restoring.TimeRestoreAsync(code, $"Bench {run}", demoId, Messages + 1, ownHead).ConfigureAwait(false);
        (int webCrypto, int managed) = await restoring.SignatureFiguresAsync().ConfigureAwait(false);
        // The node accepts an entry only after its signature holds (ChainStore.Accept); these counts show which way
        // the checks went. They are reported, not required to reach the entry count: the demo device's chain may
        // still be arriving, and its own chatter adds entries beyond the conversation.
        int received = ownHead + 1 + Messages;
        if (webCrypto + managed == 0)
        {
            throw new InvalidOperationException("the restored node checked no signature at all: the restore did not go through the chain store");
        }

        return new RunSample(parts, interactive, send, reopen, open, (restore, new WebBenchmarkSignatures(run, received, webCrypto, managed)));
    }

    private async Task<RunSample> RunNodeAsync(IBrowserContext context, string baseUrl, HttpClient http, string demoId, string demoCard, int run, FirstLoadRecorder load, ConcurrentDictionary<(uint Author, uint Sequence), long> stored, Action<string> progress)
    {
        progress($"run {run} of {Runs}: first load");
        BrowserNodePage node = await BrowserNodePage.OpenAsync(context, baseUrl).ConfigureAwait(false);
        await load.WaitQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        Dictionary<string, (long Bytes, List<string> Names)> parts = await load.StopAsync().ConfigureAwait(false);

        progress($"run {run} of {Runs}: compose and send");
        string code = await node.CreateAsync($"Bench {run}").ConfigureAwait(false);
        uint self = Convert.ToUInt32(node.Id, 16);
        await node.CallAsync("addContact", demoCard).ConfigureAwait(false);
        long before = Stopwatch.GetTimestamp();
        uint seq = (await node.CallAsync("sendText", demoId, $"Hello from run {run}").ConfigureAwait(false)).GetUInt32();
        long at = await WaitAsync(() => stored.TryGetValue((self, seq), out long t) ? t : (long?)null, TimeSpan.FromSeconds(30), "the gateway to store the message").ConfigureAwait(false);
        double send = Stopwatch.GetElapsedTime(before, at).TotalMilliseconds;

        progress($"run {run} of {Runs}: {Messages:N0} messages from a demo device");
        await SeedAsync(http, demoId, node.Id, run).ConfigureAwait(false);
        await node.WaitForMessageAsync(demoId, LastText(run), 120_000).ConfigureAwait(false);

        progress($"run {run} of {Runs}: reopen and open the conversation");
        string entries = await node.EntriesAsync().ConfigureAwait(false);
        await node.Page.CloseAsync().ConfigureAwait(false);
        BrowserNodePage again = await BrowserNodePage.OpenAsync(context, baseUrl).ConfigureAwait(false);
        double reopen = await again.OpenAsync(code, $"Bench {run}", restoring: false, entries).ConfigureAwait(false);
        double open = await again.RenderConversationAsync(demoId).ConfigureAwait(false);
        int rendered = await again.Page.Locator("#messages li").CountAsync().ConfigureAwait(false);
        return rendered >= Messages + 1
            ? new RunSample(parts, node.BootMilliseconds, send, reopen, open)
            : throw new InvalidOperationException($"the reopened node shows {rendered} messages, not {Messages + 1}");
    }

    private string LastText(int run) => $"Run {run}, message {Messages} of {Messages}";

    private async Task SeedAsync(HttpClient http, string demoId, string peer, int run)
    {
        for (int i = 1; i <= Messages; i++)
        {
            for (int attempt = 0; ; attempt++)
            {
                using HttpResponseMessage response = await http.PostAsJsonAsync($"/api/devices/{demoId}/chats/{peer}", new { text = i == Messages ? LastText(run) : $"Run {run}, message {i} of {Messages}" }).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }

                // 409: the demo device has not yet heard the browser's keys; anything else is a failure.
                if (response.StatusCode != HttpStatusCode.Conflict || attempt >= 100)
                {
                    throw new InvalidOperationException($"the demo device could not write message {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                }

                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static Task<T> WaitAsync<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : struct => WaitAsync(() => Task.FromResult(probe()), timeout, what, pollMilliseconds: 1);

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, int pollMilliseconds)
        where T : struct
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await probe().ConfigureAwait(false) is { } value)
            {
                return value;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:F0} s for {what}");
            }

            await Task.Delay(pollMilliseconds).ConfigureAwait(false);
        }
    }

    private sealed record RunSample(Dictionary<string, (long Bytes, List<string> Names)> Parts, double Interactive, double Send, double Reopen, double Open, (double Milliseconds, WebBenchmarkSignatures Signatures)? Restore = null);
}
