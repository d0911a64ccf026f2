using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Gateway.Tests;
using MeshMessenger.Protocol.Chain;
using Microsoft.Playwright;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// A browser with a history loses its storage and is restored in the web app from its backup code alone: the
/// gateway's sync (heads and wants over /api/link) gives back its chain and its conversations, and the next message
/// it writes carries on its chain (old head + 1: one chain, no fork, no reused sequence number).
/// </summary>
public sealed class BrowserRestoreTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _folder = Directory.CreateTempSubdirectory("mm-web-restore-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_browser_restored_from_its_backup_code_gets_its_history_back_and_its_next_message_carries_on_its_chain()
    {
        using var gateway = new GatewayProcess("gwr", Path.Combine(_folder, "gwr"), mqttPort: 1883, mqttMode: "off", "--Gateway:Emulate:Devices=1", "--Gateway:Emulate:MessagesPerMinute=1").StartDetached();
        string url = $"http://127.0.0.1:{gateway.HttpPort}";
        JsonElement demo = (await Http.GetFromJsonAsync<JsonElement>($"{url}/api/devices")).EnumerateArray().First();
        string demoId = demo.GetProperty("id").GetString()!;
        string demoCard = (await Http.GetFromJsonAsync<JsonElement>($"{url}/api/devices/{demoId}/card")).GetProperty("text").GetString()!;

        // A history: three messages to a demo device, two from it, and a public post.
        WebAppPage ada = await chromium.PersonAsync(url);
        string code = await ada.CreateAsync("Ada");
        await ada.AddContactAsync(demoCard);
        await ada.OpenConversationAsync(demoId);
        foreach (string text in new[] { "first note to the demo", "second note to the demo", "third note to the demo" })
        {
            await ada.SendAsync(text);
        }

        await PostAsync(ada, "Ada's public post before the restore");
        await DemoWritesAsync(url, demoId, ada.Id, "the demo answers once");
        await DemoWritesAsync(url, demoId, ada.Id, "the demo answers twice");
        await ada.WaitForMessageAsync(demoId, "the demo answers twice");
        List<string> before = await ada.MessagesAsync();
        Assert.Equal(5, before.Count);
        long head = SettledHead(gateway, ada.Id);
        await ada.Page.Context.CloseAsync();

        // Storage gone: a fresh browser context knows nothing; the backup code alone restores Ada.
        WebAppPage restored = await chromium.PersonAsync(url);
        await restored.RestoreAsync(code, "Ada");
        Assert.Equal(ada.Id, restored.Id);
        await Assertions.Expect(restored.Page.Locator("#restore-status")).ToContainTextAsync("Your history is back", new() { Timeout = 60_000 });
        await restored.WaitForMessageAsync(demoId, "the demo answers twice");
        Assert.Equal(before, await restored.MessagesAsync());
        await restored.Page.EvaluateAsync("() => { location.hash = '#/feed'; }");
        await restored.Page.Locator($"article.post[data-author='{ada.Id}']", new() { HasTextString = "Ada's public post before the restore" }).WaitForAsync();

        // The next message carries on the chain after the resume entry, which skips 64 sequences past the old head
        // (docs/protocol.md §8.3): stored once; no sequence repeats, and the only gap is the skipped run.
        await restored.OpenConversationAsync(demoId);
        await restored.SendAsync("written after the restore");
        string? seq = await restored.Page.Locator("li.bubble.mine", new() { HasTextString = "written after the restore" }).GetAttributeAsync("data-seq");
        long next = long.Parse(seq!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(next > head + LocalChain.ResumeSkip + 1, $"the message after the restore took {next}, not past the resume entry at {head + LocalChain.ResumeSkip + 1}");
        MosquittoBroker.WaitUntil(() => Held(gateway, ada.Id).Contains(next), TimeSpan.FromSeconds(30), "the gateway to store the message written after the restore");
        ResumedChain.AssertContinues(Held(gateway, ada.Id), head);
        await restored.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_restored_browser_gets_a_history_larger_than_one_want_answer_without_waiting_for_the_heads_timer()
    {
        // 150 messages from a demo device: more than two answers of 64 entries, so the node must ask again and again.
        const int Messages = 150;
        using var gateway = new GatewayProcess("gwc", Path.Combine(_folder, "gwc"), mqttPort: 1883, mqttMode: "off", "--Gateway:Emulate:Devices=1", "--Gateway:Emulate:MessagesPerMinute=1", "--Gateway:RateLimitPerMinute=0").StartDetached();
        string url = $"http://127.0.0.1:{gateway.HttpPort}";
        JsonElement demo = (await Http.GetFromJsonAsync<JsonElement>($"{url}/api/devices")).EnumerateArray().First();
        string demoId = demo.GetProperty("id").GetString()!;
        string demoCard = (await Http.GetFromJsonAsync<JsonElement>($"{url}/api/devices/{demoId}/card")).GetProperty("text").GetString()!;

        WebAppPage ada = await chromium.PersonAsync(url);
        string code = await ada.CreateAsync("Ada");
        await ada.AddContactAsync(demoCard);
        await ada.OpenConversationAsync(demoId);
        await ada.SendAsync("hello, demo");
        for (int i = 1; i <= Messages; i++)
        {
            await DemoWritesAsync(url, demoId, ada.Id, $"demo message {i} of {Messages}");
        }

        await ada.WaitForMessageAsync(demoId, $"demo message {Messages} of {Messages}");
        long head = SettledHead(gateway, ada.Id);
        await ada.Page.Context.CloseAsync();

        // The heads timer asks every 30 s; the whole history must be back well before the first tick.
        WebAppPage restored = await chromium.PersonAsync(url);
        await restored.RestoreAsync(code, "Ada");
        await restored.OpenConversationAsync(demoId);
        await Assertions.Expect(restored.Page.Locator("li.bubble")).ToHaveCountAsync(Messages + 1, new() { Timeout = 15_000 });
        await Assertions.Expect(restored.Page.Locator("#restore-status")).ToContainTextAsync($"Your history is back ({head} entries)", new() { Timeout = 15_000 });
        Assert.Equal($"theirs demo message {Messages} of {Messages}", (await restored.MessagesAsync())[^1]);
        await restored.Page.Context.CloseAsync();
    }

    private static async Task PostAsync(WebAppPage page, string text)
    {
        await page.Page.EvaluateAsync("() => { location.hash = '#/feed'; }");
        await page.Page.Locator("#feed-text").FillAsync(text);
        await page.Page.Locator("#feed-post").ClickAsync();
        await page.Page.Locator($"article.post[data-author='{page.Id}']", new() { HasTextString = text }).WaitForAsync();
    }

    /// <summary>The last sequence number of the author's chain at the gateway once it stopped growing (receipts come after messages).</summary>
    private static long SettledHead(GatewayProcess gateway, string author)
    {
        List<long> last = [];
        int quiet = 0;
        MosquittoBroker.WaitUntil(
            () =>
            {
                List<long> now = Held(gateway, author);
                quiet = now.SequenceEqual(last) && now.Count > 0 ? quiet + 1 : 0;
                last = now;
                return quiet >= 6;
            },
            TimeSpan.FromSeconds(60),
            "the author's chain at the gateway to settle",
            pollMs: 500);
        return last[^1];
    }

    private static List<long> Held(GatewayProcess gateway, string author) => gateway.Entries().GetValueOrDefault(author) ?? [];

    private static async Task DemoWritesAsync(string url, string demoId, string peer, string text)
    {
        for (int attempt = 0; ; attempt++)
        {
            using HttpResponseMessage response = await Http.PostAsJsonAsync($"{url}/api/devices/{demoId}/chats/{peer}", new { text });
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            // 409 until the demo device has heard Ada's keys.
            Assert.True(response.StatusCode == HttpStatusCode.Conflict && attempt < 100, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }
}
