using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Gateway.Tests;
using Microsoft.Playwright;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// A person an earlier release hosted (their backup code in the gateway's people.json, their chain in its store)
/// opens the web app in the browser that joined, the one holding their access cookie: the app offers to move the
/// identity in, the browser takes the code, rebuilds the person's history from the gateway and carries on their
/// chain, and the gateway deletes its copy. A browser without the cookie is offered nothing.
/// </summary>
public sealed class BrowserMigrationTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _folder = Directory.CreateTempSubdirectory("mm-web-migrate-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Only_the_browser_with_the_old_cookie_moves_the_identity_in_gets_its_history_and_the_gateway_deletes_its_copy()
    {
        string data = Path.Combine(_folder, "gwm");
        using var gateway = new GatewayProcess("gwm", data, mqttPort: 1883, mqttMode: "off", "--Gateway:Emulate:Devices=1", "--Gateway:Emulate:MessagesPerMinute=1").StartDetached();
        string url = $"http://127.0.0.1:{gateway.HttpPort}";
        string demoId = (await Http.GetFromJsonAsync<JsonElement>($"{url}/api/devices")).EnumerateArray().First().GetProperty("id").GetString()!;
        string demoCard = (await Http.GetFromJsonAsync<JsonElement>($"{url}/api/devices/{demoId}/card")).GetProperty("text").GetString()!;

        // The person's history on the gateway: made here in a browser whose storage is then thrown away, standing in
        // for the node the earlier release hosted (its chain is what the store keeps either way).
        WebAppPage earlier = await chromium.PersonAsync(url);
        string code = await earlier.CreateAsync("Ada");
        string ada = earlier.Id;
        await earlier.AddContactAsync(demoCard);
        await earlier.OpenConversationAsync(demoId);
        await earlier.SendAsync("said before the move");
        MosquittoBroker.WaitUntil(() => (gateway.Entries().GetValueOrDefault(ada) ?? []).Count >= 2, TimeSpan.FromSeconds(30), "Ada's message to reach the gateway's store");
        await earlier.Page.Context.CloseAsync();

        // What the earlier release wrote: the backup code, and the SHA-256 of the access key only Ada's browser holds.
        gateway.Kill9();
        string key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        string keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        File.WriteAllText(Path.Combine(data, "people.json"), $$"""
            [ { "name": "Ada", "backupCode": "{{code}}", "contacts": [ "{{demoId}}" ], "channels": [], "readUpTo": {}, "accessKeyHash": "{{keyHash}}" } ]
            """);
        gateway.StartDetached();
        long before = gateway.Entries()[ada].Max();

        // A stranger's browser (no cookie) is offered nothing and cannot fetch the code.
        WebAppPage stranger = await chromium.PersonAsync(url);
        await stranger.Page.WaitForTimeoutAsync(1500); // the offer is fetched after the welcome screen is ready
        Assert.Equal(0, await stranger.Page.Locator("#migrate-submit").CountAsync());
        Assert.Equal(403, (await stranger.Page.APIRequest.GetAsync($"{url}/api/devices/{ada}/migration")).Status);
        await stranger.Page.Context.CloseAsync();

        // Ada's browser, holding the cookie the earlier release set (HttpOnly, scoped to her device's API).
        IBrowserContext context = await chromium.Browser.NewContextAsync();
        await context.AddCookiesAsync([new Cookie { Name = $"mm_key_{ada}", Value = key, Url = $"{url}/api/devices/{ada}", HttpOnly = true, SameSite = SameSiteAttribute.Strict }]);
        WebAppPage moved = await WebAppPage.OpenAsync(context, url);
        await moved.Page.Locator("#migrate-submit").ClickAsync();
        await moved.Page.Locator("body[data-mode=self]").WaitForAsync();
        Assert.Equal(ada, await moved.Page.Locator("body").GetAttributeAsync("data-me"));

        // The gateway deleted its copy: nothing pending, the code no longer served, people.json gone.
        MosquittoBroker.WaitUntil(() => !File.Exists(Path.Combine(data, "people.json")), TimeSpan.FromSeconds(30), "the gateway to delete people.json");
        Assert.Empty((await Http.GetFromJsonAsync<JsonElement>($"{url}/api/migrations")).EnumerateArray());
        Assert.Equal(404, (await moved.Page.APIRequest.GetAsync($"{url}/api/devices/{ada}/migration")).Status);

        // Her history came back from the gateway, and her next message carries on her chain.
        await moved.WaitForMessageAsync(demoId, "said before the move");
        await moved.OpenConversationAsync(demoId);
        await moved.SendAsync("said after the move");
        string? seq = await moved.Page.Locator("li.bubble.mine", new() { HasTextString = "said after the move" }).GetAttributeAsync("data-seq");
        long after = long.Parse(seq!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(after > before, $"the message after the move took sequence {after}, not after the earlier head {before}");
        MosquittoBroker.WaitUntil(() => (gateway.Entries().GetValueOrDefault(ada) ?? []).Contains(after), TimeSpan.FromSeconds(30), "the message after the move to be stored in Ada's chain");
        ResumedChain.AssertContinues(gateway.Entries()[ada], before);
        await context.CloseAsync();
    }
}
