using System;
using System.Linq;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Mesh;
using MeshMessenger.Wallet.Tips;
using MeshMessenger.Wallet.Utxo;
using Xunit;

namespace MeshMessenger.Wallet.Tests.Mesh;

/// <summary>
/// Payments over the mesh end to end: the wallet's <see cref="MeshChainBackend"/> on one MessengerNode, the real
/// <see cref="Relay.ChainRelay"/> on a gateway MessengerNode (RelayMeshHarness) in front of real anvil and real
/// Litecoin Core regtest. Both ends of the wire agree: reads, broadcasts, statuses until Final, Transfer answers
/// listing every output, unknown transactions, reverted ones, failover, and sealing against a bystander.
/// </summary>
public sealed class MeshPaymentsTests
{
    private const UtxoNetwork Ltc = UtxoNetwork.LitecoinRegtest;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] PostHash = SHA256.HashData("the tipped post entry"u8);

    private static Profile Author(params ChainAddress[] addresses) =>
        Profile.Of(NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)7, 32).ToArray()), "author", null, addresses, null);

    private static CancellationToken Within(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task Ether_built_and_sent_over_the_mesh_reaches_final_and_a_bystander_cannot_open_the_statuses()
    {
        using var chain = new EvmDevChain();
        using var mesh = new RelayMeshHarness(chain.Backend);
        using var backend = new MeshChainBackend(mesh.Link, EvmDevChain.Anvil, TimeSpan.FromSeconds(30), [mesh.Gateway.Id]);
        byte[] to = EvmDevChain.Bytes(chain.Empty);
        BigInteger wei = BigInteger.Pow(10, 17);

        // Nonce, fees and balance read over the mesh; signed here; broadcast over the mesh.
        EvmSignedTransfer signed = await new EvmTransfer(backend).EtherAsync(chain.Funded, to, wei, None);
        Assert.Equal(await chain.Backend.NonceAsync(EvmDevChain.Bytes(chain.Funded), None), signed.Transaction.Nonce);
        byte[] txId = await backend.BroadcastAsync(signed.Raw, None);
        Assert.Equal(signed.Hash, txId);
        await chain.Receipt(txId);
        await chain.Mine(3); // anvil's 'finalized' is two blocks behind the head

        ChainStatusBody final = await backend.WaitForStageAsync(txId, ChainStatusKind.Final, Within(30));
        Assert.Equal(ChainStatusKind.Final, final.Kind);
        Assert.Equal(txId, final.TxId);
        Assert.Equal(wei, await backend.BalanceAsync(to, null, None));
        Assert.Equal(TransactionStage.Final, (await backend.StateAsync(txId, None)).Stage);
        TransferFacts paid = Assert.Single((await backend.TransferAsync(txId, None))!);
        Assert.Equal(to, paid.Recipient);
        Assert.Null(paid.Token);
        Assert.Equal((wei, TransactionStage.Final), (paid.Amount, paid.State.Stage));
        Assert.Equal(
            [ChainRequestKind.Fees, ChainRequestKind.Balance, ChainRequestKind.Nonce, ChainRequestKind.Broadcast],
            mesh.Seen(mesh.GatewayRequests).Take(4).Select(r => r.Kind));

        // A transaction the chain does not know: Dropped on the wire, Unknown / null for the wallet.
        byte[] unknown = SHA256.HashData("no such transaction"u8);
        Assert.Equal(TransactionStage.Unknown, (await backend.StateAsync(unknown, None)).Stage);
        Assert.Null(await backend.TransferAsync(unknown, None));

        // The bystander stores the gateway's statuses (it carries the chain) but opens none of them; the wallet can.
        lock (mesh.Sync)
        {
            Assert.True(mesh.Bystander.Chains.Store.TryGetRange(mesh.Gateway.Id, out uint low, out uint high));
            var statuses = Enumerable.Range((int)low, (int)(high - low + 1))
                .Select(s => mesh.Bystander.Chains.Store.Get(mesh.Gateway.Id, (uint)s)?.Entry)
                .Where(e => e?.Kind == EntryKind.ChainStatus)
                .ToList();
            Assert.True(statuses.Count >= 8, $"{statuses.Count} statuses stored");
            Profile gateway = mesh.Gateway.Profile;
            byte[] bystanderKey = DirectKey.Derive(mesh.BystanderIdentity, gateway, mesh.Bystander.Profile)!;
            byte[] walletKey = DirectKey.Derive(mesh.WalletIdentity, gateway, mesh.Wallet.Profile)!;
            Assert.All(statuses, e => Assert.Null(BodyCipher.Open(bystanderKey, e!)));
            Assert.All(statuses, e => Assert.NotNull(BodyCipher.Open(walletKey, e!)));
            Assert.DoesNotContain(EntryKind.ChainStatus, mesh.BystanderPayments);
            Assert.DoesNotContain(EntryKind.ChainRequest, mesh.BystanderPayments);
        }

        Assert.Empty(mesh.Faults);
    }

    [Fact]
    public async Task Token_tip_over_the_mesh_is_confirmed_and_a_reverted_one_is_transaction_failed()
    {
        using var chain = new EvmDevChain();
        using var mesh = new RelayMeshHarness(chain.Backend);
        using var backend = new MeshChainBackend(mesh.Link, EvmDevChain.Anvil, TimeSpan.FromSeconds(30), [mesh.Gateway.Id]);
        byte[] token = await chain.DeployToken(1_000_000);
        var home = new ChainAddress(EvmDevChain.Anvil, EvmDevChain.Bytes(chain.Empty));
        Profile author = Author(home);
        var verifier = new TipVerifier(backend);

        // Built over the mesh (no eth_estimateGas there: the fixed EvmTransfer.TokenTransferGas), sent and checked over the mesh.
        var builder = new EvmTransfer(backend);
        TipBody tip = await new TipSender(backend).SendEvmAsync(builder, chain.Funded, author, 1, PostHash, token, 250, None);
        JsonNode receipt = await chain.Receipt(tip.TxId);
        Assert.Equal("0x1", receipt["status"]!.GetValue<string>());

        // The fixed limit covers the real cost of a transfer to a fresh holder (OpenZeppelin ERC-20 on anvil) with at
        // least half again as margin; the limit was the signed one.
        ulong gasUsed = Convert.ToUInt64(receipt["gasUsed"]!.GetValue<string>()[2..], 16);
        Assert.InRange(gasUsed, 21_000UL, EvmTransfer.TokenTransferGas * 2 / 3);
        JsonNode sent = (await chain.Call("eth_getTransactionByHash", "0x" + Convert.ToHexStringLower(tip.TxId)))!;
        Assert.Equal(EvmTransfer.TokenTransferGas, Convert.ToUInt64(sent["gas"]!.GetValue<string>()[2..], 16));

        // A nonce floor above the gateway's answer wins (a payment sent moments ago); one below it does not.
        ulong pending = await chain.Backend.NonceAsync(EvmDevChain.Bytes(chain.Funded), None);
        Assert.Equal(pending + 3, (ulong)(await builder.TokenAsync(chain.Funded, token, home.Address, 1, pending + 3, None)).Transaction.Nonce);
        Assert.Equal(pending, (ulong)(await builder.EtherAsync(chain.Funded, home.Address, 1, pending - 1, None)).Transaction.Nonce);
        TipVerdict verdict = await verifier.VerifyAsync(tip, author, PostHash, None);
        Assert.Equal((TipOutcome.Confirmed, TipRefusal.None), (verdict.Outcome, verdict.Refusal));
        Assert.Equal(TipRefusal.WrongAmount, (await verifier.VerifyAsync(TipSender.Compose(tip.PostAuthor, 1, PostHash, home, token, 251, tip.TxId), author, PostHash, None)).Refusal);
        Assert.Equal(TipRefusal.UnknownTransaction, (await verifier.VerifyAsync(TipSender.Compose(tip.PostAuthor, 1, PostHash, home, token, 250, new byte[32]), author, PostHash, None)).Refusal);

        // More tokens than the sender holds: the call reverts, mined, pays nothing. The gateway answers the Transfer
        // read with the transaction's status (no Answer), the wallet reads "no payment", the verifier asks its state.
        var fees = await chain.Backend.FeesAsync(None);
        ulong nonce = await chain.Backend.NonceAsync(EvmDevChain.Bytes(chain.Funded), None);
        Assert.True(EthereumAddress.TryParse(EvmAddressText.Format(token), out EthereumAddress? contract, out _));
        var call = new Eip1559Transaction(31337, nonce, fees.PriorityFeePerGas, EvmTransfer.MaxFee(fees.BaseFeePerGas, fees.PriorityFeePerGas), 100_000,
            contract, 0, Erc20Abi.Transfer(home.Address, 2_000_000));
        SignedTransaction reverting = call.Sign(LocalDevChain.Account0Key);
        TipBody reverted = await new TipSender(backend).SendAsync(reverting.Raw, author, 2, PostHash, token, 2_000_000, None);
        Assert.Equal("0x0", (await chain.Receipt(reverted.TxId))["status"]!.GetValue<string>());
        Assert.Empty((await backend.TransferAsync(reverted.TxId, None))!);
        verdict = await verifier.VerifyAsync(reverted, author, PostHash, None);
        Assert.Equal((TipOutcome.Invalid, TipRefusal.TransactionFailed), (verdict.Outcome, verdict.Refusal));
        Assert.Empty(mesh.Faults);
    }

    [Fact]
    public async Task Litecoin_tip_with_change_over_the_mesh_shows_both_outputs_and_is_confirmed()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        var direct = new UtxoChainBackend(node.Rpc, Ltc);
        using var mesh = new RelayMeshHarness(direct);
        using var backend = new MeshChainBackend(mesh.Link, direct.Chain, TimeSpan.FromSeconds(30), [mesh.Gateway.Id]);
        var accounts = UtxoSpendTests.Accounts();
        SegwitAccount funded = accounts.SegwitAccount(Ltc, 0, 0, 0);
        SegwitAccount change = accounts.SegwitAccount(Ltc, 0, 1, 0);
        string burn = UtxoAddressText.Encode(Ltc, new NBitcoin.Key().PubKey.WitHash.ToBytes());
        await node.MineAsync(1, funded.Address);
        await node.MineAsync(100, burn); // COINBASE_MATURITY
        var home = new ChainAddress(direct.Chain, UtxoAddressText.Parse(accounts.SegwitAccount(Ltc, 1, 0, 0).Address, Ltc).Bytes);
        var changeAddress = new ChainAddress(direct.Chain, UtxoAddressText.Parse(change.Address, Ltc).Bytes);
        Profile author = Author(home, changeAddress);

        // The coins are read over the mesh too.
        var coins = (await backend.UnspentAsync(UtxoAddressText.Parse(funded.Address).Bytes, None)).Select(o => new SpendableOutput(o, funded)).ToList();
        Assert.NotEmpty(coins);
        TipBody tip = await new TipSender(backend).SendUtxoAsync(Ltc, coins, change, 2, author, 9, PostHash, 1_000_000, None);
        var verifier = new TipVerifier(backend);
        Assert.Equal(TipOutcome.Pending, (await verifier.VerifyAsync(tip, author, PostHash, None)).Outcome);
        await node.MineAsync(1, burn);

        TransferFacts[] outputs = [.. (await backend.TransferAsync(tip.TxId, None))!];
        Assert.Equal(2, outputs.Length); // the tip and the change, in one answer
        Assert.Equal(1, outputs.Count(o => o.Recipient.AsSpan().SequenceEqual(home.Address) && o.Amount == 1_000_000));
        TransferFacts changeOutput = Assert.Single(outputs, o => o.Recipient.AsSpan().SequenceEqual(changeAddress.Address));
        Assert.All(outputs, o => Assert.Equal(TransactionStage.Included, o.State.Stage));

        // Whichever output index the tip took, both outputs verify: a "tip" naming the change output is confirmed too.
        Assert.True((await verifier.VerifyAsync(tip, author, PostHash, None)).IsConfirmed);
        TipBody changeTip = TipSender.Compose(tip.PostAuthor, 9, PostHash, changeAddress, null, changeOutput.Amount, tip.TxId);
        Assert.True((await verifier.VerifyAsync(changeTip, author, PostHash, None)).IsConfirmed);
        Assert.Equal(TipRefusal.UnknownTransaction, (await verifier.VerifyAsync(TipSender.Compose(tip.PostAuthor, 9, PostHash, home, null, 1_000_000, SHA256.HashData("nothing"u8)), author, PostHash, None)).Refusal);
        Assert.Empty(mesh.Faults);
    }

    [Fact]
    public async Task A_gateway_that_never_answers_is_skipped_and_the_next_gets_the_same_signed_bytes()
    {
        using var chain = new EvmDevChain();
        using var mesh = new RelayMeshHarness(chain.Backend);
        using var backend = new MeshChainBackend(mesh.Link, EvmDevChain.Anvil, TimeSpan.FromSeconds(2), [mesh.Silent.Id, mesh.Gateway.Id]);
        EvmSignedTransfer signed = await chain.Builder.EtherAsync(chain.Funded, EvmDevChain.Bytes(chain.Empty), 12345, None);

        byte[] txId = await backend.BroadcastAsync(signed.Raw, None);
        Assert.Equal(signed.Hash, txId);
        Assert.Equal(mesh.Gateway.Id, backend.LastGateway);
        ChainRequestBody toSilent = Assert.Single(mesh.Seen(mesh.SilentRequests));
        ChainRequestBody toGateway = Assert.Single(mesh.Seen(mesh.GatewayRequests));
        Assert.Equal((ChainRequestKind.Broadcast, ChainRequestKind.Broadcast), (toSilent.Kind, toGateway.Kind));
        Assert.Equal(signed.Raw, toSilent.Payload);
        Assert.Equal(signed.Raw, toGateway.Payload);
        ChainStatusBody included = await backend.WaitForStageAsync(txId, ChainStatusKind.Included, Within(30));
        Assert.Contains(included.Kind, new[] { ChainStatusKind.Included, ChainStatusKind.Final });
        Assert.Empty(mesh.Faults);
    }
}
