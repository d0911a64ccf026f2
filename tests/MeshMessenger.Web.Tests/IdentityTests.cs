using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>An identity made in the browser: it talks to the mesh, its backup code is shown once, and its secret is never in readable storage.</summary>
public sealed class IdentityTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_new_identity_sends_a_direct_message_to_a_demo_device_and_the_reply_arrives()
    {
        (string demo, string demoName) = (await web.DemoDevicesAsync())[0];
        IPage page = await web.NewPageAsync();
        (string me, _) = await WebAppFixture.CreateIdentityAsync(page, "Ida Browser");
        await Expect(page.Locator("body[data-link=up]")).ToBeAttachedAsync(new() { Timeout = 30_000 });

        // Each side adds the other's card: the browser by pasting it, the demo device through the gateway's API.
        string demoCard = await page.EvaluateAsync<string>("async id => (await (await fetch(`/api/devices/${id}/card`)).json()).text", demo);
        await page.GotoAsync("/#/contacts");
        string myCard = (await page.Locator("#my-card").TextContentAsync())!.Trim();
        Assert.StartsWith("MM1:", myCard);
        await page.Locator("#card-text").FillAsync(demoCard);
        await page.Locator("#card-text").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Contacts" })).ToContainTextAsync(demoName);
        using var http = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };
        (await http.PostAsJsonAsync($"/api/devices/{demo}/contacts", new { card = myCard })).EnsureSuccessStatusCode();

        await page.GotoAsync($"/#/chats/{demo}");
        await page.Locator("#message").FillAsync("Hello from a browser that holds its own keys");
        await page.Locator("#message").PressAsync("Enter");
        ILocator state = page.Locator("li.bubble.mine", new() { HasText = "holds its own keys" }).Locator(".state");
        await Expect(state).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(sent|relayed|delivered|read)$"), new() { Timeout = 30_000 });

        // The demo device got it and answers; the answer reaches the browser over its WebSocket link.
        await Eventually(async () => (await http.GetStringAsync($"/api/devices/{demo}/chats/{me}")).Contains("holds its own keys"));
        (await http.PostAsJsonAsync($"/api/devices/{demo}/chats/{me}", new { text = "Got it, welcome to the mesh" })).EnsureSuccessStatusCode();
        await Expect(page.Locator("li.bubble:not(.mine)", new() { HasText = "welcome to the mesh" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(state).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(delivered|read)$"), new() { Timeout = 30_000 });
        await WebAppFixture.ScreenshotAsync(page, "browser-identity-reply");
    }

    [Fact]
    public async Task The_backup_code_is_shown_once_then_only_after_a_confirmation_and_the_secret_is_never_in_readable_storage()
    {
        IPage page = await web.NewPageAsync();
        (string me, string code) = await WebAppFixture.CreateIdentityAsync(page, "Bea Backup", passphrase: "correct horse battery");
        Assert.False(string.IsNullOrWhiteSpace(code));
        await Expect(page.Locator("#backup-code")).ToHaveTextAsync(""); // not left in the page (cleared by the dialog's close event, which runs a moment after Done)
        Assert.Equal(24, code.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length); // a BIP-39 phrase: the same words open the wallet

        // What a script that can only read storage sees: no backup code in any IndexedDB record, and a key it cannot export.
        string dump = await page.EvaluateAsync<string>("""
            async () => {
              const db = await new Promise((ok, no) => { const r = indexedDB.open('meshmessenger'); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
              const all = async name => new Promise(ok => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
              const text = v => JSON.stringify(v, (k, x) => x instanceof Uint8Array ? new TextDecoder().decode(x) : x instanceof CryptoKey ? { extractable: x.extractable } : x);
              return text([await all('kv'), await all('entries'), await all('outbox'), localStorage, sessionStorage]);
            }
            """);
        Assert.DoesNotContain(code, dump);
        Assert.Contains("\"extractable\":false", dump);

        // A reload asks for the passphrase; a wrong one is refused in plain words; no backup code is shown on its own.
        await page.ReloadAsync();
        await page.Locator("#unlock-dialog[open]").WaitForAsync();
        await page.Locator("#unlock-passphrase").FillAsync("wrong horse");
        await page.Locator("#unlock-submit").ClickAsync();
        await Expect(page.Locator("#unlock-error")).ToContainTextAsync("not right");
        await page.Locator("#unlock-passphrase").FillAsync("correct horse battery");
        await page.Locator("#unlock-submit").ClickAsync();
        await page.Locator($"body[data-mode=self][data-me='{me}']").WaitForAsync();
        await Expect(page.Locator("#backup-dialog")).Not.ToHaveAttributeAsync("open", "");

        // Later: only after a confirmation, and with the passphrase.
        await page.Locator("#identity-open").ClickAsync();
        await Expect(page.Locator("#identity-code")).ToHaveCountAsync(0);
        await page.Locator("#identity-show-code").ClickAsync();
        await Expect(page.Locator("#identity-confirm")).ToContainTextAsync("Anyone who sees your backup code can be you");
        await Expect(page.Locator("#identity-code")).ToHaveCountAsync(0);
        await page.Locator("#identity-reveal").ClickAsync();
        await Expect(page.Locator("#identity-confirm")).ToContainTextAsync("Your passphrase is needed");
        await page.Locator("#identity-passphrase").FillAsync("correct horse battery");
        await page.Locator("#identity-reveal").ClickAsync();
        await Expect(page.Locator("#identity-code")).ToHaveTextAsync(code);
    }

    [Fact]
    public async Task Switching_to_a_demo_device_and_back_never_shows_the_other_conversation()
    {
        (string demo, _) = (await web.DemoDevicesAsync())[1];
        IPage page = await web.NewPageAsync();
        (string me, _) = await WebAppFixture.CreateIdentityAsync(page, "Sam Switch");
        await page.Locator("#who").SelectOptionAsync(demo);
        await page.Locator($"body[data-mode=demo][data-me='{demo}']").WaitForAsync();
        await Expect(page.Locator("#demo-banner")).ToContainTextAsync("anyone can read its messages");
        Assert.DoesNotContain("Sam Switch", await page.Locator("#who").InnerTextAsync()); // the picker names no person
        await page.Locator("#who").SelectOptionAsync("me");
        await page.Locator($"body[data-mode=self][data-me='{me}']").WaitForAsync();
        await Expect(page.Locator("#demo-banner")).ToBeHiddenAsync();
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 60; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail("the condition did not come true within 30 s");
    }
}
