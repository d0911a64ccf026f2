using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// One real gateway for the whole test class: in-process, on a free port, with four emulated devices, the web
/// app, and anchoring on a local anvil every 6 seconds; and Debian's chromium driven by Playwright
/// (executablePath /usr/bin/chromium; Playwright never downloads a browser here).
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium; tests/setup.sh installs it.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private readonly string _data = Directory.CreateTempSubdirectory("mm-web-").FullName;
    private LocalDevChain? _chain;
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The running gateway's services (to reach a part a test must hold still, such as the photo decode gate).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>Where screenshots go: artifacts/screenshots in the repository (kept by CI as test artefacts).</summary>
    public static string Screenshots { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new FileNotFoundException($"{Chromium} is missing: run tests/setup.sh (it installs Debian's chromium)");
        }

        Directory.CreateDirectory(Screenshots);
        _chain = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is missing: run tests/setup.sh"), blockSeconds: 1);
        Environment.SetEnvironmentVariable("MM_ANCHOR_KEY", Convert.ToHexStringLower(LocalDevChain.Account0Key));
        _app = GatewayHost.Build(
        [
            "--Urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Gateway:Name=web-test",
            $"--Gateway:DataDirectory={_data}",
            "--Gateway:Emulate:Devices=4",
            "--Gateway:Emulate:MessagesPerMinute=30",
            "--Gateway:Mqtt:Mode=off",
            "--Gateway:Udp:AnyPort=true", // a port probed free could be taken before the gateway binds it
            "--Gateway:Udp:Bind=127.0.0.1",
            "--Gateway:Anchoring:Enabled=true",
            $"--Gateway:Anchoring:Rpc={_chain.Url}",
            "--Gateway:Anchoring:BatchMinutes=0.1",
            "--Gateway:Anchoring:PollSeconds=1",
        ]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Without the background-networking flags chromium keeps dialling Google's hosts, which a closed network refuses.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A page as a separate user (its own browser context), phone-sized or desktop-sized.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 860 },
            IsMobile = phone,
            HasTouch = phone,
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    /// <summary>The demo devices the gateway emulates (node ids), from GET /api/devices.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> DemoDevicesAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        using var devices = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/devices"));
        return [.. devices.RootElement.EnumerateArray().Select(d => (d.GetProperty("id").GetString()!, d.GetProperty("name").GetString()!))];
    }

    /// <summary>Opens the app as the demo device <paramref name="id"/> (<c>?as=</c>) at <paramref name="section"/>.</summary>
    public static async Task OpenDemoAsync(IPage page, string id, string section = "chats")
    {
        await page.GotoAsync($"/?as={id}#/{section}");
        await page.Locator("body[data-ready=true][data-mode=demo]").WaitForAsync();
        await page.Locator("main h1").WaitForAsync();
    }

    /// <summary>
    /// Creates an identity in this page's browser (first visit: "Create your identity"), confirms the backup code
    /// step, and returns the new node id and the backup code shown once.
    /// </summary>
    public static async Task<(string Id, string BackupCode)> CreateIdentityAsync(IPage page, string name, string? passphrase = null)
    {
        await page.GotoAsync("/");
        await page.Locator("body[data-ready=true][data-mode=welcome]").WaitForAsync();
        await page.Locator("#create-name").FillAsync(name);
        if (passphrase is not null)
        {
            await page.Locator("#create-passphrase").FillAsync(passphrase);
        }

        await page.Locator("#create-submit").ClickAsync();
        await page.Locator("#backup-dialog[open]").WaitForAsync(new() { Timeout = 60_000 });
        string code = (await page.Locator("#backup-code").InnerTextAsync()).Trim();
        await page.Locator("#backup-written").CheckAsync();
        await page.Locator("#backup-done").ClickAsync();
        await page.Locator("body[data-mode=self]").WaitForAsync();
        return (await page.Locator("body").GetAttributeAsync("data-me") ?? "", code);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _chain?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MeshMessenger.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
