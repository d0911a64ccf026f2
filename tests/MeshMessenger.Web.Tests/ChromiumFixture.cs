using MeshMessenger.Cli.Benchmarks;
using Microsoft.Playwright;

namespace MeshMessenger.Web.Tests;

/// <summary>Debian's chromium, headless, driven by Playwright, for a test class whose gateways the tests start themselves.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(WebBenchmark.Chromium))
        {
            throw new FileNotFoundException($"{WebBenchmark.Chromium} is missing: run tests/setup.sh (it installs Debian's chromium)");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = WebBenchmark.Chromium, Headless = true, Args = WebBenchmark.ChromiumFlags });
    }

    /// <summary>A person in a browser of their own (a fresh context: no storage shared with anyone), on the gateway at <paramref name="baseUrl"/>.</summary>
    public async Task<WebAppPage> PersonAsync(string baseUrl)
    {
        IBrowserContext context = await Browser.NewContextAsync();
        return await WebAppPage.OpenAsync(context, baseUrl);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
