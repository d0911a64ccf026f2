using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// The web app used the way people use it, through demo devices the gateway emulates (the browser-identity flows
/// are in <see cref="IdentityTests"/>): contacts by QR code made in the browser, a direct message from sent to
/// read, a photo shrunk in the browser, a proof, the node list.
/// </summary>
public sealed class MessengerTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_contact_is_added_from_a_picture_of_a_qr_code_made_in_the_browser_and_a_direct_message_goes_from_sent_to_read()
    {
        IReadOnlyList<(string Id, string Name)> demos = await web.DemoDevicesAsync();
        (string aId, string aName) = demos[0];
        (string bId, string bName) = demos[1];
        IPage a = await web.NewPageAsync();
        IPage b = await web.NewPageAsync(phone: true);

        // B shows its QR code (drawn in the browser); a picture of it is what A uploads (decoded in A's browser by jsQR).
        await WebAppFixture.OpenDemoAsync(b, bId, "contacts");
        ILocator qr = b.Locator("#my-qr");
        await Expect(qr).ToBeVisibleAsync();
        string picture = Path.Combine(WebAppFixture.Screenshots, "demo-contact-qr.png");
        await qr.ScreenshotAsync(new LocatorScreenshotOptions { Path = picture });

        await WebAppFixture.OpenDemoAsync(a, aId, "contacts");
        await a.Locator("#qr-image").SetInputFilesAsync(picture);
        await Expect(a.GetByRole(AriaRole.Status).First).ToContainTextAsync($"Added {bName}");
        await Expect(a.GetByRole(AriaRole.List, new() { Name = "Contacts" })).ToContainTextAsync(bName);

        // A writes two lines; the line break is kept on screen and the state climbs while B has not looked.
        string text = $"Meet at the well at six?\nBring the rope ({Guid.NewGuid():N})";
        await a.GotoAsync($"/?as={aId}#/chats/{bId}");
        ILocator box = a.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });
        await box.FillAsync(text);
        await box.PressAsync("Enter");
        ILocator bubble = a.Locator("li.bubble.mine", new() { HasText = "Bring the rope" });
        ILocator state = bubble.Locator(".state");
        await Expect(state).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(sent|relayed|delivered|read)$"));
        Assert.Equal(text, await bubble.Locator(".text").InnerTextAsync());
        await Expect(state).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(delivered|read)$"));

        // B opens the conversation: its read receipt reaches A's page live, without a reload.
        await b.GotoAsync($"/?as={bId}#/chats/{aId}");
        await Expect(b.Locator("li.bubble", new() { HasText = "Bring the rope" })).ToBeVisibleAsync();
        await Expect(state).ToHaveAttributeAsync("data-state", "read");
        await Expect(state).ToContainTextAsync("Read");
        await WebAppFixture.ScreenshotAsync(a, "dm-read-desktop");
        await WebAppFixture.ScreenshotAsync(b, "dm-read-phone");
    }

    [Fact]
    public async Task A_channel_post_with_a_photo_is_shrunk_in_the_browser_for_lora_and_appears_in_another_feed()
    {
        IReadOnlyList<(string Id, string Name)> demos = await web.DemoDevicesAsync();
        IPage c = await web.NewPageAsync();
        IPage d = await web.NewPageAsync(phone: true);

        string photo = Path.Combine(WebAppFixture.Screenshots, "upload-photo.png");
        WritePhoto(photo, 1200, 900);
        string text = $"The ford is passable again {Guid.NewGuid():N}"[..36];
        await WebAppFixture.OpenDemoAsync(c, demos[2].Id, "channels");
        await c.GetByRole(AriaRole.Link, new() { Name = "village" }).ClickAsync();
        await c.GetByLabel("Post to #village").FillAsync(text);
        await c.GetByLabel("Photo (optional, shrunk to about 1 KB)").SetInputFilesAsync(photo);
        await c.GetByRole(AriaRole.Button, new() { Name = "Post" }).ClickAsync();
        await Expect(c.Locator("#toast")).ToContainTextAsync("bytes, to cross LoRa");

        // The channel shows the post (oldest first, the newest right above the composer; the demo devices post live, so
        // another post may land after it within the same second).
        await Expect(c.Locator(".channel-posts article.post", new() { HasText = text })).ToBeVisibleAsync();

        await WebAppFixture.OpenDemoAsync(d, demos[3].Id, "feed");
        ILocator post = d.Locator("article.post", new() { HasText = text });
        await Expect(post).ToContainTextAsync("in #village");
        ILocator image = post.Locator("img");
        await Expect(image).ToHaveAttributeAsync("alt", $"Photo: {text}");
        await d.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
        Assert.Equal(160, await image.EvaluateAsync<int>("img => img.naturalWidth"));
        int size = int.Parse((await post.Locator(".row .muted").InnerTextAsync()).Split(' ')[0]);
        Assert.InRange(size, 100, 1024);
        await Expect(post.GetByRole(AriaRole.Button, new() { Name = $"Tip {demos[2].Name}" })).ToBeVisibleAsync();
        await WebAppFixture.ScreenshotAsync(d, "feed-photo-phone");
    }

    [Fact]
    public async Task A_post_is_anchored_and_the_proof_explained_in_plain_words()
    {
        IReadOnlyList<(string Id, string Name)> demos = await web.DemoDevicesAsync();
        IPage page = await web.NewPageAsync();
        string text = $"Lantern repair class on Friday {Guid.NewGuid():N}"[..40];
        await WebAppFixture.OpenDemoAsync(page, demos[1].Id, "feed");
        await page.GetByLabel("Share with everyone").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Post" }).ClickAsync();
        ILocator article = page.Locator("article.post", new() { HasText = text });
        await Expect(article).ToBeVisibleAsync();
        string seq = (await article.GetAttributeAsync("data-seq"))!;

        await page.GotoAsync($"/?as={demos[1].Id}#/anchors");
        ILocator show = page.GetByRole(AriaRole.Button, new() { Name = $"Show proof for message {seq}" });
        ILocator proof = page.Locator("#proof");
        for (int attempt = 0; attempt < 30; attempt++)
        {
            await show.ClickAsync();
            await Expect(proof).Not.ToContainTextAsync("Checking against the chain");
            if ((await proof.InnerTextAsync()).Contains("proof holds"))
            {
                break;
            }

            await Task.Delay(1000); // the batch closes every 6 s and becomes final two blocks later
        }

        await Expect(proof).ToContainTextAsync("proof holds");
        await Expect(proof).ToContainTextAsync("existed, exactly as it is now, no later than block");
        await Expect(proof.Locator(".checks li")).ToHaveCountAsync(10); // ProofVerifier: format, leaf, path length, path, raw hash, calldata, sender, receipt, canonical, final
        await WebAppFixture.ScreenshotAsync(page, "proof-viewer");
    }

    [Fact]
    public async Task The_node_list_shows_radio_figures_only_for_radio_links()
    {
        IPage page = await web.NewPageAsync();
        await page.GotoAsync("/#/nodes");
        ILocator rows = page.Locator("tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() >= 4);
        await Expect(page.Locator("tbody")).ToContainTextAsync("dBm");
        await Expect(page.Locator("tbody")).ToContainTextAsync("s ago");
        foreach (ILocator row in await page.Locator("tbody tr", new() { HasText = "browser (WebSocket)" }).AllAsync())
        {
            Assert.DoesNotContain("dBm", await row.InnerTextAsync());
        }
    }

    [Fact]
    public async Task Meshmsg_status_reports_the_running_gateway_as_tables_and_as_json()
    {
        var text = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Ansi = Spectre.Console.AnsiSupport.No, Interactive = Spectre.Console.InteractionSupport.No, Out = new Spectre.Console.AnsiConsoleOutput(text) });
        console.Profile.Width = 200;
        Assert.Equal(0, await Cli.Commands.StatusCommand.RunAsync(web.BaseUrl, json: false, console));
        Assert.Contains("nodes heard", text.ToString());
        Assert.Contains("demo device", text.ToString());

        var raw = new StringWriter();
        var jsonConsole = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(raw) });
        Assert.Equal(0, await Cli.Commands.StatusCommand.RunAsync(web.BaseUrl, json: true, jsonConsole));
        using var document = System.Text.Json.JsonDocument.Parse(raw.ToString());
        Assert.True(document.RootElement.GetProperty("nodes").GetArrayLength() >= 4);
        Assert.True(document.RootElement.GetProperty("anchoring").GetProperty("enabled").GetBoolean());
        Assert.Equal(1, await Cli.Commands.StatusCommand.RunAsync("http://127.0.0.1:9", json: false, console));
    }

    private static void WritePhoto(string path, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var sky = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, height), [new SKColor(90, 160, 230), new SKColor(240, 220, 170)], SKShaderTileMode.Clamp) };
            canvas.DrawRect(0, 0, width, height, sky);
            using var river = new SKPaint { Color = new SKColor(40, 90, 160), IsAntialias = true };
            canvas.DrawOval(width / 2f, height * 0.8f, width * 0.45f, height * 0.1f, river);
        }

        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 90);
        File.WriteAllBytes(path, png.ToArray());
    }
}
