using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MeshMessenger.Web.Tests;

/// <summary>axe-core (Deque.AxeCore.Playwright) over every section of the app, on a phone and on a desktop: no serious or critical violations.</summary>
public sealed class AccessibilityTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    public static TheoryData<string, bool> Sections()
    {
        var data = new TheoryData<string, bool>();
        foreach (string section in new[] { "chats", "channels", "feed", "wallet", "contacts", "nodes", "anchors", "provision" })
        {
            data.Add(section, false);
            data.Add(section, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task Each_section_has_no_serious_or_critical_axe_violations_as_a_demo_device(string section, bool phone)
    {
        IPage page = await web.NewPageAsync(phone);
        await WebAppFixture.OpenDemoAsync(page, (await web.DemoDevicesAsync())[0].Id, section);
        if (section is "chats" or "channels")
        {
            await page.Locator("main .list a").First.ClickAsync(); // an open conversation or channel, with its composer
            await page.Locator("main .pane form").First.WaitForAsync();
        }

        await AssertAxeCleanAsync(page, section);
        if (phone)
        {
            await PhoneLayout.AssertFitsAsync(page, section);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_first_visit_screen_has_no_serious_or_critical_axe_violations(bool phone)
    {
        IPage page = await web.NewPageAsync(phone);
        await page.GotoAsync("/");
        await page.Locator("body[data-ready=true][data-mode=welcome]").WaitForAsync();
        await AssertAxeCleanAsync(page, "welcome");
    }

    [Fact]
    public async Task Each_section_has_no_serious_or_critical_axe_violations_as_a_browser_identity()
    {
        IPage page = await web.NewPageAsync(phone: true);
        await WebAppFixture.CreateIdentityAsync(page, "Axe Person");
        foreach (string section in new[] { "chats", "channels", "feed", "wallet", "contacts", "nodes", "anchors", "provision" })
        {
            await page.GotoAsync($"/#/{section}");
            await page.Locator("body[data-ready=true][data-mode=self]").WaitForAsync();
            await page.Locator("main h1").WaitForAsync();
            await AssertAxeCleanAsync(page, section);
        }

        await page.Locator("#identity-open").ClickAsync();
        await page.Locator("#identity-show-code").ClickAsync();
        await AssertAxeCleanAsync(page, "identity dialog");
    }

    private static async Task AssertAxeCleanAsync(IPage page, string where)
    {
        AxeResult result = await page.RunAxe();
        string[] bad = [.. result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}")];
        Assert.True(bad.Length == 0, where + ": " + string.Join("\n", bad));
        Assert.NotEmpty(result.Passes); // axe really ran its rules
    }

    [Fact]
    public async Task The_app_can_be_used_from_the_keyboard_alone()
    {
        IPage page = await web.NewPageAsync();
        await WebAppFixture.OpenDemoAsync(page, (await web.DemoDevicesAsync())[0].Id);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        for (int i = 0; i < 30 && await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('data-tab') ?? ''") != "feed"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.PressAsync("Enter");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Feed");
        Assert.Equal("view", await page.EvaluateAsync<string>("() => document.activeElement.id")); // focus moved to the new content
    }
}
