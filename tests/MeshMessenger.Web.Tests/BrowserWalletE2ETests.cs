using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Gateway.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// The wallet in the web app, end to end: a real gateway process serving a local anvil (Gateway:Chains), two people
/// in their own browsers linked to it. Every balance read and broadcast goes from the page's node as a chain request
/// sealed to the gateway; the chain itself (anvil's JSON-RPC, read here) shows the payments happened.
/// </summary>
public sealed class BrowserWalletE2ETests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private const string Chain = "eip155:31337";
    private static readonly HttpClient Rpc = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _folder = Directory.CreateTempSubdirectory("mm-web-wallet-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Two_browsers_pay_and_tip_each_other_through_a_gateway_and_see_balances_stages_and_confirmed_tips()
    {
        using LocalDevChain anvil = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is missing: run tests/setup.sh"));
        using var gateway = new GatewayProcess("gw-wallet", Path.Combine(_folder, "gw"), mqttPort: 1883, mqttMode: "off",
            "--Gateway:Emulate:Devices=0", $"--Gateway:Chains:0:Chain={Chain}", $"--Gateway:Chains:0:RpcUrl={anvil.Url}", "--Gateway:ChainPollSeconds=0.5").StartDetached();
        string url = $"http://127.0.0.1:{gateway.HttpPort}";
        WebAppPage ada = await chromium.PersonAsync(url);
        WebAppPage ben = await chromium.PersonAsync(url);
        await ada.CreateAsync("Ada");
        await ben.CreateAsync("Ben");
        await ada.AddContactAsync(await ben.CardAsync());
        await ben.AddContactAsync(await ada.CardAsync());

        // Both open the wallet: the gateway's profile (served chains) has arrived over the link; the receive address is the node's own.
        string adaAddress = await OpenWalletAsync(ada.Page);
        string benAddress = await OpenWalletAsync(ben.Page);
        Assert.NotEqual(adaAddress, benAddress);
        await Expect(ada.Page.Locator("#receive-uri")).ToHaveTextAsync($"ethereum:{adaAddress}@31337");
        await Expect(ada.Page.Locator("#receive-qr")).ToBeVisibleAsync();

        // anvil funds Ada (anvil_setBalance); her page reads it through the gateway.
        BigInteger ten = BigInteger.Pow(10, 19);
        await RpcAsync(anvil, "anvil_setBalance", adaAddress, "0x" + ten.ToString("x", CultureInfo.InvariantCulture).TrimStart('0'));
        await WaitForBalanceAsync(ada.Page, ten);

        // Refusals before anything is signed or sent, in the node's words.
        await ada.Page.Locator("#send-to").FillAsync(FlipCase(benAddress));
        await ada.Page.Locator("#send-amount").FillAsync("0.5");
        await ada.Page.Locator("#send-submit").ClickAsync();
        await Expect(ada.Page.Locator("#send-error")).ToContainTextAsync("checksum");
        await ada.Page.Locator("#send-to").FillAsync(benAddress);
        await ada.Page.Locator("#send-amount").FillAsync("1000");
        await ada.Page.Locator("#send-submit").ClickAsync();
        await Expect(ada.Page.Locator("#send-error")).ToContainTextAsync("insufficient funds");
        await Expect(ada.Page.Locator("#pay-confirm[open]")).ToHaveCountAsync(0);

        // A payment shows recipient, amount, fee and chain before it is sent; Cancel sends nothing.
        await ada.Page.Locator("#send-amount").FillAsync("1.5");
        await ada.Page.Locator("#send-submit").ClickAsync();
        await ada.Page.Locator("#pay-confirm[open]").WaitForAsync();
        await Expect(ada.Page.Locator("#confirm-to")).ToHaveTextAsync(benAddress);
        await Expect(ada.Page.Locator("#confirm-amount")).ToHaveTextAsync("1.5 ETH");
        await Expect(ada.Page.Locator("#confirm-fee")).ToContainTextAsync(" ETH");
        await Expect(ada.Page.Locator("#confirm-chain")).ToHaveTextAsync(Chain);
        await ada.Page.Locator("#confirm-cancel").ClickAsync();
        await Expect(ada.Page.Locator("#wallet-history li.payment")).ToHaveCountAsync(0);
        Assert.Equal(BigInteger.Zero, await BalanceOnChainAsync(anvil, benAddress));

        await ada.Page.Locator("#send-submit").ClickAsync();
        await ada.Page.Locator("#pay-confirm[open]").WaitForAsync();
        await ada.Page.Locator("#confirm-ok").ClickAsync();
        ILocator payment = ada.Page.Locator("#wallet-history li.payment[data-kind=send]");
        await Expect(payment).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(payment.First).ToHaveAttributeAsync("data-stage", new System.Text.RegularExpressions.Regex("^(included|final)$"), new() { Timeout = 60_000 });
        await Expect(payment.Locator(".stage").First).ToContainTextAsync("block");
        BigInteger oneAndHalf = BigInteger.Pow(10, 18) * 3 / 2;
        Assert.Equal(oneAndHalf, await BalanceOnChainAsync(anvil, benAddress)); // the chain, read directly, holds the payment
        await WaitForBalanceAsync(ben.Page, oneAndHalf);

        // Ben posts; Ada tips the post (same confirmation screen, to the address Ben's profile lists).
        const string text = "Ben's bread recipe, tip if it worked";
        await ben.Page.EvaluateAsync("h => { location.hash = h; }", "#/feed");
        await ben.Page.Locator("#feed-text").FillAsync(text);
        await ben.Page.Locator("#feed-post").ClickAsync();
        await ada.Page.EvaluateAsync("h => { location.hash = h; }", "#/feed");
        ILocator post = ada.Page.Locator($"article.post[data-author='{ben.Id}']", new() { HasText = text });
        await post.WaitForAsync(new() { Timeout = 60_000 });
        await post.Locator("button", new() { HasText = "Tip" }).ClickAsync();
        await ada.Page.Locator("#tip[open] #tip-amount").FillAsync("0.01");
        await ada.Page.Locator("#tip-submit").ClickAsync();
        await ada.Page.Locator("#pay-confirm[open]").WaitForAsync(new() { Timeout = 60_000 });
        await Expect(ada.Page.Locator("#pay-confirm-title")).ToHaveTextAsync("Confirm the tip");
        await Expect(ada.Page.Locator("#confirm-to")).ToHaveTextAsync(benAddress);
        await Expect(ada.Page.Locator("#confirm-amount")).ToHaveTextAsync("0.01 ETH");
        await ada.Page.Locator("#confirm-ok").ClickAsync();

        // Both see the tip once the chain confirms it (each page checks it on the chain through the gateway).
        await Expect(post.Locator(".tips[data-tips='1']")).ToContainTextAsync("1 tip · 0.01 ETH", new() { Timeout = 90_000 });
        ILocator own = ben.Page.Locator($"article.post[data-author='{ben.Id}']", new() { HasText = text });
        await Expect(own.Locator(".tips[data-tips='1']")).ToContainTextAsync("1 tip · 0.01 ETH", new() { Timeout = 90_000 });
        Assert.Equal(oneAndHalf + BigInteger.Pow(10, 16), await BalanceOnChainAsync(anvil, benAddress));

        await ada.Page.EvaluateAsync("h => { location.hash = h; }", "#/wallet");
        await Expect(ada.Page.Locator("#wallet-history li.payment[data-kind=tip]")).ToHaveAttributeAsync("data-stage", new System.Text.RegularExpressions.Regex("^(included|final)$"), new() { Timeout = 60_000 });
        await WebAppFixture.ScreenshotAsync(ada.Page, "wallet-after-payments");
    }

    [Fact]
    public async Task Your_payments_survive_a_reload_and_a_status_that_arrives_after_it_moves_the_payment_on()
    {
        using LocalDevChain anvil = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is missing: run tests/setup.sh"));
        using var gateway = new GatewayProcess("gw-wallet-reload", Path.Combine(_folder, "gw"), mqttPort: 1883, mqttMode: "off",
            "--Gateway:Emulate:Devices=0", $"--Gateway:Chains:0:Chain={Chain}", $"--Gateway:Chains:0:RpcUrl={anvil.Url}", "--Gateway:ChainPollSeconds=0.5").StartDetached();
        WebAppPage ada = await chromium.PersonAsync($"http://127.0.0.1:{gateway.HttpPort}");
        await ada.CreateAsync("Ada");
        string adaAddress = await OpenWalletAsync(ada.Page);
        BigInteger ten = BigInteger.Pow(10, 19);
        await RpcAsync(anvil, "anvil_setBalance", adaAddress, "0x" + ten.ToString("x", CultureInfo.InvariantCulture).TrimStart('0'));
        await WaitForBalanceAsync(ada.Page, ten);

        // No blocks until the test mines one: the payment stays in the mempool (Accepted) across the reload.
        await RpcAsync(anvil, "evm_setAutomine", false);
        const string to = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"; // anvil's first account (EIP-55)
        BigInteger before = await BalanceOnChainAsync(anvil, to);
        await ada.Page.Locator("#send-to").FillAsync(to);
        await ada.Page.Locator("#send-amount").FillAsync("0.25");
        await ada.Page.Locator("#send-submit").ClickAsync();
        await ada.Page.Locator("#pay-confirm[open]").WaitForAsync();
        await ada.Page.Locator("#confirm-ok").ClickAsync();
        ILocator sent = ada.Page.Locator("#wallet-history li.payment");
        await Expect(sent).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(sent).ToHaveAttributeAsync("data-stage", "accepted");
        string txid = (await sent.GetAttributeAsync("data-txid"))!;
        Assert.Matches("^0x[0-9a-f]{64}$", txid);

        // After a reload only the node's chain knows the payment: the same transaction, recipient, amount and stage.
        await ada.ReloadAsync();
        await ada.WaitLinkedAsync();
        await ada.Page.EvaluateAsync("h => { location.hash = h; }", "#/wallet");
        ILocator payment = ada.Page.Locator($"#wallet-history li.payment[data-txid='{txid}']");
        await Expect(ada.Page.Locator("#wallet-history li.payment")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(payment).ToHaveAttributeAsync("data-kind", "send");
        await Expect(payment).ToHaveAttributeAsync("data-stage", "accepted");
        await Expect(payment.Locator(".name")).ToHaveTextAsync("Sent 0.25 ETH");
        await Expect(payment.Locator(".last")).ToContainTextAsync($"to {to} · fee up to ");
        await Expect(payment.Locator(".stage")).ToHaveTextAsync("Accepted: in the mempool");

        // The block comes after the reload: the gateway's Included status (naming the request sent before it) moves the payment on.
        await RpcAsync(anvil, "evm_mine");
        await Expect(payment).ToHaveAttributeAsync("data-stage", new System.Text.RegularExpressions.Regex("^(included|final)$"), new() { Timeout = 60_000 });
        await Expect(payment.Locator(".stage")).ToContainTextAsync("block");
        Assert.Equal(BigInteger.Pow(10, 18) / 4, await BalanceOnChainAsync(anvil, to) - before);

        // And that status was kept too: another reload shows the later stage at once.
        await ada.ReloadAsync();
        await ada.WaitLinkedAsync();
        await ada.Page.EvaluateAsync("h => { location.hash = h; }", "#/wallet");
        await Expect(payment).ToHaveAttributeAsync("data-stage", new System.Text.RegularExpressions.Regex("^(included|final)$"));
        await Expect(ada.Page.Locator("#wallet-history li.payment")).ToHaveCountAsync(1);
    }

    /// <summary>Opens the wallet, waits for the served chain's balance row, and returns the EVM receive address shown.</summary>
    private static async Task<string> OpenWalletAsync(IPage page)
    {
        await page.EvaluateAsync("h => { location.hash = h; }", "#/wallet");
        await page.Locator($"#wallet-balances li[data-chain='{Chain}'][data-token='']").WaitForAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("#receive-address")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0x[0-9a-fA-F]{40}$"));
        return (await page.Locator("#receive-address").TextContentAsync())!.Trim();
    }

    /// <summary>Clicks Refresh until the ETH balance read through the gateway equals <paramref name="wei"/>.</summary>
    private static async Task WaitForBalanceAsync(IPage page, BigInteger wei)
    {
        ILocator amount = page.Locator($"#wallet-balances li[data-chain='{Chain}'][data-token=''] .amount");
        string expected = wei.ToString(CultureInfo.InvariantCulture);
        DateTime until = DateTime.UtcNow.AddSeconds(90);
        while (await amount.GetAttributeAsync("data-units") != expected)
        {
            Assert.True(DateTime.UtcNow < until, $"the balance did not reach {expected} wei (shows {await amount.GetAttributeAsync("data-units")})");
            if (await page.Locator("#wallet-refresh").IsEnabledAsync())
            {
                await page.Locator("#wallet-refresh").ClickAsync();
            }

            await page.WaitForTimeoutAsync(1000);
        }
    }

    private static string FlipCase(string address)
    {
        char[] chars = address.ToCharArray();
        int i = Array.FindIndex(chars, 2, char.IsLetter);
        chars[i] = char.IsUpper(chars[i]) ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
        return new string(chars);
    }

    private static async Task<BigInteger> BalanceOnChainAsync(LocalDevChain anvil, string address)
    {
        string hex = (await RpcAsync(anvil, "eth_getBalance", address, "latest")).GetString()!;
        return BigInteger.Parse("0" + hex[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static async Task<JsonElement> RpcAsync(LocalDevChain anvil, string method, params object[] parameters)
    {
        using HttpResponseMessage response = await Rpc.PostAsJsonAsync(anvil.Url, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(answer.RootElement.TryGetProperty("error", out JsonElement error), $"{method}: {error}");
        return answer.RootElement.GetProperty("result").Clone();
    }
}
