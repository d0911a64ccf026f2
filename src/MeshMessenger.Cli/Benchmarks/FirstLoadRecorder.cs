using Microsoft.Playwright;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// Records every response a fresh browser context receives (pages and service workers alike) and sums their
/// encoded body sizes: the compressed bytes that crossed the network, as Chromium counts them
/// (Playwright's request.sizes(), from the DevTools protocol's Network.loadingFinished).
/// </summary>
public sealed class FirstLoadRecorder
{
    private readonly IBrowserContext _context;
    private readonly List<IRequest> _finished = [];
    private readonly Lock _gate = new();
    private long _lastActivity = Environment.TickCount64;

    /// <summary>The part for a second fetch of a file already loaded (the service worker caching it).</summary>
    public const string RepeatPart = "second copies (service worker caching)";

    /// <summary>The part for responses whose sizes chromium did not report within 5 s (counted as 0 bytes, listed by name).</summary>
    public const string UnmeasuredPart = "sizes not reported (counted as 0)";

    /// <summary>Starts recording <paramref name="context"/>.</summary>
    public FirstLoadRecorder(IBrowserContext context)
    {
        _context = context;
        _context.RequestFinished += OnFinished;
    }

    /// <summary>The part of the app a file belongs to, by its (fingerprinted) name.</summary>
    public static string PartOf(string url)
    {
        string name = Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? Path.GetFileName(uri.AbsolutePath) : url;
        return name switch
        {
            _ when name.StartsWith("dotnet.native", StringComparison.Ordinal) && name.EndsWith(".wasm", StringComparison.Ordinal) => "dotnet.native.wasm",
            _ when name.StartsWith("System.Private.CoreLib", StringComparison.Ordinal) => "CoreLib",
            _ when name.StartsWith("MeshMessenger.", StringComparison.Ordinal) => "MeshMessenger assemblies",
            _ when name.EndsWith(".wasm", StringComparison.Ordinal) || name.EndsWith(".dll", StringComparison.Ordinal) => "other .NET assemblies",
            _ when name.EndsWith(".js", StringComparison.Ordinal) || name.EndsWith(".mjs", StringComparison.Ordinal) => "JavaScript",
            _ when name.EndsWith(".css", StringComparison.Ordinal) => "CSS",
            _ => "other",
        };
    }

    /// <summary>Stops recording; the bytes and file names by part.</summary>
    public async Task<Dictionary<string, (long Bytes, List<string> Names)>> StopAsync()
    {
        _context.RequestFinished -= OnFinished;
        IRequest[] finished;
        lock (_gate)
        {
            finished = [.. _finished];
        }

        // Sizes are asked for here, one by one, not inside the event handler that reported the request.
        var all = new List<(string Url, long Bytes)>();
        foreach (IRequest request in finished)
        {
            all.Add(await SizeAsync(request).ConfigureAwait(false));
        }

        // The service worker fetches the app shell again when it installs (cache: 'reload') and caches the framework
        // files the page loaded: real bytes, but a second copy of a file, so they are shown as a part of their own.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return all.Where(r => !r.Url.EndsWith(BrowserNodePage.HarnessPath, StringComparison.Ordinal)).GroupBy(r => r.Bytes < 0 ? UnmeasuredPart : seen.Add(r.Url) ? PartOf(r.Url) : RepeatPart).ToDictionary(
            g => g.Key,
            g => (g.Sum(r => Math.Max(0, r.Bytes)), g.Select(r => Path.GetFileName(new Uri(r.Url).AbsolutePath)).ToList()));
    }

    /// <summary>Mean bytes per part over the runs, largest first.</summary>
    public static List<WebLoadPart> Summarise(List<Dictionary<string, (long Bytes, List<string> Names)>> runs) =>
        runs.SelectMany(r => r.Keys).Distinct()
            .Select(part => new WebLoadPart(
                part,
                runs.Average(r => r.TryGetValue(part, out var p) ? p.Bytes : 0),
                runs[0].TryGetValue(part, out var first) ? first.Names.Count : 0,
                runs[0].TryGetValue(part, out var names) ? names.Names : []))
            .OrderByDescending(p => p.MeanBytes)
            .ToList();

    /// <summary>Waits until no response has finished for <paramref name="quiet"/> (long-lived streams such as the link and live events never finish, so "network idle" never comes), at most <paramref name="limit"/>.</summary>
    public async Task WaitQuietAsync(TimeSpan quiet, TimeSpan limit)
    {
        long until = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Environment.TickCount64 < until && Environment.TickCount64 - Interlocked.Read(ref _lastActivity) < quiet.TotalMilliseconds)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private void OnFinished(object? sender, IRequest request)
    {
        Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
        lock (_gate)
        {
            _finished.Add(request);
        }
    }

    private static async Task<(string Url, long Bytes)> SizeAsync(IRequest request)
    {
        try
        {
            // A response served by the page's service worker was fetched (and counted) by the worker itself, if at all.
            IResponse? response = await request.ResponseAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            if (response is null || response.FromServiceWorker || !request.Url.StartsWith("http", StringComparison.Ordinal))
            {
                return (request.Url, 0);
            }

            // Bounded: now and then chromium never reports the sizes of a response (seen for the service worker's fetches).
            RequestSizesResult sizes = await request.SizesAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return (request.Url, sizes.ResponseBodySize);
        }
        catch (TimeoutException)
        {
            return (request.Url, -1);
        }
    }
}
