using System.Linq;
using System.Numerics;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Tips;
using MeshMessenger.Wallet.Utxo;
using Xunit;

namespace MeshMessenger.Wallet.Tests.Tips;

/// <summary>Tips paid and checked on real chains: anvil (Ether, ERC-20) and Litecoin Core regtest.</summary>
public sealed class TipTests
{
    private const UtxoNetwork Ltc = UtxoNetwork.LitecoinRegtest;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] PostHash = SHA256.HashData("the tipped post entry"u8);
    private static readonly ChainAddress Stranger = new(EvmDevChain.Anvil, Enumerable.Repeat((byte)0x5a, 20).ToArray());

    private static Profile Author(params ChainAddress[] addresses) =>
        Profile.Of(NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)7, 32).ToArray()), "author", null, addresses, null);

    private static TipBody With(TipBody tip, uint? author = null, byte[]? prefix = null, ChainAddress? recipient = null, byte[]? token = null, bool clearToken = false, BigInteger? amount = null, byte[]? txId = null) =>
        new(author ?? tip.PostAuthor, tip.PostSequence, prefix ?? tip.PostHashPrefix, recipient ?? tip.Recipient, clearToken ? null : token ?? tip.Token,
            amount is BigInteger a ? a.ToByteArray(isUnsigned: true, isBigEndian: true) : tip.Amount, txId ?? tip.TxId);

    private static async Task Refused(TipVerifier verifier, TipBody tip, Profile author, TipRefusal refusal)
    {
        TipVerdict verdict = await verifier.VerifyAsync(tip, author, PostHash, None);
        Assert.Equal((TipOutcome.Invalid, refusal), (verdict.Outcome, verdict.Refusal));
    }

    [Fact]
    public async Task An_ether_tip_verifies_and_every_tampered_field_is_refused_with_its_reason()
    {
        using var chain = new EvmDevChain();
        var home = new ChainAddress(EvmDevChain.Anvil, EvmDevChain.Bytes(chain.Empty));
        var second = new ChainAddress(EvmDevChain.Anvil, Enumerable.Repeat((byte)0x33, 20).ToArray());
        Profile author = Author(home, second);
        BigInteger wei = BigInteger.Pow(10, 16);

        TipBody tip = await new TipSender(chain.Backend).SendEvmAsync(chain.Builder, chain.Funded, author, 5, PostHash, null, wei, None);
        Assert.Equal((author.NodeId, 5u), (tip.PostAuthor, tip.PostSequence));
        Assert.Equal(PostHash[..8], tip.PostHashPrefix);
        Assert.Equal(home, tip.Recipient);
        Assert.Null(tip.Token);
        await chain.Receipt(tip.TxId);
        Assert.Equal(ProtocolErrorNone(tip), tip.Encode());

        var verifier = new TipVerifier(chain.Backend);
        TipVerdict verdict = await verifier.VerifyAsync(tip, author, PostHash, None);
        Assert.Equal((TipOutcome.Confirmed, TipRefusal.None), (verdict.Outcome, verdict.Refusal));
        Assert.True((await verifier.VerifyAsync(tip, author, null, None)).IsConfirmed);

        await Refused(verifier, With(tip, amount: wei + 1), author, TipRefusal.WrongAmount);
        await Refused(verifier, With(tip, recipient: second), author, TipRefusal.WrongRecipient);
        await Refused(verifier, With(tip, recipient: Stranger), author, TipRefusal.RecipientNotInProfile);
        await Refused(verifier, With(tip, token: Enumerable.Repeat((byte)0x77, 20).ToArray()), author, TipRefusal.WrongAsset);
        await Refused(verifier, With(tip, txId: SHA256.HashData("no such transaction"u8)), author, TipRefusal.UnknownTransaction);
        await Refused(verifier, With(tip, prefix: new byte[8]), author, TipRefusal.WrongPost);
        await Refused(verifier, With(tip, author: author.NodeId + 1), author, TipRefusal.WrongPost);
        await Refused(verifier, tip, Profile.Of(NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)8, 32).ToArray()), "other", null, [home], null), TipRefusal.WrongPost);
        await Refused(verifier, With(tip, recipient: new ChainAddress(ChainTag.Evm(1), home.Address)), Author(home, second, new ChainAddress(ChainTag.Evm(1), home.Address)), TipRefusal.WrongChain);
    }

    [Fact]
    public async Task A_token_tip_verifies_and_an_unmined_tip_is_pending()
    {
        using var chain = new EvmDevChain();
        byte[] token = await chain.DeployToken(1_000_000);
        var home = new ChainAddress(EvmDevChain.Anvil, EvmDevChain.Bytes(chain.Empty));
        Profile author = Author(home);
        var sender = new TipSender(chain.Backend);
        var verifier = new TipVerifier(chain.Backend);

        TipBody tokenTip = await sender.SendEvmAsync(chain.Builder, chain.Funded, author, 1, PostHash, token, 250, None);
        await chain.Receipt(tokenTip.TxId);
        Assert.True((await verifier.VerifyAsync(tokenTip, author, PostHash, None)).IsConfirmed);
        await Refused(verifier, With(tokenTip, clearToken: true), author, TipRefusal.WrongAsset);
        await Refused(verifier, With(tokenTip, amount: 251), author, TipRefusal.WrongAmount);

        await chain.Call("evm_setAutomine", false);
        TipBody ether = await sender.SendEvmAsync(chain.Builder, chain.Funded, author, 2, PostHash, null, 1000, None);
        TipBody tokenPending = await sender.SendEvmAsync(chain.Builder, chain.Funded, author, 3, PostHash, token, 5, None);
        Assert.Equal(TipOutcome.Pending, (await verifier.VerifyAsync(ether, author, PostHash, None)).Outcome);
        Assert.Equal(TipOutcome.Pending, (await verifier.VerifyAsync(tokenPending, author, PostHash, None)).Outcome);
        await chain.Mine();
        Assert.True((await verifier.VerifyAsync(ether, author, PostHash, None)).IsConfirmed);
        Assert.True((await verifier.VerifyAsync(tokenPending, author, PostHash, None)).IsConfirmed);
    }

    [Fact]
    public async Task A_litecoin_tip_is_pending_in_the_mempool_then_confirmed_and_tampering_is_refused()
    {
        using LocalLitecoinNode node = await LocalLitecoinNode.StartAsync();
        var backend = new UtxoChainBackend(node.Rpc, Ltc);
        var accounts = UtxoSpendTests.Accounts();
        SegwitAccount funded = accounts.SegwitAccount(Ltc, 0, 0, 0);
        string burn = UtxoAddressText.Encode(Ltc, new NBitcoin.Key().PubKey.WitHash.ToBytes());
        await node.MineAsync(1, funded.Address);
        await node.MineAsync(100, burn);
        var home = new ChainAddress(backend.Chain, UtxoAddressText.Parse(accounts.SegwitAccount(Ltc, 1, 0, 0).Address, Ltc).Bytes);
        var second = new ChainAddress(backend.Chain, UtxoAddressText.Parse(accounts.SegwitAccount(Ltc, 1, 0, 1).Address, Ltc).Bytes);
        Profile author = Author(home, second);
        var coins = (await backend.UnspentAsync(UtxoAddressText.Parse(funded.Address).Bytes, None)).Select(o => new SpendableOutput(o, funded)).ToList();

        TipBody tip = await new TipSender(backend).SendUtxoAsync(Ltc, coins, accounts.SegwitAccount(Ltc, 0, 1, 0), 2, author, 9, PostHash, 1_000_000, None);
        var verifier = new TipVerifier(backend);
        Assert.Equal(TipOutcome.Pending, (await verifier.VerifyAsync(tip, author, PostHash, None)).Outcome);
        await node.MineAsync(1, burn);
        Assert.True((await verifier.VerifyAsync(tip, author, PostHash, None)).IsConfirmed);
        await Refused(verifier, With(tip, amount: 999_999), author, TipRefusal.WrongAmount);
        await Refused(verifier, With(tip, recipient: second), author, TipRefusal.WrongRecipient);
        await Refused(verifier, With(tip, txId: SHA256.HashData("nothing"u8)), author, TipRefusal.UnknownTransaction);
        await Refused(verifier, tip, Author(second), TipRefusal.RecipientNotInProfile);
    }

    private static byte[] ProtocolErrorNone(TipBody tip)
    {
        Assert.Equal(Protocol.ProtocolError.None, TipBody.TryDecode(tip.Encode(), out TipBody? back));
        return back!.Encode();
    }
}
