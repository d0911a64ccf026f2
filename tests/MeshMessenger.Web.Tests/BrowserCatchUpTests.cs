using System.Net.Http.Json;
using System.Text.Json;
using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Gateway.Tests;
using Microsoft.Playwright;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// A browser that was away while a demo device posted 150 public posts catches up as soon as it is back: the
/// gateway answers each want with at most 64 entries, and the app asks again after a run of entries instead of
/// waiting for its 30 s heads, so all 150 arrive well within one heads period.
/// </summary>
public sealed class BrowserCatchUpTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private const int Posts = 150;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _folder = Directory.CreateTempSubdirectory("mm-web-catchup-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_browser_that_was_away_gets_every_post_made_meanwhile_without_waiting_for_the_heads_timer()
    {
        using var gateway = new GatewayProcess("gwc", Path.Combine(_folder, "gwc"), mqttPort: 1883, mqttMode: "off", "--Gateway:Emulate:Devices=1", "--Gateway:Emulate:MessagesPerMinute=1", "--Gateway:RateLimitPerMinute=0").StartDetached();
        string url = $"http://127.0.0.1:{gateway.HttpPort}";
        string demoId = (await Http.GetFromJsonAsync<JsonElement>($"{url}/api/devices")).EnumerateArray().First().GetProperty("id").GetString()!;

        WebAppPage ada = await chromium.PersonAsync(url);
        await ada.CreateAsync("Ada");
        await ada.WaitLinkedAsync();
        IBrowserContext browser = ada.Page.Context;
        await ada.Page.CloseAsync(); // away: no page, no link; the browser keeps its storage

        for (int i = 0; i < Posts; i++)
        {
            using var form = new MultipartFormDataContent { { new StringContent($"while you were away {i}"), "text" } };
            using HttpResponseMessage response = await Http.PostAsync($"{url}/api/devices/{demoId}/feed", form);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        // Back: the same browser opens the app; every post made meanwhile is in its feed within 15 s (the heads timer
        // alone would need three 30 s periods for 150 entries at 64 per answer).
        WebAppPage back = await WebAppPage.OpenAsync(browser, url);
        await back.Page.Locator("body[data-mode=self]").WaitForAsync();
        await back.Page.EvaluateAsync("() => { location.hash = '#/feed'; }");
        await back.Page.Locator($"article.post[data-author='{demoId}']", new() { HasTextString = $"while you were away {Posts - 1}" }).WaitForAsync(new() { Timeout = 15_000 });
        int held = await back.Page.EvaluateAsync<int>(
            "async ([demo, n]) => { const node = await (await import('/meshnode.js')).bootNode(); return node.feed().filter(p => p.author === demo && p.text.startsWith('while you were away ')).length; }",
            new object[] { demoId, Posts });
        Assert.Equal(Posts, held);
        await browser.CloseAsync();
    }
}
