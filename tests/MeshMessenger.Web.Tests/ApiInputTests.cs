using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace MeshMessenger.Web.Tests;

/// <summary>The web API takes untrusted input: every bad request is a 4xx with a reason, never a 500, and the gateway keeps serving.</summary>
public sealed class ApiInputTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Bad_ids_cards_texts_forms_and_files_are_refused_with_a_reason()
    {
        using var http = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };
        string me = (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/devices")).EnumerateArray().Last().GetProperty("id").GetString()!;

        (HttpStatusCode, string)[] cases =
        [
            await Send(http.GetAsync("/api/devices/zzzz/chats")),
            await Send(http.GetAsync("/api/devices/00000000/chats")),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/contacts", new { card = "MM1:AAAA" })),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/contacts", new { card = new string('M', 5000) })),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/chats/00000001", new { text = "hello?" })),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/chats/{me}", new { text = new string('x', 1001) })),
            await Send(http.PostAsync($"/api/devices/{me}/chats/{me}", new StringContent("{not json", Encoding.UTF8, "application/json"))),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/channels", new { name = new string('n', 40) })),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/channels", new { invite = "MMC1:garbage" })),
            await Send(http.PostAsync($"/api/devices/{me}/feed", new StringContent("text=hi", Encoding.UTF8, "text/plain"))),
            await Send(http.PostAsync($"/api/devices/{me}/feed", Form("not a photo", Encoding.UTF8.GetBytes("GIF89a but not really")))),
            await Send(http.PostAsync($"/api/devices/{me}/feed", new StringContent("--x\r\nbroken", Encoding.UTF8, "multipart/form-data"))),
            await Send(http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/devices/{me}/feed") { Content = Form("too big", new byte[9 * 1024 * 1024]), Headers = { ExpectContinue = true } })), // the server refuses before the body is sent
            await Send(http.GetAsync($"/api/devices/{me}/media/{me}/99")),
        ];

        Assert.All(cases, c => Assert.InRange((int)c.Item1, 400, 499));
        Assert.Contains(cases, c => c.Item2.Contains("not a node id"));
        Assert.Contains(cases, c => c.Item2.Contains("not a MeshMessenger contact card"));
        Assert.Contains(cases, c => c.Item2.Contains("has not heard that person's keys"));
        Assert.Contains(cases, c => c.Item2.Contains("not a picture"));
        Assert.Contains(cases, c => c.Item1 == HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_gateway_hosts_no_person_only_demo_devices_open_to_every_page_and_tells_a_browser_what_a_device_bundle_needs()
    {
        using var stranger = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };
        System.Text.Json.JsonElement[] devices = [.. (await stranger.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/devices")).EnumerateArray()];
        Assert.Equal(4, devices.Length);
        Assert.All(devices, d => Assert.Equal(new[] { "id", "name", "demo" }, d.EnumerateObject().Select(p => p.Name)));
        Assert.All(devices, d => Assert.True(d.GetProperty("demo").GetBoolean()));
        string demo = devices[0].GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/api/devices/{demo}/chats")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.PostAsJsonAsync($"/api/devices/{demo}/chats/{devices[1].GetProperty("id").GetString()}", new { text = "anyone may act as a demo device" })).StatusCode);

        foreach (string removed in new[] { "/api/people", "/api/provision" })
        {
            (HttpStatusCode status, _) = await Send(stranger.PostAsJsonAsync(removed, new { name = "Nadia" }));
            Assert.Contains(status, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        }

        Assert.Empty((await stranger.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/migrations")).EnumerateArray());
        System.Text.Json.JsonElement gateway = await stranger.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/gateway");
        Assert.Matches("^[0-9a-f]{8}$", gateway.GetProperty("node").GetString());
        Assert.True(gateway.GetProperty("udpPort").GetInt32() > 0);
        Assert.Equal("EU_868", gateway.GetProperty("region").GetString());
        Assert.False(string.IsNullOrEmpty(gateway.GetProperty("preset").GetString()));
        Assert.Equal("village", gateway.GetProperty("channel").GetString());
        Assert.StartsWith("MMC1:", gateway.GetProperty("channelInvite").GetString(), StringComparison.Ordinal);
    }

    private static MultipartFormDataContent Form(string text, byte[] photo) => new()
    {
        { new StringContent(text), "text" },
        { new ByteArrayContent(photo), "photo", "photo.jpg" },
    };

    private static async Task<(HttpStatusCode, string)> Send(Task<HttpResponseMessage> request)
    {
        using HttpResponseMessage response = await request;
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
