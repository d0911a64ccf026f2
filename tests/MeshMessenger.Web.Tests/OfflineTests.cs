using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// After a first load the service worker opens the app with no network (Playwright's offline emulation), a send
/// says "Waiting for the mesh" instead of failing, and goes out once the network is back.
/// </summary>
public sealed class OfflineTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_demo_device_opens_offline_and_a_send_waits_for_the_mesh_then_goes_out()
    {
        IReadOnlyList<(string Id, string Name)> demos = await web.DemoDevicesAsync();
        (string a, string b) = (demos[2].Id, demos[3].Id);
        IPage page = await web.NewPageAsync(phone: true);
        await WebAppFixture.OpenDemoAsync(page, a, $"chats/{b}");
        await WaitForWorkerAsync(page);

        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.Locator("body[data-ready=true][data-mode=demo]").WaitForAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Chats");
        string text = $"Written offline {Guid.NewGuid():N}"[..28];
        await page.Locator("#message").FillAsync(text);
        await page.Locator("#message").PressAsync("Enter");
        ILocator bubble = page.Locator("li.bubble.mine", new() { HasText = text });
        await Expect(bubble.Locator(".state")).ToHaveAttributeAsync("data-state", "waiting");
        await Expect(bubble.Locator(".state")).ToContainTextAsync("Waiting for the mesh");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Failed to fetch");
        await WebAppFixture.ScreenshotAsync(page, "offline-waiting");

        await page.Context.SetOfflineAsync(false);
        await Expect(bubble.Locator(".state")).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(sent|relayed|delivered|read)$"), new() { Timeout = 30_000 });
        using var http = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };
        Assert.Contains(text, await http.GetStringAsync($"/api/devices/{a}/chats/{b}"));
        Assert.Equal(1, await page.Locator("li.bubble.mine", new() { HasText = text }).CountAsync()); // sent once, not twice
    }

    [Fact]
    public async Task A_browser_identity_opens_offline_from_the_service_worker_and_a_send_waits_for_the_mesh_then_goes_out()
    {
        (string demo, string demoName) = (await web.DemoDevicesAsync())[0];
        IPage page = await web.NewPageAsync();
        (string me, _) = await WebAppFixture.CreateIdentityAsync(page, "Olu Offline");
        string demoCard = await page.EvaluateAsync<string>("async id => (await (await fetch(`/api/devices/${id}/card`)).json()).text", demo);
        await page.GotoAsync("/#/contacts");
        await page.Locator("#card-text").FillAsync(demoCard);
        await page.Locator("#card-text").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Contacts" })).ToContainTextAsync(demoName);
        await page.GotoAsync($"/#/chats/{demo}");
        await page.Locator("body[data-link=up]").WaitForAsync(new() { Timeout = 30_000 });
        await ReloadOfflineAsync(page, me);
        await page.Locator("#message").FillAsync("Sent while the gateway was away");
        await page.Locator("#message").PressAsync("Enter");
        ILocator state = page.Locator("li.bubble.mine", new() { HasText = "while the gateway was away" }).Locator(".state");
        await Expect(state).ToHaveAttributeAsync("data-state", "waiting");
        await Expect(state).ToContainTextAsync("Waiting for the mesh");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Failed to fetch");

        await page.Context.SetOfflineAsync(false);
        await Expect(state).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(sent|relayed|delivered|read)$"), new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task A_node_that_boots_while_the_worker_activates_still_opens_offline()
    {
        // The first visit's race, forced: the worker registers only once the node's boot has asked for dotnet.js,
        // and dotnet.js is answered only once the worker is ready, so the page's first list of loaded files
        // lacks it and the request goes past the worker.
        IPage page = await web.NewPageAsync();
        await page.AddInitScriptAsync("""
            (() => {
              let open;
              const gate = new Promise(resolve => { open = resolve; });
              window.openWorkerGate = () => { open(); return navigator.serviceWorker.ready.then(() => true); };
              const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
              navigator.serviceWorker.register = (...args) => gate.then(() => register(...args));
            })();
            """);
        int held = 0;
        await page.RouteAsync("**/_framework/dotnet.js", async route =>
        {
            if (Interlocked.Exchange(ref held, 1) == 0)
            {
                await page.EvaluateAsync<bool>("() => window.openWorkerGate()");
            }

            await route.ContinueAsync();
        });
        (string me, _) = await WebAppFixture.CreateIdentityAsync(page, "Ike Early");
        Assert.Equal(1, held); // the boot's dotnet.js came past the worker
        await ReloadOfflineAsync(page, me);
    }

    /// <summary>Once the worker serves the page and caches the framework, reloads offline; the identity opens from the cache.</summary>
    private static async Task ReloadOfflineAsync(IPage page, string me)
    {
        await WaitForWorkerAsync(page);
        await WaitForFrameworkCachedAsync(page);
        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.Locator($"body[data-ready=true][data-mode=self][data-me='{me}']").WaitForAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Chats");
    }

    /// <summary>Until the service worker is active and controls the page (its fetch handler serves the reload).</summary>
    private static Task WaitForWorkerAsync(IPage page) =>
        UntilAsync(page, "async () => !!(await navigator.serviceWorker.ready).active && !!navigator.serviceWorker.controller", "the service worker to control the page");

    /// <summary>
    /// Until the worker's framework cache (sw.js) holds every /_framework/ file the page loaded, which the worker
    /// fetches in the background from the list the page hands it. A file missing there fails the offline boot.
    /// </summary>
    private static Task WaitForFrameworkCachedAsync(IPage page) => UntilAsync(page, """
        async () => {
          const cache = await caches.open('mm-framework-v1');
          const loaded = performance.getEntriesByType('resource').map(r => r.name).filter(n => new URL(n).pathname.startsWith('/_framework/'));
          for (const url of loaded) if (!await cache.match(url)) return false;
          return loaded.length > 0;
        }
        """, "the worker to cache every /_framework/ file the page loaded");

    /// <summary>
    /// Polls <paramref name="predicate"/>, an async function, until it resolves true. Not WaitForFunctionAsync:
    /// Playwright takes the Promise an async predicate returns as truthy, so such a wait passes at once.
    /// </summary>
    private static async Task UntilAsync(IPage page, string predicate, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await page.EvaluateAsync<bool>(predicate))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"timed out after 20 s waiting for {what}");
            await Task.Delay(100);
        }
    }
}
