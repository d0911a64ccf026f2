using System.Text;
using System.Text.Json;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Wallet.Hd;
using MeshMessenger.Wallet.Utxo;
using Microsoft.Playwright;
using Nethereum.Model;
using BcInteger = Org.BouncyCastle.Math.BigInteger;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// The wallet's key side in the browser node (src/MeshMessenger.Browser, NodeWallet): addresses and an EIP-1559
/// signature made inside chromium from the node's own root, checked against MeshMessenger.Wallet and the one signer
/// (Eip1559Transaction.Sign) run here on the host, and checked for leaking the phrase or a key.
/// </summary>
public sealed class BrowserWalletTests(WebAppFixture web) : IClassFixture<WebAppFixture>
{
    // A fixed 32-byte identity root (bytes 0x00..0x1f): its 24 words are the node's backup code and the wallet's BIP-39 mnemonic.
    private static readonly byte[] Root = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private static readonly string[] Networks = ["bitcoin", "bitcoin-testnet", "bitcoin-signet", "bitcoin-regtest", "litecoin", "litecoin-regtest"];

    private static readonly UtxoNetwork[] NetworkValues =
        [UtxoNetwork.BitcoinMainnet, UtxoNetwork.BitcoinTestnet, UtxoNetwork.BitcoinSignet, UtxoNetwork.BitcoinRegtest, UtxoNetwork.LitecoinMainnet, UtxoNetwork.LitecoinRegtest];

    private const string Recipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    [Fact]
    public async Task The_browser_derives_the_same_evm_and_segwit_addresses_as_the_host_wallet_for_the_same_root()
    {
        string phrase = Phrase();
        HdAccounts host = HostAccounts(phrase);
        IPage page = await OpenedPageAsync(phrase);

        JsonElement accounts = await page.EvaluateAsync<JsonElement>("async networks => (await window.meshnode).walletAccounts(networks)", Networks);

        JsonElement evm = accounts.GetProperty("evm");
        Assert.Equal("m/44'/60'/0'/0/0", evm.GetProperty("path").GetString());
        Assert.Equal(host.EthereumAccount(0).Address.ToString(), evm.GetProperty("address").GetString());
        Assert.Matches("^0x[0-9a-fA-F]{40}$", evm.GetProperty("address").GetString()!);
        JsonElement[] utxo = [.. accounts.GetProperty("utxo").EnumerateArray()];
        Assert.Equal(Networks.Length, utxo.Length);
        for (int i = 0; i < Networks.Length; i++)
        {
            SegwitAccount expected = host.SegwitAccount(NetworkValues[i], 0, 0, 0);
            Assert.Equal(Networks[i], utxo[i].GetProperty("network").GetString());
            Assert.Equal(expected.Path, utxo[i].GetProperty("path").GetString());
            Assert.Equal(expected.Address, utxo[i].GetProperty("address").GetString());
        }

        // Each address is the network's own (BIP-173 human-readable part), and mainnet and testnet keys differ (coin type).
        Assert.StartsWith("bc1q", utxo[0].GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("rltc1q", utxo[5].GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(utxo[0].GetProperty("path").GetString(), utxo[1].GetProperty("path").GetString());

        // Another root, other addresses: the answer comes from the opened node, not from anything fixed.
        byte[] other = (byte[])Root.Clone();
        other[0] ^= 1;
        IPage second = await OpenedPageAsync(RecoveryPhrase.FromIdentity(NodeIdentity.FromRootSecret(other)).Text);
        JsonElement otherAccounts = await second.EvaluateAsync<JsonElement>("async () => (await window.meshnode).walletAccounts(['bitcoin'])");
        Assert.NotEqual(evm.GetProperty("address").GetString(), otherAccounts.GetProperty("evm").GetProperty("address").GetString());
        Assert.NotEqual(utxo[0].GetProperty("address").GetString(), otherAccounts.GetProperty("utxo")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_transfer_signed_in_the_browser_recovers_to_its_evm_address_and_equals_the_host_signers_bytes()
    {
        string phrase = Phrase();
        HdAccounts host = HostAccounts(phrase);
        IPage page = await OpenedPageAsync(phrase);
        string address = (await page.EvaluateAsync<JsonElement>("async () => (await window.meshnode).walletAccounts([])")).GetProperty("evm").GetProperty("address").GetString()!;

        JsonElement signed = await page.EvaluateAsync<JsonElement>(
            @"async to => (await window.meshnode).walletSignEvmTransfer({
                chainId: 31337, nonce: 7, to, valueWei: 1234567890123456789012n, maxFeePerGas: '3000000000',
                maxPriorityFeePerGas: '1000000000', gas: 21000 })",
            Recipient);
        string raw = signed.GetProperty("raw").GetString()!;

        // The one signer on the host, same key and fields: RFC 6979 nonces make the signature, so the bytes, equal.
        Assert.True(EthereumAddress.TryParse(Recipient, out EthereumAddress? to, out _));
        var transaction = new Eip1559Transaction(31337, 7, 1_000_000_000, 3_000_000_000, 21_000, to, System.Numerics.BigInteger.Parse("1234567890123456789012", System.Globalization.CultureInfo.InvariantCulture), []);
        MeshMessenger.Anchoring.Ethereum.SignedTransaction expected = transaction.Sign(host.EthereumAccount(0).ExportPrivateKey());
        Assert.Equal("0x" + Convert.ToHexStringLower(expected.Raw), raw);
        Assert.Equal(expected.HashHex, signed.GetProperty("hash").GetString());

        // Decoded by Nethereum (EIP-2718 type 2) and the sender recovered with secp256k1 (SEC 1 §4.1.6).
        var decoded = Assert.IsType<Transaction1559>(TransactionFactory.CreateTransaction(raw));
        Assert.Equal(31337, (int)decoded.ChainId);
        Assert.Equal(7, (int)decoded.Nonce!.Value);
        Assert.Equal(21_000, (int)decoded.GasLimit!.Value);
        Assert.Equal(Recipient.ToLowerInvariant(), decoded.ReceiverAddress.ToLowerInvariant());
        byte[] hash = Keccak256.Hash(decoded.GetRLPEncodedRaw());
        byte[] v = decoded.Signature.V;
        var signature = new EcdsaSignature(new BcInteger(1, decoded.Signature.R), new BcInteger(1, decoded.Signature.S), v.Length == 0 ? 0 : v[0]);
        byte[]? publicKey = Secp256k1.Recover(hash, signature);
        Assert.NotNull(publicKey);
        Assert.Equal(address, EthereumAddress.FromPublicKey(publicKey).ToString());

        // A different field gives a different signed transaction (the test compares, it does not just decode).
        JsonElement other = await page.EvaluateAsync<JsonElement>(
            @"async to => (await window.meshnode).walletSignEvmTransfer({
                chainId: 31337, nonce: 8, to, valueWei: 1234567890123456789012n, maxFeePerGas: '3000000000',
                maxPriorityFeePerGas: '1000000000', gas: 21000, data: '0x' })",
            Recipient);
        Assert.NotEqual(raw, other.GetProperty("raw").GetString());
    }

    [Fact]
    public async Task Bad_wallet_input_is_refused_in_plain_words_and_the_node_still_signs()
    {
        IPage page = await OpenedPageAsync(Phrase());
        string[] messages = await page.EvaluateAsync<string[]>(
            @"async to => {
                const n = await window.meshnode;
                const good = { chainId: 1, nonce: 0, to, valueWei: '1', maxFeePerGas: '2', maxPriorityFeePerGas: '1', gas: 21000 };
                const tries = [
                  () => n.walletAccounts(['dogecoin']),
                  () => n.walletSignEvmTransfer({ ...good, to: to.replace('C51812dc', 'C51812DC') }),
                  () => n.walletSignEvmTransfer({ ...good, to: '0x1234' }),
                  () => n.walletSignEvmTransfer({ ...good, valueWei: '-1' }),
                  () => n.walletSignEvmTransfer({ ...good, valueWei: '1e18' }),
                  () => n.walletSignEvmTransfer({ ...good, gas: undefined }),
                  () => n.walletSignEvmTransfer({ ...good, chainId: 0 }),
                  () => n.walletSignEvmTransfer({ ...good, data: '0xzz' }),
                ];
                const out = [];
                for (const t of tries) { try { t(); out.push('accepted'); } catch (e) { out.push(e.message); } }
                out.push(n.walletSignEvmTransfer(good).raw.slice(0, 4));
                return out;
            }",
            Recipient);
        Assert.Contains("not a network", messages[0], StringComparison.Ordinal);
        Assert.Contains("EIP-55 checksum", messages[1], StringComparison.Ordinal);
        Assert.Contains("40 hex digits", messages[2], StringComparison.Ordinal);
        Assert.Contains("valueWei", messages[3], StringComparison.Ordinal);
        Assert.Contains("valueWei", messages[4], StringComparison.Ordinal);
        Assert.Contains("gas is missing", messages[5], StringComparison.Ordinal);
        Assert.Contains("chainId", messages[6], StringComparison.Ordinal);
        Assert.DoesNotContain("accepted", messages[7], StringComparison.Ordinal);
        Assert.All(messages[..8], m => Assert.DoesNotContain("   at ", m, StringComparison.Ordinal));
        Assert.Equal("0x02", messages[8]);
    }

    [Fact]
    public async Task No_export_result_and_no_storage_value_holds_the_phrase_the_seed_or_a_private_key()
    {
        string phrase = Phrase();
        HdAccounts host = HostAccounts(phrase);
        IPage page = await OpenedPageAsync(phrase);
        string results = await page.EvaluateAsync<string>(
            @"async ([to, networks]) => {
                const n = await window.meshnode;
                const out = [];
                out.push(JSON.stringify(n.walletAccounts(networks)));
                out.push(JSON.stringify(n.walletSignEvmTransfer({ chainId: 1, nonce: 0, to, valueWei: '1', maxFeePerGas: '2', maxPriorityFeePerGas: '1', gas: 21000 })));
                out.push(JSON.stringify(n.state()));
                const blob = n.takeNewEntries();
                if (blob) out.push(Array.from(blob, b => String.fromCharCode(b)).join(''));
                for (const s of [localStorage, sessionStorage]) {
                  for (let i = 0; i < s.length; i++) out.push(s.key(i) + '=' + s.getItem(s.key(i)));
                }
                for (const { name } of await indexedDB.databases()) out.push('indexedDB ' + name);
                return out.join('\n');
            }",
            new object[] { Recipient, Networks });
        Assert.Contains("0x02", results, StringComparison.Ordinal); // the signed transaction is in the haystack

        var needles = new List<(string Label, byte[] Bytes)>(SecretScanner.BackupCode("the node", phrase));
        Assert.Equal(RecoveryPhraseError.None, Assert.IsType<RecoveryPhrase>(Parsed(phrase)).TrySeed("", out byte[]? seed));
        needles.AddRange(Key("the BIP-39 seed", seed!));
        needles.AddRange(Key("the EVM private key", host.EthereumAccount(0).ExportPrivateKey()));
        foreach (UtxoNetwork network in NetworkValues)
        {
            needles.AddRange(Key($"the {network} private key", host.SegwitAccount(network, 0, 0, 0).ExportPrivateKey()));
        }

        byte[] haystack = Encoding.Latin1.GetBytes(results);
        Assert.Empty(SecretScanner.Scan([("page answers and storage", haystack)], needles));
        // The scan can find: the same haystack with the key appended is caught.
        string leaked = results + Convert.ToHexStringLower(host.EthereumAccount(0).ExportPrivateKey());
        Assert.NotEmpty(SecretScanner.Scan([("leaked", Encoding.Latin1.GetBytes(leaked))], needles));
    }

    private static string Phrase() => RecoveryPhrase.FromIdentity(NodeIdentity.FromRootSecret(Root)).Text;

    private static RecoveryPhrase? Parsed(string phrase)
    {
        Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(phrase, out RecoveryPhrase? parsed, out _));
        return parsed;
    }

    private static HdAccounts HostAccounts(string phrase)
    {
        Assert.Equal(RecoveryPhraseError.None, WalletSeed.TryFromPhrase(Parsed(phrase)!, "", out WalletSeed? seed));
        return seed!.ToAccounts();
    }

    /// <summary>A secret as raw bytes and as hex in both cases.</summary>
    private static IEnumerable<(string Label, byte[] Bytes)> Key(string label, byte[] key) =>
    [
        (label, key),
        ($"{label} as hex", Encoding.UTF8.GetBytes(Convert.ToHexStringLower(key))),
        ($"{label} as HEX", Encoding.UTF8.GetBytes(Convert.ToHexString(key))),
    ];

    /// <summary>A page of the gateway's origin whose node is opened from <paramref name="phrase"/>.</summary>
    private async Task<IPage> OpenedPageAsync(string phrase)
    {
        IPage page = await web.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/icon.svg");
        await page.EvaluateAsync("() => { window.meshnode = import('/meshnode.js').then(m => m.bootNode()); }");
        await page.EvaluateAsync(
            "async code => { const n = await window.meshnode; n.open({ backupCode: code, name: 'Wallet', restoring: false, entries: null, contacts: [], channels: [] }); }",
            phrase);
        return page;
    }
}
