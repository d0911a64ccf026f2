using System.CommandLine;
using System.Numerics;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Cli.Host;
using MeshMessenger.Cli.Terminal;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet;
using MeshMessenger.Wallet.Amounts;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Utxo;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary>
/// <c>meshmsg wallet addresses | balance | send | request</c>: the wallet of the identity file's recovery phrase
/// (docs/wallet.md), talking to a chain node you name with --rpc. On UTXO chains, account 0 (BIP-84 m/84'/coin'/0'):
/// each request hands out a fresh receive address, each send a fresh change address, and balance and send gather the
/// outputs of every address up to the BIP-44 gap limit (<see cref="AddressWindow"/>, <see cref="HandedOutAddresses"/>).
/// </summary>
public static class WalletCommand
{
    private static readonly UtxoNetwork[] Networks =
        [UtxoNetwork.BitcoinMainnet, UtxoNetwork.BitcoinTestnet, UtxoNetwork.BitcoinSignet, UtxoNetwork.BitcoinRegtest, UtxoNetwork.LitecoinMainnet, UtxoNetwork.LitecoinRegtest];

    public static Command Create()
    {
        var identity = new Option<string>("--identity") { Description = "Identity file (its recovery phrase opens the wallet).", DefaultValueFactory = _ => IdentityFile.DefaultPath };
        var chain = new Option<string>("--chain") { Description = "eip155:<chain id>, bitcoin, bitcoin-testnet, bitcoin-signet, bitcoin-regtest, litecoin or litecoin-regtest.", Required = true };
        var rpc = new Option<string>("--rpc") { Description = "The chain node's JSON-RPC URL (Bitcoin-family: http://user:password@host:port).", Required = true };
        var token = new Option<string?>("--token") { Description = "ERC-20 contract address (EVM chains only)." };
        var amount = new Option<string>("--amount") { Description = "Amount in the asset's unit (ETH, token units, BTC, LTC), e.g. 0.01.", Required = true };
        var to = new Option<string>("--to") { Description = "Recipient address.", Required = true };
        var yes = new Option<bool>("--yes") { Description = "Send without asking for confirmation." };
        var noQr = new Option<bool>("--no-qr") { Description = "Do not draw the QR code." };
        var requestRpc = new Option<string?>("--rpc") { Description = "The chain node's JSON-RPC URL; needed on Bitcoin-family chains to find the next unused receive address." };

        var addresses = new Command("addresses", "Your receive addresses: the EVM account (all EVM chains) and a P2WPKH address per Bitcoin-family network.\n\nExample:\n  meshmsg wallet addresses") { identity };
        addresses.SetAction(parse => Addresses(parse.GetValue(identity)!, AnsiConsole.Console));

        var balance = new Command("balance", "Your balance on one chain.\n\nExamples:\n  meshmsg wallet balance --chain eip155:31337 --rpc http://127.0.0.1:8545\n  meshmsg wallet balance --chain litecoin-regtest --rpc http://user:pw@127.0.0.1:19443")
        {
            identity, chain, rpc, token,
        };
        balance.SetAction((parse, ct) => BalanceAsync(parse.GetValue(identity)!, parse.GetValue(chain)!, parse.GetValue(rpc)!, parse.GetValue(token), AnsiConsole.Console, ct));

        var send = new Command("send", "Pay someone: prints recipient, amount, fee and chain, asks for confirmation (unless --yes), broadcasts and prints the transaction id.\n\nExample:\n  meshmsg wallet send --chain eip155:31337 --to 0x… --amount 0.01 --rpc http://127.0.0.1:8545")
        {
            identity, chain, to, amount, token, rpc, yes,
        };
        send.SetAction((parse, ct) => SendAsync(parse.GetValue(identity)!, parse.GetValue(chain)!, parse.GetValue(to)!, parse.GetValue(amount)!, parse.GetValue(token), parse.GetValue(rpc)!, parse.GetValue(yes), AnsiConsole.Console, ct));

        var request = new Command("request", "A payment request to your address: an EIP-681 or BIP-21 URI and its QR code. Bitcoin-family chains get a fresh receive address each time (needs --rpc).\n\nExample:\n  meshmsg wallet request --chain litecoin --amount 0.5 --rpc http://user:pw@127.0.0.1:9332")
        {
            identity, chain, amount, token, noQr, requestRpc,
        };
        request.SetAction((parse, ct) => RequestAsync(parse.GetValue(identity)!, parse.GetValue(chain)!, parse.GetValue(amount)!, parse.GetValue(token), parse.GetValue(requestRpc), parse.GetValue(noQr), AnsiConsole.Console, ct));

        var tx = new Option<string>("--tx") { Description = "The stuck transaction's id (0x… hash).", Required = true };
        var bump = new Command("bump", "Replace a stuck EVM transaction of yours: same nonce, recipient, value and data, fees raised by at least 10 % (and to the current quote); prints the new txid.\n\nExample:\n  meshmsg wallet bump --chain eip155:31337 --tx 0x… --rpc http://127.0.0.1:8545")
        {
            identity, chain, tx, rpc,
        };
        bump.SetAction((parse, ct) => BumpAsync(parse.GetValue(identity)!, parse.GetValue(chain)!, parse.GetValue(tx)!, parse.GetValue(rpc)!, AnsiConsole.Console, ct));

        return new Command("wallet", "The multi-currency wallet of your recovery phrase (docs/wallet.md).") { addresses, balance, send, request, bump };
    }

    /// <summary>Prints the EVM address and the first P2WPKH receive address (index 0) per network.</summary>
    public static int Addresses(string identityPath, IAnsiConsole console)
    {
        return Run(console, () =>
        {
            HdAccounts accounts = Accounts(identityPath);
            RawOutput.Line(console, $"evm (all EVM chains)  {accounts.EthereumAccount(0).Address}");
            foreach (UtxoNetwork network in Networks)
            {
                RawOutput.Line(console, $"{ChainTag.Utxo((uint)network).ToText(),-21} {accounts.SegwitAccount(network, 0, 0, 0).Address}");
            }

            return 0;
        });
    }

    /// <summary>Prints the balance of the wallet's address on <paramref name="chainText"/>.</summary>
    public static Task<int> BalanceAsync(string identityPath, string chainText, string rpc, string? tokenText, IAnsiConsole console, CancellationToken ct = default)
    {
        return RunAsync(console, async () =>
        {
            HdAccounts accounts = Accounts(identityPath);
            ChainTag chain = Chain(chainText);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            if (chain.Family == ChainFamily.Evm)
            {
                var backend = new EvmChainBackend(chain, new EthereumRpcClient(http, Url(rpc)));
                byte[]? token = tokenText is null ? null : EvmAddressText.Parse(tokenText);
                byte[] address = accounts.EthereumAccount(0).Address.Bytes.ToArray();
                BigInteger units = await backend.BalanceAsync(address, token, ct);
                int decimals = token is null ? 18 : await backend.DecimalsAsync(token, ct);
                string symbol = token is null ? "ETH" : await backend.SymbolAsync(token, ct);
                RawOutput.Line(console, $"{AssetAmount.Format(units, decimals)} {symbol} on {chain.ToText()}");
                return 0;
            }

            RefuseToken(tokenText);
            UtxoNetwork network = (UtxoNetwork)chain.Reference;
            UtxoChainBackend utxo = Utxo(rpc, network);
            HandedOutAddresses record = HandedOutAddresses.Load(identityPath);
            ulong confirmed = 0;
            ulong all = 0;
            foreach (AddressWindow window in await WindowsAsync(accounts, network, utxo, record, chain, ct))
            {
                confirmed += window.Total(1);
                all += window.Total(0);
            }

            string pending = all == confirmed ? string.Empty : $", {AssetAmount.Format(all - confirmed, Bip21.Decimals)} unconfirmed";
            RawOutput.Line(console, $"{AssetAmount.Format(confirmed, Bip21.Decimals)} on {chain.ToText()} (confirmed{pending})");
            return 0;
        });
    }

    /// <summary>Builds, shows, confirms and broadcasts a payment; prints the transaction id.</summary>
    public static Task<int> SendAsync(string identityPath, string chainText, string toText, string amountText, string? tokenText, string rpc, bool yes, IAnsiConsole console, CancellationToken ct = default)
    {
        return RunAsync(console, async () =>
        {
            HdAccounts accounts = Accounts(identityPath);
            ChainTag chain = Chain(chainText);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            IChainBackend backend;
            Action afterConfirm = () => { };
            byte[] raw;
            string what;
            string fee;
            if (chain.Family == ChainFamily.Evm)
            {
                var evm = new EvmChainBackend(chain, new EthereumRpcClient(http, Url(rpc)));
                backend = evm;
                byte[] to = EvmAddressText.Parse(toText);
                byte[]? token = tokenText is null ? null : EvmAddressText.Parse(tokenText);
                int decimals = token is null ? 18 : await evm.DecimalsAsync(token, ct);
                BigInteger units = AssetAmount.Parse(amountText, decimals);
                var builder = new EvmTransfer(evm);
                EvmSignedTransfer signed = token is null
                    ? await builder.EtherAsync(accounts.EthereumAccount(0), to, units, ct)
                    : await builder.TokenAsync(accounts.EthereumAccount(0), token, to, units, ct);
                raw = signed.Raw;
                what = $"{AssetAmount.Format(units, decimals)} {(token is null ? "ETH" : await evm.SymbolAsync(token, ct))} to {EvmAddressText.Format(to)}";
                fee = $"at most {AssetAmount.Format(signed.Transaction.Gas * signed.Transaction.MaxFeePerGas, 18)} ETH ({signed.Transaction.Gas} gas)";
            }
            else
            {
                RefuseToken(tokenText);
                UtxoNetwork network = (UtxoNetwork)chain.Reference;
                UtxoChainBackend utxo = Utxo(rpc, network);
                backend = utxo;
                UtxoAddress to = UtxoAddressText.Parse(toText, network);
                ulong units = (ulong)AssetAmount.Parse(amountText, Bip21.Decimals);
                HandedOutAddresses record = HandedOutAddresses.Load(identityPath);
                AddressWindow[] windows = await WindowsAsync(accounts, network, utxo, record, chain, ct);
                var coins = new List<SpendableOutput>(windows[0].Outputs);
                coins.AddRange(windows[1].Outputs);
                uint rate = (await utxo.FeesAsync(ct)).SatoshisPerVirtualByte;
                int changeIndex = windows[1].NextToHandOut(record.Highest(chain.ToText(), 1));
                SignedUtxoTransaction signed = UtxoSpend.Build(network, coins, to, units, Math.Max(rate, 1u), accounts.SegwitAccount(network, 0, 1, changeIndex));
                if (signed.Change is not null)
                {
                    // Remembered before broadcasting: an index remembered but unused costs nothing; one used but forgotten could be handed out again.
                    afterConfirm = () => record.Remember(chain.ToText(), 1, changeIndex);
                }

                raw = signed.Raw;
                what = $"{AssetAmount.Format(units, Bip21.Decimals)} to {to}";
                fee = $"{AssetAmount.Format(signed.Fee, Bip21.Decimals)} ({signed.VirtualSize} vB at {rate} sat/vB, replaceable)";
            }

            RawOutput.Line(console, $"chain      {chain.ToText()}");
            RawOutput.Line(console, $"pay        {what}");
            RawOutput.Line(console, $"fee        {fee}");
            if (!yes && !console.Confirm("Send?", false))
            {
                RawOutput.Line(console, "not sent");
                return 1;
            }

            afterConfirm();
            byte[] txId = await backend.BroadcastAsync(raw, ct);
            RawOutput.Line(console, $"txid       {(chain.Family == ChainFamily.Evm ? "0x" : string.Empty)}{Convert.ToHexStringLower(txId)}");
            return 0;
        });
    }

    /// <summary>
    /// Prints a payment request URI (EIP-681 or BIP-21) and its QR code. EVM: the account's address. UTXO: the next
    /// receive address after both the last one holding outputs (read through <paramref name="rpc"/>) and the highest
    /// one handed out before (<see cref="HandedOutAddresses"/>), which it then remembers.
    /// </summary>
    public static Task<int> RequestAsync(string identityPath, string chainText, string amountText, string? tokenText, string? rpc, bool noQr, IAnsiConsole console, CancellationToken ct = default)
    {
        return RunAsync(console, async () =>
        {
            HdAccounts accounts = Accounts(identityPath);
            ChainTag chain = Chain(chainText);
            string uri;
            if (chain.Family == ChainFamily.Evm)
            {
                byte[]? token = tokenText is null ? null : EvmAddressText.Parse(tokenText);
                if (token is not null && amountText.Contains('.', StringComparison.Ordinal))
                {
                    throw new WalletException(WalletError.InvalidAmount, "a token request's --amount is in base units (the token's decimals are on-chain)");
                }

                BigInteger units = AssetAmount.Parse(amountText, token is null ? 18 : 0);
                uri = new Eip681Request(accounts.EthereumAccount(0).Address.Bytes.ToArray(), chain.Reference, token, units).ToUri();
            }
            else
            {
                RefuseToken(tokenText);
                UtxoNetwork network = (UtxoNetwork)chain.Reference;
                string scheme = network is UtxoNetwork.LitecoinMainnet or UtxoNetwork.LitecoinRegtest ? "litecoin" : "bitcoin";
                BigInteger units = AssetAmount.Parse(amountText, Bip21.Decimals);
                if (rpc is null)
                {
                    throw new WalletException(WalletError.Unavailable, "without --rpc the wallet cannot see which receive addresses were paid, so it cannot pick a fresh one: pass the chain node's --rpc URL");
                }

                HandedOutAddresses record = HandedOutAddresses.Load(identityPath);
                AddressWindow receive = await AddressWindow.ScanAsync(accounts, network, 0, 0, Utxo(rpc, network), record.Highest(chain.ToText(), 0), ct);
                int index = receive.NextToHandOut(record.Highest(chain.ToText(), 0));
                if (receive.BeyondGap(index))
                {
                    console.MarkupLineInterpolated($"[yellow]warning:[/] receive address {index} is {ReceiveAddresses.GapLimit} or more past the last paid one; a wallet restored from the phrase elsewhere stops looking after {ReceiveAddresses.GapLimit} unused addresses (BIP-44 gap limit) and would not see a payment to it");
                }

                record.Remember(chain.ToText(), 0, index);
                uri = Bip21.Format(scheme, accounts.SegwitAccount(network, 0, 0, index).Address, units);
            }

            RawOutput.Line(console, uri);
            if (!noQr)
            {
                RawOutput.Line(console, TerminalQrRenderer.Render(uri));
            }

            return 0;
        });
    }

    /// <summary>Replaces a pending EVM transaction of the wallet's account at the same nonce with higher fees (EIP-1559); prints the new txid.</summary>
    public static Task<int> BumpAsync(string identityPath, string chainText, string txText, string rpc, IAnsiConsole console, CancellationToken ct = default)
    {
        return RunAsync(console, async () =>
        {
            HdAccounts accounts = Accounts(identityPath);
            ChainTag chain = Chain(chainText);
            if (chain.Family != ChainFamily.Evm)
            {
                throw new WalletException(WalletError.WrongChain, "bump replaces EVM transactions; a Bitcoin-family replacement (BIP-125) needs the wallet's record of the spend, which the command line does not keep yet");
            }

            string hash = txText.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? txText : "0x" + txText;
            if (hash.Length != 66 || !hash[2..].All(Uri.IsHexDigit))
            {
                throw new WalletException(WalletError.NotFound, $"'{txText}' is not a 32-byte transaction hash");
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var client = new EthereumRpcClient(http, Url(rpc));
            var evm = new EvmChainBackend(chain, client);
            EthereumAccount account = accounts.EthereumAccount(0);
            if (await client.CallAsync("eth_getTransactionByHash", new System.Text.Json.Nodes.JsonArray(hash)) is not System.Text.Json.Nodes.JsonObject found)
            {
                throw new WalletException(WalletError.NotFound, $"the node does not know transaction {hash}");
            }

            if (found["blockNumber"] is System.Text.Json.Nodes.JsonValue)
            {
                throw new WalletException(WalletError.NotFound, $"{hash} is already in a block; nothing to bump");
            }

            if (!string.Equals((string?)found["from"], account.Address.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                throw new WalletException(WalletError.InvalidAddress, $"{hash} was not sent by this wallet ({account.Address})");
            }

            static BigInteger Q(System.Text.Json.Nodes.JsonNode? node) => BigInteger.Parse("0" + ((string?)node ?? "0x0")[2..], System.Globalization.NumberStyles.HexNumber);
            Anchoring.Ethereum.EthereumAddress? to = null;
            if ((string?)found["to"] is string toText && !Anchoring.Ethereum.EthereumAddress.TryParse(toText, out to, out string? error))
            {
                throw new WalletException(WalletError.InvalidAddress, error ?? "bad recipient");
            }

            byte[] data = Convert.FromHexString(((string?)found["input"] ?? "0x")[2..]);
            var old = new Anchoring.Ethereum.Eip1559Transaction(chain.Reference, Q(found["nonce"]), Q(found["maxPriorityFeePerGas"]), Q(found["maxFeePerGas"]), Q(found["gas"]), to, Q(found["value"]), data);
            EvmSignedTransfer replacement = await new EvmTransfer(evm).BumpAsync(account, new EvmSignedTransfer(old, [], Convert.FromHexString(hash[2..])), ct);
            byte[] txId = await evm.BroadcastAsync(replacement.Raw, ct);
            RawOutput.Line(console, $"replaced   {hash} (nonce {old.Nonce})");
            RawOutput.Line(console, $"fees       priority {replacement.Transaction.MaxPriorityFeePerGas} wei, max {replacement.Transaction.MaxFeePerGas} wei per gas");
            RawOutput.Line(console, $"txid       0x{Convert.ToHexStringLower(txId)}");
            return 0;
        });
    }

    internal static ChainTag Chain(string text) =>
        ChainTag.Parse(text) ?? throw new WalletException(WalletError.WrongChain, $"unknown chain '{text}': use eip155:<chain id>, bitcoin, bitcoin-testnet, bitcoin-signet, bitcoin-regtest, litecoin or litecoin-regtest");

    internal static Uri Url(string rpc) =>
        Uri.TryCreate(rpc, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https"
            ? url
            : throw new WalletException(WalletError.Unavailable, $"--rpc must be an http(s) URL, got '{rpc}'");

    internal static UtxoChainBackend Utxo(string rpc, UtxoNetwork network)
    {
        Uri url = Url(rpc);
        string[] user = Uri.UnescapeDataString(url.UserInfo).Split(':', 2);
        if (user.Length != 2)
        {
            throw new WalletException(WalletError.Unavailable, "a Bitcoin-family --rpc URL carries the node's RPC user and password: http://user:password@host:port");
        }

        return new UtxoChainBackend(new UtxoRpcClient(new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri, user[0], user[1]), network);
    }

    internal static int Fail(IAnsiConsole console, string message)
    {
        console.MarkupLineInterpolated($"[red]error:[/] {message}");
        return 1;
    }

    private static async Task<AddressWindow[]> WindowsAsync(HdAccounts accounts, UtxoNetwork network, UtxoChainBackend utxo, HandedOutAddresses record, ChainTag chain, CancellationToken ct) =>
    [
        await AddressWindow.ScanAsync(accounts, network, 0, 0, utxo, record.Highest(chain.ToText(), 0), ct),
        await AddressWindow.ScanAsync(accounts, network, 0, 1, utxo, record.Highest(chain.ToText(), 1), ct),
    ];

    private static void RefuseToken(string? token)
    {
        if (token is not null)
        {
            throw new WalletException(WalletError.WrongChain, "--token is for ERC-20 tokens on EVM chains");
        }
    }

    private static HdAccounts Accounts(string identityPath)
    {
        (_, NodeIdentity identity) = IdentityFile.Load(identityPath);
        RecoveryPhraseError error = WalletSeed.TryFromPhrase(RecoveryPhrase.FromIdentity(identity), string.Empty, out WalletSeed? seed);
        return error == RecoveryPhraseError.None ? seed!.ToAccounts() : throw new IdentityFileException($"the identity's recovery phrase does not open a wallet ({error})");
    }

    private static int Run(IAnsiConsole console, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is WalletException or IdentityFileException)
        {
            return Fail(console, e.Message);
        }
    }

    private static async Task<int> RunAsync(IAnsiConsole console, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is WalletException or IdentityFileException or HttpRequestException or IOException)
        {
            return Fail(console, e.Message);
        }
    }
}
