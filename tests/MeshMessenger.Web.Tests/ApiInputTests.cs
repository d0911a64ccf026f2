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
        HttpResponseMessage joined = await http.PostAsJsonAsync("/api/people", new { name = "Mallory" });
        string me = (await joined.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;

        (HttpStatusCode, string)[] cases =
        [
            await Send(http.GetAsync("/api/devices/zzzz/chats")),
            await Send(http.GetAsync("/api/devices/00000000/chats")),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/contacts", new { card = "MM1:AAAA" })),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/contacts", new { card = new string('M', 5000) })),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/chats/00000001", new { text = "hello?" })),
            await Send(http.PostAsJsonAsync($"/api/devices/{me}/chats/{me}", new { text = new string('x', 1001) })),
            await Send(http.PostAsync($"/api/devices/{me}/chats/{me}", new StringContent("{not json", Encoding.UTF8, "application/json"))),
            await Send(http.PostAsJsonAsync("/api/people", new { name = new string('n', 40) })),
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
    public async Task A_person_can_be_acted_as_only_from_the_browser_that_joined_as_them_but_their_card_stays_public()
    {
        using var theirs = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };
        using var stranger = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };
        HttpResponseMessage joined = await theirs.PostAsJsonAsync("/api/people", new { name = "Nadia" });
        string nadia = (await joined.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        string cookie = joined.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains($"path=/api/devices/{nadia}", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync($"/api/devices/{nadia}/chats")).StatusCode);
        (HttpStatusCode status, string reason) = await Send(stranger.GetAsync($"/api/devices/{nadia}/chats"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("only that browser can act as them", reason);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsJsonAsync($"/api/devices/{nadia}/chats/{nadia}", new { text = "pretending" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/api/devices/{nadia}/card.png")).StatusCode);
        string emulated = (await stranger.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/devices")).EnumerateArray().First(d => !d.GetProperty("person").GetBoolean()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/api/devices/{emulated}/chats")).StatusCode);
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
