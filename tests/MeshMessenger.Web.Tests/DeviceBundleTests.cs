using MeshMessenger.Cli.Commands;
using MeshMessenger.Device.Provisioning;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// The New device page makes, in the real browser, the provisioning request frame a board stores: the bytes it hands
/// over are read back here by the firmware's own decoder (what `meshmsg provision` checks before it sends them).
/// </summary>
public sealed class DeviceBundleTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_page_makes_a_bundle_a_board_accepts_and_one_that_restores_the_same_identity_on_a_wiped_board()
    {
        IReadOnlyList<(string Id, string Name)> demos = await web.DemoDevicesAsync();
        IPage page = await web.NewPageAsync();
        await WebAppFixture.OpenDemoAsync(page, demos[0].Id, "provision");

        // A fresh identity, with Wi-Fi and the gateway's address.
        await page.Locator("#device-name").FillAsync("well");
        await page.Locator("#device-gateway-address").FillAsync("192.168.1.10:4403");
        await page.Locator("details summary", new() { HasText = "Wi-Fi" }).ClickAsync();
        await page.Locator("#device-wifi-ssid").FillAsync("village");
        await page.Locator("#device-wifi-password").FillAsync("secret-pass");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make bundle" }).ClickAsync();
        await Expect(page.Locator("#device-card-qr")).ToBeVisibleAsync(new() { Timeout = 60_000 }); // the first bundle boots the browser's node (.NET WebAssembly), slow on a loaded machine
        string node = (await page.Locator("#device-bundle-node").TextContentAsync())!;
        ProvisioningBundle fresh = await DownloadedBundle(page);
        Assert.Equal(node, fresh.RestoreIdentity()!.Id.ToString("x8"));
        Assert.Equal(("well", "192.168.1.10:4403", "village", "secret-pass", false), (fresh.Name, fresh.GatewayAddress, fresh.WifiSsid, fresh.WifiPassword, fresh.RestoreChain));
        Assert.Single(fresh.Channels);
        await page.Locator("details summary", new() { HasText = "Recovery phrase" }).ClickAsync();
        string phrase = (await page.Locator("#device-bundle-phrase").TextContentAsync())!;
        Assert.Equal(fresh.Identity, phrase);

        // The same board wiped: its phrase and the restore box give the same node with the restore flag.
        await page.Locator("#device-restore").CheckAsync();
        await page.Locator("#device-restore-phrase").FillAsync(phrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Make bundle" }).ClickAsync();
        await Expect(page.Locator("#device-bundle-start")).ToContainTextAsync("restores this identity");
        ProvisioningBundle restore = await DownloadedBundle(page);
        Assert.True(restore.RestoreChain);
        Assert.Equal(node, restore.RestoreIdentity()!.Id.ToString("x8"));
        Assert.Equal(0, await page.Locator("#device-bundle-phrase").CountAsync()); // nothing new to write down

        // A phrase with a word changed restores nothing: the page says so and offers no file.
        string[] words = phrase.Split(' ');
        words[5] = words[5] == "abandon" ? "ability" : "abandon";
        await page.Locator("#device-restore-phrase").FillAsync(string.Join(' ', words));
        await page.GetByRole(AriaRole.Button, new() { Name = "Make bundle" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Device bundle" })).ToContainTextAsync("recovery phrase does not restore");
        Assert.Equal(0, await page.Locator("#device-bundle-download").CountAsync());
    }

    // The file the page's download link saves, read by the firmware's decoder.
    private static async Task<ProvisioningBundle> DownloadedBundle(IPage page)
    {
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#device-bundle-download").ClickAsync());
        Assert.EndsWith(".mmb", download.SuggestedFilename, StringComparison.Ordinal);
        string path = (await download.PathAsync())!;
        byte[] frame = await File.ReadAllBytesAsync(path);
        ProvisioningBundle? bundle = ProvisionCommand.ReadBundle(frame, out string? problem);
        Assert.True(bundle is not null, problem);
        return bundle;
    }
}
