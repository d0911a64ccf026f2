using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Gateway.Tests;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// A browser with a history loses its storage and is restored from its backup code alone: the gateway's sync
/// (heads and wants over /api/link) gives back its chain and its conversations, and the next message it writes
/// carries on its chain (old head + 1: one chain, no fork, no reused sequence number).
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
        BrowserNodePage ada = await chromium.PersonAsync(url);
        string code = await ada.CreateAsync("Ada");
        await ada.CallAsync("addContact", demoCard);
        foreach (string text in new[] { "first note to the demo", "second note to the demo", "third note to the demo" })
        {
            await ada.CallAsync("sendText", demoId, text);
        }

        await ada.CallAsync("post", "Ada's public post before the restore", 0, null);
        await DemoWritesAsync(url, demoId, ada.Id, "the demo answers once");
        await DemoWritesAsync(url, demoId, ada.Id, "the demo answers twice");
        await ada.WaitForMessageAsync(demoId, "the demo answers twice");
        string before = Conversation(await ada.CallAsync("conversation", demoId));
        uint head = (await ada.StateAsync()).GetProperty("nextSequence").GetUInt32() - 1;
        MosquittoBroker.WaitUntil(() => Held(gateway, ada.Id).LastOrDefault() == head, TimeSpan.FromSeconds(30), "the gateway to hold Ada's whole chain");
        await ada.Page.Context.CloseAsync();

        // Storage gone: a fresh browser context knows nothing; the backup code alone restores Ada.
        BrowserNodePage restored = await chromium.PersonAsync(url);
        await restored.OpenAsync(code, "Ada", restoring: true, entries: null);
        Assert.Equal(ada.Id, restored.Id);
        await restored.WaitForMessageAsync(demoId, "the demo answers twice");
        await restored.Page.WaitForFunctionAsync(
            "h => mmHarness.call('state').nextSequence === h + 1",
            head,
            new() { PollingInterval = 100, Timeout = 60_000 });
        Assert.Equal(before, Conversation(await restored.CallAsync("conversation", demoId)));
        JsonElement feed = await restored.CallAsync("feed");
        Assert.Contains(feed.EnumerateArray(), p => p.GetProperty("text").GetString() == "Ada's public post before the restore" && p.GetProperty("author").GetString() == ada.Id);
        Assert.Contains(
            (await restored.StateAsync()).GetProperty("conversations").EnumerateArray(),
            c => c.GetProperty("peer").GetString() == demoId && c.GetProperty("lastText").GetString() == "the demo answers twice");
        if ((await restored.StateAsync()).GetProperty("restoring").GetBoolean())
        {
            await restored.CallAsync("finishRestore");
        }

        // The next message carries on the chain: old head + 1, stored once; the chain has no gap and no repeat.
        uint next = (await restored.CallAsync("sendText", demoId, "written after the restore")).GetUInt32();
        Assert.Equal(head + 1, next);
        MosquittoBroker.WaitUntil(() => Held(gateway, ada.Id).Contains(next), TimeSpan.FromSeconds(30), "the gateway to store the message written after the restore");
        List<long> chain = Held(gateway, ada.Id);
        Assert.Equal(Enumerable.Range((int)chain[0], chain.Count).Select(s => (long)s), chain);
        Assert.Equal(next, chain[^1]);
        await restored.Page.Context.CloseAsync();
    }

    private static List<long> Held(GatewayProcess gateway, string author) => gateway.Entries().GetValueOrDefault(author) ?? [];

    private static string Conversation(JsonElement messages) => string.Join(
        "\n",
        messages.EnumerateArray().Select(m => $"{m.GetProperty("author").GetString()} {m.GetProperty("seq").GetUInt32()} {m.GetProperty("outgoing").GetBoolean()} {m.GetProperty("text").GetString()}"));

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
