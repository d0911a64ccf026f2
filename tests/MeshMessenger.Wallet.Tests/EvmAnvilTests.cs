using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Amounts;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using Xunit;

namespace MeshMessenger.Wallet.Tests;

/// <summary>The EVM side against a real anvil: every number below is read back from the chain.</summary>
public sealed class EvmAnvilTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    [Fact]
    public async Task Ether_goes_to_a_wallet_account_and_back_and_the_chain_reports_it()
    {
        using var chain = new EvmDevChain();
        byte[] wallet = EvmDevChain.Bytes(chain.Empty);
        Assert.Equal(BigInteger.Zero, await chain.Backend.BalanceAsync(wallet, null, None));
        Assert.Equal(10_000 * Ether, await chain.Backend.BalanceAsync(EvmDevChain.Bytes(chain.Funded), null, None)); // anvil funds its dev accounts with 10 000 ETH

        EvmSignedTransfer pay = await chain.Builder.EtherAsync(chain.Funded, wallet, Ether, None);
        Assert.Equal(EvmTransfer.EtherTransferGas, (ulong)pay.Transaction.Gas);
        Assert.Equal(pay.Hash, await chain.Backend.BroadcastAsync(pay.Raw, None));
        await chain.Receipt(pay.Hash);
        Assert.Equal(Ether, await chain.Backend.BalanceAsync(wallet, null, None));

        TransactionState included = await chain.Backend.StateAsync(pay.Hash, None);
        Assert.Equal(TransactionStage.Included, included.Stage);
        Assert.Equal(1u, included.Confirmations);
        IReadOnlyList<TransferFacts> facts = (await chain.Backend.TransferAsync(pay.Hash, None))!;
        TransferFacts fact = Assert.Single(facts);
        Assert.Equal(wallet, fact.Recipient);
        Assert.Null(fact.Token);
        Assert.Equal(Ether, fact.Amount);

        // anvil with --slots-in-an-epoch 1 reports 'finalized' = head - 2 (epoch boundaries of one slot, two epochs back).
        await chain.Mine(2);
        TransactionState final = await chain.Backend.StateAsync(pay.Hash, None);
        Assert.Equal(TransactionStage.Final, final.Stage);
        Assert.Equal(3u, final.Confirmations);

        BigInteger half = AssetAmount.Parse("0.5", 18);
        EvmSignedTransfer back = await chain.Builder.EtherAsync(chain.Empty, EvmDevChain.Bytes(chain.Funded), half, None);
        await chain.Backend.BroadcastAsync(back.Raw, None);
        JsonNode receipt = await chain.Receipt(back.Hash);
        BigInteger gasPaid = Hex(receipt["gasUsed"]) * Hex(receipt["effectiveGasPrice"]);
        Assert.Equal(Ether - half - gasPaid, await chain.Backend.BalanceAsync(wallet, null, None));
        Assert.Equal(1UL, await chain.Backend.NonceAsync(wallet, None));
    }

    [Fact]
    public async Task Erc20_transfer_reads_decimals_and_symbol_and_reports_the_transfer_log()
    {
        using var chain = new EvmDevChain();
        BigInteger supply = AssetAmount.Parse("1000000", 6);
        byte[] token = await chain.DeployToken(supply);
        Assert.Equal(6, await chain.Backend.DecimalsAsync(token, None));
        Assert.Equal("MTT", await chain.Backend.SymbolAsync(token, None));
        Assert.Equal(supply, await chain.Backend.BalanceAsync(EvmDevChain.Bytes(chain.Funded), token, None));

        byte[] wallet = EvmDevChain.Bytes(chain.Empty);
        BigInteger amount = AssetAmount.Parse("1.5", await chain.Backend.DecimalsAsync(token, None));
        Assert.Equal(new BigInteger(1_500_000), amount);
        EvmSignedTransfer pay = await chain.Builder.TokenAsync(chain.Funded, token, wallet, amount, None);
        Assert.Equal(Erc20Abi.Transfer(wallet, amount), pay.Transaction.Data);
        Assert.Equal("a9059cbb", Convert.ToHexStringLower(pay.Transaction.Data[..4])); // transfer(address,uint256), EIP-20
        await chain.Backend.BroadcastAsync(pay.Raw, None);
        await chain.Receipt(pay.Hash);

        Assert.Equal(amount, await chain.Backend.BalanceAsync(wallet, token, None));
        Assert.Equal(supply - amount, await chain.Backend.BalanceAsync(EvmDevChain.Bytes(chain.Funded), token, None));
        TransferFacts fact = Assert.Single((await chain.Backend.TransferAsync(pay.Hash, None))!);
        Assert.Equal(wallet, fact.Recipient);
        Assert.Equal(token, fact.Token);
        Assert.Equal(amount, fact.Amount);
        Assert.Equal(TransactionStage.Included, fact.State.Stage);
        JsonNode receipt = await chain.Receipt(pay.Hash);
        Assert.True(Hex(receipt["gasUsed"]) <= pay.Transaction.Gas);
    }

    [Fact]
    public async Task A_reverted_token_transfer_pays_nothing_and_an_unknown_hash_is_null()
    {
        using var chain = new EvmDevChain();
        byte[] token = await chain.DeployToken(100);
        // Signed by hand past the builder's balance check: transfer 101 of 100 reverts on chain (ERC20InsufficientBalance).
        var fees = await chain.Backend.FeesAsync(None);
        var tx = new Eip1559Transaction(31337, await chain.Backend.NonceAsync(EvmDevChain.Bytes(chain.Funded), None), fees.PriorityFeePerGas,
            EvmTransfer.MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas), 100_000, Address(token), 0, Erc20Abi.Transfer(EvmDevChain.Bytes(chain.Empty), 101));
        SignedTransaction signed = tx.Sign(chain.Funded.ExportPrivateKey());
        await chain.Backend.BroadcastAsync(signed.Raw, None);
        Assert.Equal("0x0", (await chain.Receipt(signed.Hash))["status"]!.GetValue<string>());
        Assert.Empty((await chain.Backend.TransferAsync(signed.Hash, None))!);
        Assert.Null(await chain.Backend.TransferAsync(new byte[32], None));
        Assert.Equal(TransactionStage.Unknown, (await chain.Backend.StateAsync(new byte[32], None)).Stage);
    }

    [Fact]
    public async Task Insufficient_funds_are_refused_before_signing_naming_both_numbers_and_the_node_refuses_them_too()
    {
        using var chain = new EvmDevChain();
        byte[] wallet = EvmDevChain.Bytes(chain.Empty);
        var e = await Assert.ThrowsAsync<WalletException>(() => chain.Builder.EtherAsync(chain.Empty, EvmDevChain.Bytes(chain.Funded), 1, None));
        Assert.Equal(WalletError.InsufficientFunds, e.Error);
        Assert.Contains("has 0 wei", e.Message, StringComparison.Ordinal);

        byte[] token = await chain.DeployToken(1_000);
        e = await Assert.ThrowsAsync<WalletException>(() => chain.Builder.TokenAsync(chain.Empty, token, EvmDevChain.Bytes(chain.Funded), 1, None));
        Assert.Equal(WalletError.InsufficientFunds, e.Error);
        Assert.Contains("needs 1 token units", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds 0", e.Message, StringComparison.Ordinal);

        // Tokens but no Ether for gas.
        EvmSignedTransfer tokens = await chain.Builder.TokenAsync(chain.Funded, token, wallet, 10, None);
        await chain.Backend.BroadcastAsync(tokens.Raw, None);
        await chain.Receipt(tokens.Hash);
        e = await Assert.ThrowsAsync<WalletException>(() => chain.Builder.TokenAsync(chain.Empty, token, EvmDevChain.Bytes(chain.Funded), 10, None));
        Assert.Equal(WalletError.InsufficientFunds, e.Error);
        Assert.Contains("of gas", e.Message, StringComparison.Ordinal);

        // The node's own refusal, for a transaction signed past the check, comes back as NodeRefused with its words.
        var tx = new Eip1559Transaction(31337, 0, 1, 10_000_000_000, 21_000, chain.Funded.Address, Ether, []);
        e = await Assert.ThrowsAsync<WalletException>(() => chain.Backend.BroadcastAsync(tx.Sign(chain.Empty.ExportPrivateKey()).Raw, None));
        Assert.Equal(WalletError.NodeRefused, e.Error);
        Assert.Contains("insufficient funds", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_node_on_another_chain_is_the_wrong_chain_and_a_closed_port_is_unavailable()
    {
        using var chain = new EvmDevChain();
        var mainnet = new EvmChainBackend(ChainTag.Evm(1), chain.Rpc);
        var e = await Assert.ThrowsAsync<WalletException>(() => new EvmTransfer(mainnet).EtherAsync(chain.Funded, EvmDevChain.Bytes(chain.Empty), 1, None));
        Assert.Equal(WalletError.WrongChain, e.Error);
        Assert.Contains("31337", e.Message, StringComparison.Ordinal);
        Assert.Equal(WalletError.WrongChain, (await Assert.ThrowsAsync<WalletException>(() => mainnet.BalanceAsync(EvmDevChain.Bytes(chain.Empty), null, None))).Error);
        Assert.Equal(WalletError.WrongChain, Assert.Throws<WalletException>(() => new EvmChainBackend(ChainTag.Utxo(0), chain.Rpc)).Error);

        using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var closed = new EvmChainBackend(EvmDevChain.Anvil, new Anchoring.Rpc.EthereumRpcClient(http, new Uri("http://127.0.0.1:9/")));
        Assert.Equal(WalletError.Unavailable, (await Assert.ThrowsAsync<WalletException>(() => closed.FeesAsync(None))).Error);
    }

    [Fact]
    public async Task Same_nonce_replacement_needs_both_fees_ten_percent_higher_and_anvil_keeps_the_replacement()
    {
        using var chain = new EvmDevChain();
        await chain.Call("evm_setAutomine", false);
        byte[] wallet = EvmDevChain.Bytes(chain.Empty);
        EvmSignedTransfer first = await chain.Builder.EtherAsync(chain.Funded, wallet, Ether, None);
        await chain.Backend.BroadcastAsync(first.Raw, None);
        Assert.Equal(TransactionStage.Pending, (await chain.Backend.StateAsync(first.Hash, None)).Stage);
        Assert.Equal(Ether, Assert.Single((await chain.Backend.TransferAsync(first.Hash, None))!).Amount); // pending Ether: from the transaction

        Eip1559Transaction old = first.Transaction;
        BigInteger lowTip = old.MaxPriorityFeePerGas * 105 / 100;
        BigInteger lowFee = old.MaxFeePerGas * 105 / 100;
        var e = Assert.Throws<WalletException>(() => EvmTransfer.Replace(chain.Funded, first, lowTip, lowFee));
        Assert.Equal(WalletError.FeeTooLow, e.Error);
        Assert.Equal(WalletError.FeeTooLow, Assert.Throws<WalletException>(() => EvmTransfer.Replace(chain.Funded, first, old.MaxPriorityFeePerGas * 2, old.MaxFeePerGas)).Error);

        // anvil's own pool is laxer than geth's (any higher fee replaces; see README): a 5 % bump signed past the
        // builder is accepted there, and a resubmission at the same fees is refused as underpriced.
        SignedTransaction sameFees = (old with { Value = old.Value - 1 }).Sign(chain.Funded.ExportPrivateKey());
        e = await Assert.ThrowsAsync<WalletException>(() => chain.Backend.BroadcastAsync(sameFees.Raw, None));
        Assert.Equal(WalletError.NodeRefused, e.Error);
        Assert.Contains("underpriced", e.Message, StringComparison.OrdinalIgnoreCase);
        SignedTransaction fivePercent = (old with { MaxPriorityFeePerGas = lowTip, MaxFeePerGas = lowFee }).Sign(chain.Funded.ExportPrivateKey());
        Assert.Equal(fivePercent.Hash, await chain.Backend.BroadcastAsync(fivePercent.Raw, None));

        EvmSignedTransfer bumped = await chain.Builder.BumpAsync(chain.Funded, first, None);
        Assert.Equal(old.Nonce, bumped.Transaction.Nonce);
        Assert.True(bumped.Transaction.MaxFeePerGas >= EvmTransfer.MinimumReplacementFee(old.MaxFeePerGas));
        Assert.True(bumped.Transaction.MaxPriorityFeePerGas >= EvmTransfer.MinimumReplacementFee(old.MaxPriorityFeePerGas));
        await chain.Backend.BroadcastAsync(bumped.Raw, None);
        await chain.Mine();
        await chain.Receipt(bumped.Hash);

        Assert.Equal(TransactionStage.Included, (await chain.Backend.StateAsync(bumped.Hash, None)).Stage);
        Assert.Equal(TransactionStage.Unknown, (await chain.Backend.StateAsync(first.Hash, None)).Stage);
        Assert.Equal(TransactionStage.Unknown, (await chain.Backend.StateAsync(fivePercent.Hash, None)).Stage);
        Assert.Equal(Ether, await chain.Backend.BalanceAsync(wallet, null, None));
        e = await Assert.ThrowsAsync<WalletException>(() => chain.Backend.BroadcastAsync(first.Raw, None));
        Assert.Equal(WalletError.NodeRefused, e.Error);
        Assert.Contains("nonce too low", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_reorg_that_drops_an_included_transfer_shows_and_the_kept_raw_transaction_is_mined_again()
    {
        using var chain = new EvmDevChain();
        byte[] wallet = EvmDevChain.Bytes(chain.Empty);
        EvmSignedTransfer pay = await chain.Builder.EtherAsync(chain.Funded, wallet, Ether, None);
        await chain.Backend.BroadcastAsync(pay.Raw, None);
        await chain.Receipt(pay.Hash);
        TransactionState before = await chain.Backend.StateAsync(pay.Hash, None);
        Assert.Equal(TransactionStage.Included, before.Stage);

        await chain.Call("anvil_reorg", 1, new JsonArray()); // replaces the head block with an empty one (anvil_reorg(depth, txs))
        TransactionState after = await chain.Backend.StateAsync(pay.Hash, None);
        Assert.Equal(TransactionStage.Unknown, after.Stage);
        Assert.Equal(BigInteger.Zero, await chain.Backend.BalanceAsync(wallet, null, None));

        // anvil 1.7.1 does not return a reorged-out transaction to its pool: the chain no longer knows it at all.
        Assert.Null(await chain.Backend.TransferAsync(pay.Hash, None));
        Assert.Equal(pay.Hash, await chain.Backend.BroadcastAsync(pay.Raw, None));
        await chain.Receipt(pay.Hash);
        Assert.Equal(TransactionStage.Included, (await chain.Backend.StateAsync(pay.Hash, None)).Stage);
        Assert.Equal(Ether, await chain.Backend.BalanceAsync(wallet, null, None));
    }

    [Fact]
    public void The_token_fixture_is_reproducible_with_solc_0_8_37()
    {
        string root = RepositoryRoot();
        string modules = Path.Combine(root, ".tools", "solc", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(modules, "solc")), "solc-js is not installed: run tests/setup.sh");
        var start = new ProcessStartInfo("node", [Path.Combine(root, "tests", "fixtures", "erc20", "compile.mjs"), modules]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process node = Process.Start(start)!;
        string output = node.StandardOutput.ReadToEnd();
        string errors = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, errors);
        JsonNode fresh = JsonNode.Parse(output)!;
        JsonNode kept = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "tests", "fixtures", "erc20", "MeshTestToken.json")))!;
        Assert.Equal(kept["bytecode"]!.GetValue<string>(), fresh["bytecode"]!.GetValue<string>());
        Assert.Equal(kept["abi"]!.ToJsonString(), fresh["abi"]!.ToJsonString());
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "tests", "fixtures", "erc20", "compile.mjs")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository root (with tests/fixtures/erc20) is not above the test assembly");
    }

    private static EthereumAddress Address(byte[] bytes)
    {
        Assert.True(EthereumAddress.TryParse(EvmAddressText.Format(bytes), out EthereumAddress? address, out _));
        return address!;
    }

    private static BigInteger Hex(JsonNode? node) =>
        BigInteger.Parse("0" + node!.GetValue<string>()[2..], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
}
