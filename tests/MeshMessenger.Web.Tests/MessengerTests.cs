using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>Two people in two browser contexts use the web app the way people do: contacts by QR code, a direct message from sent to read, a photo post.</summary>
public sealed class MessengerTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Two_people_add_each_other_from_a_qr_image_and_a_direct_message_goes_from_sent_to_read()
    {
        IPage ada = await web.NewPageAsync();
        IPage ben = await web.NewPageAsync(phone: true);
        string adaId = await WebAppFixture.JoinAsync(ada, "Ada Web");
        string benId = await WebAppFixture.JoinAsync(ben, "Ben Web");

        // Ben shows his QR code; a picture of it is what Ada uploads (decoded in her browser by jsQR).
        await ben.GotoAsync($"/?as={benId}#/contacts");
        ILocator qr = ben.Locator("#my-qr");
        await Expect(qr).ToBeVisibleAsync();
        await ben.WaitForFunctionAsync("() => document.querySelector('#my-qr').naturalWidth > 0");
        string picture = Path.Combine(WebAppFixture.Screenshots, "ben-contact-qr.png");
        await qr.ScreenshotAsync(new LocatorScreenshotOptions { Path = picture });

        await ada.GotoAsync($"/?as={adaId}#/contacts");
        await ada.Locator("#qr-image").SetInputFilesAsync(picture);
        await Expect(ada.GetByRole(AriaRole.Status).First).ToContainTextAsync("Added Ben Web");
        await Expect(ada.GetByRole(AriaRole.List, new() { Name = "Contacts" })).ToContainTextAsync("Ben Web");
        await WebAppFixture.ScreenshotAsync(ada, "contacts-after-qr");

        // Ada writes; the state climbs while Ben has not looked.
        await ada.GotoAsync($"/?as={adaId}#/chats/{benId}");
        await ada.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true }).FillAsync("Meet at the well at six?");
        await ada.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true }).PressAsync("Enter");
        ILocator state = ada.Locator("li.bubble.mine", new() { HasText = "Meet at the well at six?" }).Locator(".state");
        string first = (await state.GetAttributeAsync("data-state"))!;
        Assert.Contains(first, new[] { "sent", "relayed", "delivered" });
        await Expect(state).ToHaveAttributeAsync("data-state", "delivered");
        await WebAppFixture.ScreenshotAsync(ada, "dm-delivered");

        // Ben opens the conversation: his read receipt reaches Ada's page live, without a reload.
        await ben.GotoAsync($"/?as={benId}#/chats/{adaId}");
        await Expect(ben.Locator("li.bubble", new() { HasText = "Meet at the well at six?" })).ToBeVisibleAsync();
        await Expect(state).ToHaveAttributeAsync("data-state", "read");
        await Expect(state).ToContainTextAsync("Read");
        await WebAppFixture.ScreenshotAsync(ada, "dm-read-desktop");
        await WebAppFixture.ScreenshotAsync(ben, "dm-read-phone");
    }

    [Fact]
    public async Task A_channel_post_with_a_photo_is_shrunk_for_lora_and_appears_in_another_persons_feed()
    {
        IPage cleo = await web.NewPageAsync();
        IPage dev = await web.NewPageAsync(phone: true);
        string cleoId = await WebAppFixture.JoinAsync(cleo, "Cleo Web");
        string devId = await WebAppFixture.JoinAsync(dev, "Dev Web");

        string photo = Path.Combine(WebAppFixture.Screenshots, "upload-photo.png");
        WritePhoto(photo, 1200, 900);
        await cleo.GotoAsync($"/?as={cleoId}#/channels");
        await cleo.GetByRole(AriaRole.Link, new() { Name = "village" }).ClickAsync();
        await cleo.GetByLabel("Post to #village").FillAsync("The ford is passable again");
        await cleo.GetByLabel("Photo (optional, shrunk to about 1 KB)").SetInputFilesAsync(photo);
        await cleo.GetByRole(AriaRole.Button, new() { Name = "Post" }).ClickAsync();
        await Expect(cleo.GetByRole(AriaRole.Status).Last).ToContainTextAsync("bytes, to cross LoRa");

        await dev.GotoAsync($"/?as={devId}#/feed");
        ILocator post = dev.Locator("article.post", new() { HasText = "The ford is passable again" });
        await Expect(post).ToContainTextAsync("in #village");
        ILocator image = post.Locator("img");
        await Expect(image).ToHaveAttributeAsync("alt", "Photo: The ford is passable again");
        await dev.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
        Assert.Equal(160, await image.EvaluateAsync<int>("img => img.naturalWidth"));
        int size = int.Parse((await post.Locator(".row .muted").InnerTextAsync()).Split(' ')[0]);
        Assert.InRange(size, 100, 1024);
        await Expect(post.GetByRole(AriaRole.Button, new() { Name = "Tip Cleo Web" })).ToBeVisibleAsync();
        await WebAppFixture.ScreenshotAsync(dev, "feed-photo-phone");
    }

    [Fact]
    public async Task A_person_sees_their_message_anchored_and_the_proof_explained_in_plain_words()
    {
        IPage eve = await web.NewPageAsync();
        string eveId = await WebAppFixture.JoinAsync(eve, "Eve Web");
        await eve.GotoAsync($"/?as={eveId}#/feed");
        await eve.GetByLabel("Share with everyone").FillAsync("Lantern repair class on Friday (Eve)");
        await eve.GetByRole(AriaRole.Button, new() { Name = "Post" }).ClickAsync();
        await Expect(eve.Locator("article.post", new() { HasText = "Lantern repair class on Friday (Eve)" })).ToBeVisibleAsync();

        await eve.GotoAsync($"/?as={eveId}#/anchors");
        ILocator show = eve.GetByRole(AriaRole.Button, new() { Name = "Show proof for message 1" });
        ILocator proof = eve.Locator("#proof");
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
        await Expect(proof.Locator(".checks li")).ToHaveCountAsync(6);
        await WebAppFixture.ScreenshotAsync(eve, "proof-viewer");
    }

    [Fact]
    public async Task The_node_list_shows_link_quality_and_provisioning_makes_a_bundle_with_its_qr_code()
    {
        IPage page = await web.NewPageAsync();
        await page.GotoAsync("/#/nodes");
        ILocator rows = page.Locator("tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() >= 4);
        await Expect(page.Locator("tbody")).ToContainTextAsync("dBm");
        await Expect(page.Locator("tbody")).ToContainTextAsync("s ago");

        await page.GotoAsync("/#/provision");
        await page.GetByLabel("Device name").FillAsync("Heltec by the well");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make bundle" }).ClickAsync();
        ILocator bundle = page.GetByRole(AriaRole.Img, new() { Name = "QR code of the device bundle for Heltec by the well" });
        await Expect(bundle).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("secret key");
        await WebAppFixture.ScreenshotAsync(page, "provisioning");
    }

    [Fact]
    public async Task Meshmsg_status_reports_the_running_gateway_as_tables_and_as_json()
    {
        var text = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Ansi = Spectre.Console.AnsiSupport.No, Interactive = Spectre.Console.InteractionSupport.No, Out = new Spectre.Console.AnsiConsoleOutput(text) });
        console.Profile.Width = 200;
        Assert.Equal(0, await Cli.Commands.StatusCommand.RunAsync(web.BaseUrl, json: false, console));
        Assert.Contains("nodes heard", text.ToString());
        Assert.Contains("emulated device", text.ToString());

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
