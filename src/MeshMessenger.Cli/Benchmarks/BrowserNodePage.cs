using System.Reflection;
using System.Text.Json;
using Microsoft.Playwright;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// A browser page running the web app's node (meshnode.js: the protocol core compiled to WebAssembly) linked to the
/// gateway over /api/link, driven without the app's markup. The page is a blank same-origin document, so the node,
/// its scripts and the WebSocket are the gateway's own; only the page around them is the harness's.
/// </summary>
public sealed class BrowserNodePage
{
    /// <summary>The harness page's path (answered by the browser context, never by the gateway).</summary>
    public const string HarnessPath = "/bench-harness.html";

    private static readonly string Harness = ReadHarness();

    private BrowserNodePage(IPage page, double bootMilliseconds)
    {
        Page = page;
        BootMilliseconds = bootMilliseconds;
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>Navigation start to bootNode() resolved, measured in the page (performance.now()).</summary>
    public double BootMilliseconds { get; }

    /// <summary>This node's id once created or restored.</summary>
    public string Id { get; private set; } = "";

    /// <summary>Opens the harness page in <paramref name="context"/> and boots the node.</summary>
    public static async Task<BrowserNodePage> OpenAsync(IBrowserContext context, string baseUrl)
    {
        await context.RouteAsync(baseUrl.TrimEnd('/') + HarnessPath, route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html; charset=utf-8",
            Body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>harness</title><script>" + Harness + "</script></head><body><ol id=\"messages\"></ol></body></html>",
        }));
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(baseUrl.TrimEnd('/') + HarnessPath);
        double boot = await page.EvaluateAsync<double>("() => mmHarness.boot()");
        return new BrowserNodePage(page, boot);
    }

    /// <summary>A fresh identity made in the browser, opened and linked; returns its backup code.</summary>
    public async Task<string> CreateAsync(string name)
    {
        JsonElement created = await Page.EvaluateAsync<JsonElement>("name => mmHarness.call('create', name)", name);
        string code = created.GetProperty("backupCode").GetString()!;
        await OpenAsync(code, name, restoring: false, entries: null);
        return code;
    }

    /// <summary>Opens the identity of <paramref name="backupCode"/> (with stored <paramref name="entries"/>, base64, if any) and links it; returns the time open() took in the page.</summary>
    public async Task<double> OpenAsync(string backupCode, string name, bool restoring, string? entries)
    {
        JsonElement opened = await Page.EvaluateAsync<JsonElement>(
            "o => { const t = performance.now(); const r = mmHarness.open(o); return { id: r.id, ms: performance.now() - t }; }",
            new { backupCode, name, restoring, entries });
        Id = opened.GetProperty("id").GetString()!;
        await Page.EvaluateAsync("() => mmHarness.connect()");
        if (restoring)
        {
            await Page.EvaluateAsync("() => mmHarness.call('announceHeads', true)");
        }

        return opened.GetProperty("ms").GetDouble();
    }

    /// <summary>Calls a method of the node (then sends what it queued) and returns its result as JSON.</summary>
    public Task<JsonElement> CallAsync(string method, params object?[] args) =>
        Page.EvaluateAsync<JsonElement>("([m, a]) => mmHarness.call(m, ...a) ?? null", new object[] { method, args });

    /// <summary>The node's state().</summary>
    public Task<JsonElement> StateAsync() => CallAsync("state");

    /// <summary>Every entry the node stored, as the base64 of the blobs the app keeps in IndexedDB.</summary>
    public Task<string> EntriesAsync() => Page.EvaluateAsync<string>("() => mmHarness.entries()");

    /// <summary>Waits until the conversation with <paramref name="peer"/> holds a message reading <paramref name="text"/>.</summary>
    public Task WaitForMessageAsync(string peer, string text, float timeoutMilliseconds = 60_000) => Page.WaitForFunctionAsync(
        "([p, t]) => mmHarness.call('conversation', p).some(m => m.text === t)",
        new[] { peer, text },
        new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = timeoutMilliseconds });

    /// <summary>Reads the conversation with <paramref name="peer"/> and renders every message as a list item; returns the milliseconds until the frame after the last one was added.</summary>
    public Task<double> RenderConversationAsync(string peer) => Page.EvaluateAsync<double>(
        """
        peer => new Promise(resolve => {
          const t = performance.now();
          const list = document.getElementById('messages');
          list.replaceChildren();
          for (const m of mmHarness.call('conversation', peer)) {
            const item = document.createElement('li');
            item.textContent = m.text;
            item.dataset.seq = m.seq;
            list.append(item);
          }
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t), 0));
        })
        """,
        peer);

    private static string ReadHarness()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MeshMessenger.Cli.Benchmarks.web-harness.js")
            ?? throw new InvalidOperationException("web-harness.js is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
