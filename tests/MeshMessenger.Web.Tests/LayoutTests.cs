using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>At 390 px wide every section, an open conversation and channel, and every dialog fit the screen, as a demo device and as a browser identity.</summary>
public sealed class LayoutTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Every_section_and_dialog_fits_a_phone_for_a_demo_device()
    {
        IReadOnlyList<(string Id, string Name)> demos = await web.DemoDevicesAsync();
        IPage page = await web.NewPageAsync(phone: true);

        await page.GotoAsync("/");
        await page.Locator("body[data-ready=true][data-mode=welcome]").WaitForAsync();
        await PhoneLayout.AssertFitsAsync(page, "welcome");

        await page.Locator("#identity-open").ClickAsync();
        await page.Locator("#identity-dialog[open]").WaitForAsync();
        await PhoneLayout.AssertFitsAsync(page, "identity dialog (no identity)");
        await page.Locator("#identity-close").ClickAsync();

        foreach (string section in new[] { "chats", "channels", "feed", "wallet", "contacts", "nodes", "anchors", "provision" })
        {
            await WebAppFixture.OpenDemoAsync(page, demos[0].Id, section);
            await Expect(page.Locator("#demo-banner")).ToBeVisibleAsync();
            await page.WaitForTimeoutAsync(300); // the first refresh has drawn its lists
            await PhoneLayout.AssertFitsAsync(page, section);
        }

        await page.GotoAsync($"/?as={demos[0].Id}#/chats/{demos[1].Id}");
        await page.Locator("#message").WaitForAsync();
        await page.Locator("#message").FillAsync(new string('w', 300)); // one long unbroken word
        await PhoneLayout.AssertFitsAsync(page, "conversation");

        await page.GotoAsync($"/?as={demos[0].Id}#/channels");
        await page.GetByRole(AriaRole.Link, new() { Name = "village" }).ClickAsync();
        await page.Locator("details summary", new() { HasText = "Invite someone" }).ClickAsync();
        await Expect(page.Locator("#invite-qr")).ToBeVisibleAsync();
        await PhoneLayout.AssertFitsAsync(page, "channel with its invite open");

        await WebAppFixture.OpenDemoAsync(page, demos[0].Id, "contacts");
        await page.Locator("details summary", new() { HasText = "Card as text" }).ClickAsync();
        await PhoneLayout.AssertFitsAsync(page, "contact card as text");

        await WebAppFixture.OpenDemoAsync(page, demos[0].Id, "feed");
        await page.Locator("article.post button", new() { HasText = "Tip" }).First.ClickAsync();
        await page.Locator("#tip[open]").WaitForAsync();
        await PhoneLayout.AssertFitsAsync(page, "tip dialog");
        await WebAppFixture.ScreenshotAsync(page, "phone-tip-dialog");
    }

    [Fact]
    public async Task Every_section_and_dialog_fits_a_phone_for_a_browser_identity()
    {
        IReadOnlyList<(string Id, string Name)> demos = await web.DemoDevicesAsync();
        IPage page = await web.NewPageAsync(phone: true);
        (string me, _) = await WebAppFixture.CreateIdentityAsync(page, "Phone Width Person");

        foreach (string section in new[] { "chats", "channels", "feed", "wallet", "contacts", "nodes", "anchors", "provision" })
        {
            await page.GotoAsync($"/#/{section}");
            await page.Locator("body[data-ready=true][data-mode=self]").WaitForAsync();
            await page.Locator("main h1").WaitForAsync();
            await Expect(page.Locator("#demo-banner")).ToBeHiddenAsync();
            await PhoneLayout.AssertFitsAsync(page, section);
        }

        // A conversation with a demo device (added from its card), with a long word in the composer.
        string card = await page.EvaluateAsync<string>("async id => (await (await fetch(`/api/devices/${id}/card`)).json()).text", demos[0].Id);
        await page.GotoAsync("/#/contacts");
        await page.Locator("#card-text").FillAsync(card);
        await page.Locator("#card-text").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Contacts" })).ToContainTextAsync(demos[0].Name);
        await page.GotoAsync($"/#/chats/{demos[0].Id}");
        await page.Locator("#message").FillAsync(new string('w', 300));
        await PhoneLayout.AssertFitsAsync(page, "conversation");

        await page.GotoAsync("/#/provision");
        await page.Locator("#device-name").FillAsync("Heltec by the well");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make bundle" }).ClickAsync();
        await Expect(page.Locator("#device-card-qr")).ToBeVisibleAsync(new() { Timeout = 60_000 }); // the first bundle boots the browser's node (.NET WebAssembly), slow on a loaded machine
        await page.Locator("details summary", new() { HasText = "Recovery phrase" }).ClickAsync();
        await PhoneLayout.AssertFitsAsync(page, "provisioning bundle");

        await page.Locator("#identity-open").ClickAsync();
        await page.Locator("#identity-show-code").ClickAsync();
        await page.Locator("#identity-reveal").ClickAsync();
        await Expect(page.Locator("#identity-code")).ToBeVisibleAsync();
        await PhoneLayout.AssertFitsAsync(page, "identity dialog with the code shown");
        Assert.NotEmpty(me);
    }
}
