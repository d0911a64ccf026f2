using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MeshMessenger.Gateway.Web;
using MeshMessenger.Protocol.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// What a stranger on the network may not do to the web app: exhaust memory with pictures, use up
/// live-update streams, hide text in names, post from another site's page, or get an answer without a reason.
/// Real HTTP against the running gateway; clients on other loopback addresses (127.0.0.x) stand for other clients.
/// </summary>
public sealed class WebHardeningTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_post_to_a_device_that_does_not_exist_is_refused_before_its_photo_is_decoded()
    {
        using HttpClient http = From("127.0.0.1");
        string emulated = await EmulatedDevice(http, 0);
        byte[] png = Png(64, 48);
        long before = await Decodes(http);

        using HttpResponseMessage missing = await http.PostAsync("/api/devices/0badf00d/feed", Form("hello", png));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using HttpResponseMessage notMember = await http.PostAsync($"/api/devices/{emulated}/channels/0badf00d", Form("hello", png));
        Assert.Equal(HttpStatusCode.NotFound, notMember.StatusCode);
        Assert.Equal(before, await Decodes(http));

        using HttpResponseMessage posted = await http.PostAsync($"/api/devices/{emulated}/feed", Form("hello", png));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(before + 1, await Decodes(http));
    }

    [Fact]
    public async Task A_huge_picture_is_decoded_scaled_down_or_refused_never_held_at_full_size()
    {
        // A JPEG's codec scales while decoding: 7200 × 5400 is decoded at an eighth, 900 × 675.
        byte[] jpeg = Picture(7200, 5400, SKEncodedImageFormat.Jpeg);
        ShrunkPhoto photo = PhotoShrinker.Shrink(jpeg)!;
        Assert.NotNull(photo);
        Assert.Equal((900, 675), (photo.DecodedWidth, photo.DecodedHeight));
        Assert.Equal((160, 120), (photo.Width, photo.Height));

        // A PNG's codec cannot scale: one this large is refused from its header, as the attacker's 113 KB PNGs would be.
        byte[] png = Picture(7200, 5400, SKEncodedImageFormat.Png);
        Assert.True(png.Length < 1024 * 1024, $"the test picture is {png.Length} bytes");
        using HttpClient http = From("127.0.0.1");
        string emulated = await EmulatedDevice(http, 1);
        long before = await Decodes(http);
        using HttpResponseMessage refused = await http.PostAsync($"/api/devices/{emulated}/feed", Form("a big empty field", png));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("7200 × 5400", await refused.Content.ReadAsStringAsync());

        using HttpResponseMessage posted = await http.PostAsync($"/api/devices/{emulated}/feed", Form("a big empty field", jpeg));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(160, (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("photo").GetProperty("width").GetInt32());
        Assert.Equal(before + 2, await Decodes(http));
    }

    [Fact]
    public async Task When_every_decode_slot_is_busy_an_upload_is_refused_with_503_and_retry_after()
    {
        using HttpClient http = From("127.0.0.1");
        string emulated = await EmulatedDevice(http, 2);
        PhotoDecodeGate gate = web.Services.GetRequiredService<PhotoDecodeGate>();
        var slots = new List<IDisposable>();
        for (int i = 0; i < PhotoDecodeGate.MaxConcurrent; i++)
        {
            slots.Add((await gate.TryEnterAsync(CancellationToken.None))!);
        }

        using (HttpResponseMessage busy = await http.PostAsync($"/api/devices/{emulated}/feed", Form("busy", Png(64, 48))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.NotNull(busy.Headers.RetryAfter);
            Assert.Contains("being shrunk already", await busy.Content.ReadAsStringAsync());
        }

        slots.ForEach(s => s.Dispose());
        using HttpResponseMessage free = await http.PostAsync($"/api/devices/{emulated}/feed", Form("free", Png(64, 48)));
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
    }

    [Fact]
    public async Task Names_that_hide_text_are_refused()
    {
        using HttpClient one = From("127.0.0.21");
        string emulated = await EmulatedDevice(one, 0);
        foreach (string hidden in new[] { "Eve\u202Etxt.exe", "Bell\u0007", "Mark\u200F", "Iso\u2066late", "Zero\u200Bwidth", "Line\u2028break" })
        {
            using HttpResponseMessage refused = await one.PostAsJsonAsync($"/api/devices/{emulated}/channels", new { name = hidden });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("bidirectional-override", await refused.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Names_from_the_mesh_are_shown_without_hidden_characters_and_shared_names_with_their_node_id()
    {
        using HttpClient http = From("127.0.0.1");
        string emulated = await EmulatedDevice(http, 3);
        NodeIdentity first = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)7, 32).ToArray());
        NodeIdentity second = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)8, 32).ToArray());
        foreach (NodeIdentity who in new[] { first, second })
        {
            using HttpResponseMessage added = await http.PostAsJsonAsync($"/api/devices/{emulated}/contacts", new { card = ContactCard.Create(who, "Twin\u202Egnp.exe", null).ToText() });
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        string[] names = [.. (await http.GetFromJsonAsync<JsonElement>($"/api/devices/{emulated}/contacts")).EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Where(n => n.StartsWith("Twin", StringComparison.Ordinal))];
        Assert.Equal(
            new[] { $"Twingnp.exe ({Hex(first.Id)})", $"Twingnp.exe ({Hex(second.Id)})" }.Order(StringComparer.Ordinal),
            names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task State_changing_requests_from_another_site_or_another_port_are_refused()
    {
        using HttpClient http = From("127.0.0.1");
        string emulated = await EmulatedDevice(http, 0);
        string own = web.BaseUrl.TrimEnd('/');
        string other = new UriBuilder(own) { Port = new Uri(own).Port == 1 ? 2 : 1 }.Uri.ToString().TrimEnd('/');

        (string Header, string Value)[] refused = [("Sec-Fetch-Site", "same-site"), ("Sec-Fetch-Site", "cross-site"), ("Origin", other), ("Origin", "null")];
        foreach ((string header, string value) in refused)
        {
            foreach (HttpRequestMessage request in new[] { Post($"/api/devices/{emulated}/feed", Form("from elsewhere", null)), Post($"/api/devices/{emulated}/chats/{emulated}/read", JsonContent.Create(new { })) })
            {
                request.Headers.Add(header, value);
                using HttpResponseMessage response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Contains("may not change anything", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
            }
        }

        (string Header, string Value)[] allowed = [("Sec-Fetch-Site", "same-origin"), ("Origin", own), ("X-None", "neither")];
        foreach ((string header, string value) in allowed)
        {
            HttpRequestMessage request = Post($"/api/devices/{emulated}/chats/{emulated}/read", JsonContent.Create(new { }));
            request.Headers.Add(header, value);
            using HttpResponseMessage response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Every_response_has_the_security_headers_and_the_app_runs_under_its_policy()
    {
        using HttpClient http = From("127.0.0.1");
        foreach (string path in new[] { "/", "/app.js", "/app.css", "/api/gateway", "/health", "/api/nothing-here" })
        {
            using HttpResponseMessage response = await http.GetAsync(path);
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            // Scripts only from the app itself; WebAssembly may compile (the browser node), JavaScript eval may not.
            Assert.Contains("script-src 'self' 'wasm-unsafe-eval';", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.DoesNotContain("'unsafe-eval'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }

        // A page acting as a demo device: no policy violation, and the composer says its messages are readable by every visitor.
        IPage page = await web.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        string emulated = await EmulatedDevice(http, 0);
        string peer = await EmulatedDevice(http, 1);
        await page.GotoAsync($"/?as={emulated}#/chats/{peer}");
        await page.Locator("body[data-ready=true]").WaitForAsync();
        await Expect(page.Locator("#open-device-note")).ToContainTextAsync("every visitor to this gateway can act as it and read its direct messages");
        await page.GotoAsync($"/?as={emulated}#/feed");
        await page.GotoAsync($"/?as={emulated}#/contacts");
        await Expect(page.Locator("#my-qr")).ToBeVisibleAsync();
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Live_update_streams_are_capped_per_address_with_429_and_retry_after()
    {
        using HttpClient one = From("127.0.0.31");
        using HttpClient other = From("127.0.0.32");
        var open = new List<HttpResponseMessage>();
        try
        {
            for (int i = 0; i < ClientQuotas.StreamsPerAddress; i++)
            {
                HttpResponseMessage stream = await one.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
                open.Add(stream);
                Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            }

            using HttpResponseMessage capped = await one.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal((HttpStatusCode)429, capped.StatusCode);
            Assert.NotNull(capped.Headers.RetryAfter);
            Assert.Contains("live-update streams already", await capped.Content.ReadAsStringAsync());

            using HttpResponseMessage elsewhere = await other.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task Every_4xx_has_a_problem_body_with_the_reason()
    {
        using HttpClient http = From("127.0.0.1");
        string emulated = await EmulatedDevice(http, 0);
        (Task<HttpResponseMessage> Request, int Status, string Reason)[] cases =
        [
            (http.PostAsync($"/api/devices/{emulated}/chats/{emulated}", new StringContent("{not json", Encoding.UTF8, "application/json")), 400, "JSON"),
            (http.PostAsync($"/api/devices/{emulated}/channels", new StringContent("", Encoding.UTF8, "application/json")), 400, "body"),
            (http.PostAsync($"/api/devices/{emulated}/channels", new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "text/plain")), 415, "JSON"),
            (http.GetAsync("/api/no-such-route"), 404, "nothing at GET /api/no-such-route"),
            (http.DeleteAsync("/api/gateway"), 405, "not allowed"),
            (http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/devices/{emulated}/feed") { Content = Form("too big", new byte[9 * 1024 * 1024]), Headers = { ExpectContinue = true } }), 413, "too large"),
        ];

        foreach ((Task<HttpResponseMessage> request, int status, string reason) in cases)
        {
            using HttpResponseMessage response = await request;
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
            Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>A client whose connections come from <paramref name="address"/> (any 127.0.0.x reaches the gateway on 127.0.0.1).</summary>
    private HttpClient From(string address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri(web.BaseUrl) };

    private static async Task<string> EmulatedDevice(HttpClient http, int index) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/devices")).EnumerateArray().Where(d => d.GetProperty("demo").GetBoolean()).ElementAt(index).GetProperty("id").GetString()!;

    private static async Task<long> Decodes(HttpClient http)
    {
        string line = (await http.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith($"meshmsg_gateway_{PhotoDecodeGate.DecodesCounter}_total ", StringComparison.Ordinal)) ?? "x 0";
        return long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static HttpRequestMessage Post(string path, HttpContent content) => new(HttpMethod.Post, path) { Content = content };

    private static MultipartFormDataContent Form(string text, byte[]? photo)
    {
        var form = new MultipartFormDataContent { { new StringContent(text), "text" } };
        if (photo is not null)
        {
            form.Add(new ByteArrayContent(photo), "photo", "photo.png");
        }

        return form;
    }

    private static byte[] Png(int width, int height) => Picture(width, height, SKEncodedImageFormat.Png);

    /// <summary>A grey picture: a huge one compresses to little, as the attacker's did.</summary>
    private static byte[] Picture(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(120, 120, 120));
        using SKData data = bitmap.Encode(format, 80);
        return data.ToArray();
    }

    private static string Hex(uint id) => id.ToString("x8", CultureInfo.InvariantCulture);
}
