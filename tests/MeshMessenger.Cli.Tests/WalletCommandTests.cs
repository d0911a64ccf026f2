using System.Numerics;
using System.Text.Json.Nodes;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Cli.Commands;
using MeshMessenger.Cli.Host;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Tips;
using MeshMessenger.Wallet.Utxo;

namespace MeshMessenger.Cli.Tests;

/// <summary><c>meshmsg wallet</c> and <c>meshmsg verify tip</c> against a real anvil and a real Litecoin Core regtest node.</summary>
public sealed class WalletCommandTests : IDisposable
{
    private static readonly ChainTag Anvil = ChainTag.Evm(31337);
    private readonly string _dir = Directory.CreateTempSubdirectory("meshmsg-wallet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string Path, HdAccounts Accounts, NodeIdentity Identity) Identity(string name)
    {
        string path = Path.Combine(_dir, name + ".json");
        Assert.Equal(0, KeygenCommand.Run(name, path, false, null, false, new RecordingConsole().Console));
        (_, NodeIdentity identity) = IdentityFile.Load(path);
        Assert.Equal(RecoveryPhraseError.None, WalletSeed.TryFromPhrase(RecoveryPhrase.FromIdentity(identity), string.Empty, out WalletSeed? seed));
        return (path, seed!.ToAccounts(), identity);
    }

    private static async Task Fund(LocalDevChain chain, HttpClient http, EthereumAccount account, BigInteger wei) =>
        await new EthereumRpcClient(http, chain.Url).CallAsync("anvil_setBalance", new JsonArray(account.Address.ToString(), "0x" + wei.ToString("x")));

    [Fact]
    public void Addresses_are_those_of_the_identity_s_recovery_phrase()
    {
        var (path, accounts, _) = Identity("amina");
        var console = new RecordingConsole();
        Assert.Equal(0, WalletCommand.Addresses(path, console.Console));
        Assert.Contains(accounts.EthereumAccount(0).Address.ToString(), console.Text);
        Assert.Contains(accounts.SegwitAccount(UtxoNetwork.BitcoinMainnet, 0, 0, 0).Address, console.Text);
        Assert.Contains(accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 0).Address, console.Text);
        Assert.Contains("rltc1", console.Text);
        Assert.Contains("bc1q", console.Text);
    }

    [Fact]
    public async Task Errors_are_one_clear_line()
    {
        var (path, _, _) = Identity("bo");
        var bad = new RecordingConsole();
        Assert.Equal(1, await WalletCommand.BalanceAsync(path, "dogecoin", "http://127.0.0.1:1", null, bad.Console));
        Assert.StartsWith("error: unknown chain 'dogecoin'", bad.Text.Trim());
        Assert.Single(bad.Text.Trim().Split('\n'));

        var request = new RecordingConsole();
        Assert.Equal(1, await WalletCommand.RequestAsync(path, "litecoin", "0.123456789", null, "http://u:p@127.0.0.1:1", true, request.Console));
        Assert.StartsWith("error:", request.Text.Trim());

        var blind = new RecordingConsole(); // no --rpc: it cannot tell which receive addresses were paid
        Assert.Equal(1, await WalletCommand.RequestAsync(path, "litecoin", "0.5", null, null, true, blind.Console));
        Assert.StartsWith("error: without --rpc", blind.Text.Trim());
        Assert.False(File.Exists(HandedOutAddresses.PathFor(path)));
    }

    [Fact]
    public async Task Request_prints_a_BIP21_and_an_EIP681_uri_with_a_QR_code()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        var (path, accounts, _) = Identity("carla");
        var ltc = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.RequestAsync(path, "litecoin-regtest", "0.5", null, Rpc(node), false, ltc.Console));
        string uri = ltc.Text.Split('\n')[0].Trim();
        Bip21Request parsed = Bip21.Parse(uri);
        Assert.Equal(accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 0).Address, parsed.Address);
        Assert.Equal(new BigInteger(50_000_000), parsed.Amount);
        Assert.True(ltc.Text.Split('\n').Count(l => l.Contains('█') || l.Contains('▀') || l.Contains('▄')) >= 20);

        var eth = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.RequestAsync(path, "eip155:31337", "0.01", null, null, true, eth.Console));
        Eip681Request request = Eip681Request.Parse(eth.Text.Trim());
        Assert.Equal((ulong?)31337, request.ChainId);
        Assert.Equal(accounts.EthereumAccount(0).Address.Bytes.ToArray(), request.Recipient);
        Assert.Equal(BigInteger.Pow(10, 16), request.Amount);
    }

    [Fact]
    public async Task Send_and_balance_on_anvil()
    {
        using LocalDevChain chain = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh"));
        using var http = new HttpClient();
        var (path, accounts, _) = Identity("dana");
        await Fund(chain, http, accounts.EthereumAccount(0), BigInteger.Pow(10, 18));
        byte[] recipient = Enumerable.Repeat((byte)0x42, 20).ToArray();

        var send = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.SendAsync(path, "eip155:31337", EvmAddressText.Format(recipient), "0.25", null, chain.Url.ToString(), true, send.Console));
        Assert.Contains("eip155:31337", send.Text);
        Assert.Contains("0.25 ETH to " + EvmAddressText.Format(recipient), send.Text);
        Assert.Contains("fee", send.Text);
        Assert.Matches("txid       0x[0-9a-f]{64}", send.Text);
        var backend = new EvmChainBackend(Anvil, new EthereumRpcClient(http, chain.Url));
        for (int i = 0; i < 100 && await backend.BalanceAsync(recipient, null, default) == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(BigInteger.Pow(10, 18) / 4, await backend.BalanceAsync(recipient, null, default));

        var balance = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.BalanceAsync(path, "eip155:31337", chain.Url.ToString(), null, balance.Console));
        Assert.Matches(@"^0\.7499\d* ETH on eip155:31337", balance.Text.Trim());

        var poor = new RecordingConsole();
        Assert.Equal(1, await WalletCommand.SendAsync(path, "eip155:31337", EvmAddressText.Format(recipient), "5", null, chain.Url.ToString(), true, poor.Console));
        Assert.StartsWith("error:", poor.Text.Trim());
    }

    [Fact]
    public async Task Bump_replaces_a_stuck_transfer_at_the_same_nonce()
    {
        using LocalDevChain chain = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh"));
        using var http = new HttpClient();
        var rpc = new EthereumRpcClient(http, chain.Url);
        var (path, accounts, _) = Identity("fay");
        await Fund(chain, http, accounts.EthereumAccount(0), BigInteger.Pow(10, 18));
        await rpc.CallAsync("evm_setAutomine", new JsonArray(false));
        var send = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.SendAsync(path, "eip155:31337", EvmAddressText.Format(new byte[20]), "0.1", null, chain.Url.ToString(), true, send.Console));
        string stuck = System.Text.RegularExpressions.Regex.Match(send.Text, "0x[0-9a-f]{64}").Value;

        var bump = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.BumpAsync(path, "eip155:31337", stuck, chain.Url.ToString(), bump.Console));
        string replacement = System.Text.RegularExpressions.Regex.Match(bump.Text, "txid       (0x[0-9a-f]{64})").Groups[1].Value;
        Assert.NotEqual(stuck, replacement);
        await rpc.CallAsync("evm_mine", new JsonArray());
        JsonNode? mined = await rpc.CallAsync("eth_getTransactionReceipt", new JsonArray(replacement));
        Assert.Equal("0x1", (string?)mined!["status"]);
        Assert.Null(await rpc.CallAsync("eth_getTransactionReceipt", new JsonArray(stuck)));

        var again = new RecordingConsole();
        Assert.Equal(1, await WalletCommand.BumpAsync(path, "eip155:31337", replacement, chain.Url.ToString(), again.Console));
        Assert.Contains("already in a block", again.Text);
    }

    [Fact]
    public async Task Send_and_balance_on_litecoin_regtest()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        var (path, accounts, _) = Identity("emil");
        await node.MineAsync(1, accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 0).Address);
        await node.MineAsync(100, UtxoAddressText.Encode(UtxoNetwork.LitecoinRegtest, new byte[20]));
        string rpc = $"http://{LocalLitecoinNode.RpcUser}:{node.RpcPassword}@127.0.0.1:{node.RpcPort}/";

        var balance = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.BalanceAsync(path, "litecoin-regtest", rpc, null, balance.Console));
        Assert.StartsWith("50 on litecoin-regtest", balance.Text.Trim());

        string to = accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 1, 0, 0).Address;
        var send = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.SendAsync(path, "litecoin-regtest", to, "1.5", null, rpc, true, send.Console));
        Assert.Contains("1.5 to " + to, send.Text);
        Assert.Contains("replaceable", send.Text);
        Assert.Matches("txid       [0-9a-f]{64}", send.Text);
    }

    [Fact]
    public async Task Requests_hand_out_a_fresh_address_and_never_one_paid_and_spent_since()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        var (path, accounts, _) = Identity("gil");
        string Receive(int i) => accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, i).Address;
        async Task<string> Request()
        {
            var console = new RecordingConsole();
            Assert.Equal(0, await WalletCommand.RequestAsync(path, "litecoin-regtest", "1", null, Rpc(node), true, console.Console));
            return Bip21.Parse(console.Text.Trim()).Address;
        }

        string first = await Request();
        Assert.Equal(Receive(0), first);
        await node.MineAsync(1, first); // the first request is paid
        await node.MineAsync(100, UtxoAddressText.Encode(UtxoNetwork.LitecoinRegtest, new byte[20]));
        Assert.Equal(Receive(1), await Request());
        Assert.Equal(Receive(2), await Request()); // handed out but unpaid: still not handed out twice

        // Spend everything address 0 holds: the node (no wallet, UTXO set only) now sees it as never used.
        var send = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.SendAsync(path, "litecoin-regtest", UtxoAddressText.Encode(UtxoNetwork.LitecoinRegtest, new byte[20]), "10", null, Rpc(node), true, send.Console));
        await node.MineAsync(1, UtxoAddressText.Encode(UtxoNetwork.LitecoinRegtest, new byte[20]));
        var backend = new UtxoChainBackend(node.Rpc, UtxoNetwork.LitecoinRegtest);
        Assert.Empty(await backend.UnspentAsync(UtxoAddressText.Parse(first, UtxoNetwork.LitecoinRegtest).Bytes, default));
        Assert.Equal(Receive(3), await Request());

        // Without the record only the chain is left to go by, and it points at address 0 again: the record is what prevents reuse.
        File.Delete(HandedOutAddresses.PathFor(path));
        Assert.Equal(Receive(0), await Request());
    }

    [Fact]
    public async Task A_payment_to_receive_index_3_counts_in_the_balance_and_is_spent_with_change_to_a_fresh_address()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        var (path, accounts, _) = Identity("hana");
        string burn = UtxoAddressText.Encode(UtxoNetwork.LitecoinRegtest, new byte[20]);
        await node.MineAsync(1, accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, 0, 3).Address);
        await node.MineAsync(100, burn);

        var balance = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.BalanceAsync(path, "litecoin-regtest", Rpc(node), null, balance.Console));
        Assert.StartsWith("50 on litecoin-regtest (confirmed)", balance.Text.Trim());

        var backend = new UtxoChainBackend(node.Rpc, UtxoNetwork.LitecoinRegtest);
        async Task<ulong> Held(int change, int index) =>
            (await backend.UnspentAsync(UtxoAddressText.Parse(accounts.SegwitAccount(UtxoNetwork.LitecoinRegtest, 0, change, index).Address, UtxoNetwork.LitecoinRegtest).Bytes, default)).Aggregate(0UL, (sum, o) => sum + o.Value);
        var send = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.SendAsync(path, "litecoin-regtest", burn, "1.5", null, Rpc(node), true, send.Console));
        Assert.True(await Held(1, 0) > 48_00000000UL); // the change, at change index 0
        await node.MineAsync(1, burn);

        // The change is spent next: its index is remembered, so this send's change goes to change index 1.
        var again = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.SendAsync(path, "litecoin-regtest", burn, "40", null, Rpc(node), true, again.Console));
        await node.MineAsync(1, burn);
        Assert.Equal(0UL, await Held(1, 0));
        ulong change = await Held(1, 1);
        Assert.InRange(change, 8_40000000UL, 8_50000000UL - 1);

        var after = new RecordingConsole();
        Assert.Equal(0, await WalletCommand.BalanceAsync(path, "litecoin-regtest", Rpc(node), null, after.Console));
        Assert.StartsWith(Wallet.Amounts.AssetAmount.Format(change, 8) + " on litecoin-regtest (confirmed)", after.Text.Trim());
    }

    private static string Rpc(LocalLitecoinNode node) => $"http://{LocalLitecoinNode.RpcUser}:{node.RpcPassword}@127.0.0.1:{node.RpcPort}/";

    [Fact]
    public async Task Verify_tip_exits_0_only_for_a_confirmed_tip_with_a_valid_signature()
    {
        using LocalDevChain chain = LocalDevChain.Start(AnvilTool.Find() ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh"));
        using var http = new HttpClient();
        var (_, tipperAccounts, tipperIdentity) = Identity("tipper");
        var (_, authorAccounts, authorIdentity) = Identity("author");
        await Fund(chain, http, tipperAccounts.EthereumAccount(0), BigInteger.Pow(10, 18));
        var clock = new Clock();
        var tipper = new MessengerNode(tipperIdentity, "tipper", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: false);
        var author = new MessengerNode(authorIdentity, "author", new MemoryEntryStore(), clock, FrameLimits.LoRa, restoring: false);
        var home = new ChainAddress(Anvil, authorAccounts.EthereumAccount(0).Address.Bytes.ToArray());
        uint profileSequence = author.UpdateProfile("author", [home], null);
        uint post = author.PostPublic("a post worth a tip");
        byte[] postHash = author.Chains.Store.Get(author.Id, post)!.Hash;

        var backend = new EvmChainBackend(Anvil, new EthereumRpcClient(http, chain.Url));
        TipBody tip = await new TipSender(backend).SendEvmAsync(new EvmTransfer(backend), tipperAccounts.EthereumAccount(0), author.Profile, post, postHash, null, 12345, default);
        for (int i = 0; i < 100 && (await backend.StateAsync(tip.TxId, default)).Stage != Wallet.Chains.TransactionStage.Included; i++)
        {
            await Task.Delay(50);
        }

        uint tipSequence = tipper.PostTip(tip);
        string tipEntry = Convert.ToHexString(tipper.Chains.Store.Get(tipper.Id, tipSequence)!.Entry.Encoded);
        string authorProfile = Convert.ToBase64String(author.Chains.Store.Get(author.Id, profileSequence)!.Entry.Encoded);
        string tipperProfile = Convert.ToHexString(tipper.Chains.Store.Get(tipper.Id, 0)!.Entry.Encoded);

        var ok = new RecordingConsole();
        Assert.Equal(0, await VerifyTipCommand.RunAsync(tipEntry, authorProfile, tipperProfile, chain.Url.ToString(), "eip155:31337", ok.Console));
        Assert.Contains("signature  ok", ok.Text);
        Assert.Contains("payment    confirmed", ok.Text);

        var wrongAuthor = new RecordingConsole(); // the tipper's own profile lists no address: recipient not in profile
        Assert.Equal(1, await VerifyTipCommand.RunAsync(tipEntry, tipperProfile, tipperProfile, chain.Url.ToString(), null, wrongAuthor.Console));
        Assert.Contains("payment    invalid", wrongAuthor.Text);

        var wrongSigner = new RecordingConsole();
        Assert.Equal(1, await VerifyTipCommand.RunAsync(tipEntry, authorProfile, authorProfile, chain.Url.ToString(), null, wrongSigner.Console));
        Assert.Contains("signature does not verify", wrongSigner.Text);

        byte[] tampered = Convert.FromHexString(tipEntry);
        tampered[^70] ^= 1;
        var bad = new RecordingConsole();
        Assert.Equal(1, await VerifyTipCommand.RunAsync(Convert.ToHexString(tampered), authorProfile, tipperProfile, chain.Url.ToString(), null, bad.Console));
        Assert.StartsWith("error:", bad.Text.Trim());
    }

    private sealed class Clock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => 60_000_000;
    }
}
