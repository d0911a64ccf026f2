using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Gateway.Tests;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Utxo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// Fresh receive addresses in the web app on a UTXO chain (BIP-44 gap limit), end to end: a real gateway process
/// serving a local litecoind (Gateway:Chains), the page's gap scan and balance reads going over the mesh to it
/// (one read per address: 40 for the first scan, within the gateway's default ChainRequestsPerMinute).
/// </summary>
public sealed class BrowserFreshAddressTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private static readonly string Chain = ChainTag.Utxo((uint)UtxoNetwork.LitecoinRegtest).ToText();
    private readonly string _folder = Directory.CreateTempSubdirectory("mm-web-fresh-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Two_New_address_clicks_give_two_addresses_and_a_payment_to_the_second_counts_in_the_balance()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        using var gateway = new GatewayProcess("gw-fresh", Path.Combine(_folder, "gw"), mqttPort: 1883, mqttMode: "off",
            "--Gateway:Emulate:Devices=0", $"--Gateway:Chains:0:Chain={Chain}", $"--Gateway:Chains:0:RpcUrl={node.Url}",
            $"--Gateway:Chains:0:RpcUser={LocalLitecoinNode.RpcUser}", $"--Gateway:Chains:0:RpcPassword={node.RpcPassword}",
            "--Gateway:ChainPollSeconds=0.5").StartDetached();
        WebAppPage ada = await chromium.PersonAsync($"http://127.0.0.1:{gateway.HttpPort}");
        await ada.CreateAsync("Ada");
        IPage page = ada.Page;
        await page.EvaluateAsync("h => { location.hash = h; }", "#/wallet");
        ILocator amount = page.Locator($"#wallet-balances li[data-chain='{Chain}'][data-token=''] .amount");
        await Expect(amount).ToHaveAttributeAsync("data-units", "0", new() { Timeout = 180_000 }); // the first balance runs the gap scan over the mesh
        ILocator address = page.Locator("#receive-address");
        await Expect(address).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^rltc1"));

        string first = await NewAddressAsync(page, null);
        await page.Locator("#receive-amount").FillAsync("0.5"); // typing an amount does not advance the address
        await Expect(page.Locator("#receive-uri")).ToHaveTextAsync($"litecoin:{first}?amount=0.5");
        string second = await NewAddressAsync(page, first);
        Assert.StartsWith("rltc1", second, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        await Expect(page.Locator("#receive-uri")).ToHaveTextAsync($"litecoin:{second}?amount=0.5");

        // A payment to the second address (a block reward, 50 LTC on regtest) counts in the balance.
        await node.MineAsync(1, second);
        DateTime until = DateTime.UtcNow.AddSeconds(120);
        while (await amount.GetAttributeAsync("data-units") != "5000000000")
        {
            Assert.True(DateTime.UtcNow < until, $"the balance did not count the payment (shows {await amount.GetAttributeAsync("data-units")})");
            if (await page.Locator("#wallet-refresh").IsEnabledAsync())
            {
                await page.Locator("#wallet-refresh").ClickAsync();
            }

            await page.WaitForTimeoutAsync(1000);
        }

        // The next address comes after the paid one.
        string third = await NewAddressAsync(page, second);
        Assert.NotEqual(first, third);
    }

    private static async Task<string> NewAddressAsync(IPage page, string? before)
    {
        await page.Locator("#receive-new").ClickAsync();
        ILocator address = page.Locator("#receive-address");
        await Expect(page.Locator("#receive-new")).ToBeEnabledAsync(new() { Timeout = 180_000 });
        await Expect(page.Locator("#receive-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^New address"));
        if (before is not null)
        {
            await Expect(address).Not.ToHaveTextAsync(before);
        }

        return (await address.TextContentAsync())!.Trim();
    }
}
