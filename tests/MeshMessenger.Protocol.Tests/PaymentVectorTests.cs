using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>tests/vectors/protocol/payments-v1.txt: bytes written by hand from docs/protocol.md, "Payments".</summary>
public sealed class PaymentVectorTests
{
    private static readonly Dictionary<string, Dictionary<string, string>> File = Load();

    private static readonly byte[] Evm = Fill(0x11, 20);
    private static readonly byte[] Token = Fill(0x33, 20);

    private static Dictionary<string, Dictionary<string, string>> Load()
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (string raw in System.IO.File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "vectors", "protocol", "payments-v1.txt")))
        {
            string line = raw.TrimEnd();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                result[line[1..^1]] = current = [];
                continue;
            }

            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            current![line[..eq]] = line[(eq + 3)..];
        }

        return result;
    }

    private static byte[] V(string section, string key) => Convert.FromHexString(File[section][key]);

    private static byte[] Fill(byte b, int n) => Enumerable.Repeat(b, n).ToArray();

    private static byte[] Write(Action<ByteWriter> write)
    {
        var w = new ByteWriter(512);
        write(w);
        return w.ToArray();
    }

    [Theory]
    [InlineData("eip155_1", "eip155:1")]
    [InlineData("eip155_11155111", "eip155:11155111")]
    [InlineData("eip155_31337", "eip155:31337")]
    [InlineData("bitcoin", "bitcoin")]
    [InlineData("litecoin", "litecoin")]
    [InlineData("litecoin_regtest", "litecoin-regtest")]
    public void Chain_tags_match_the_vectors(string key, string text)
    {
        ChainTag tag = ChainTag.Parse(text)!;
        byte[] expected = V("chain tag", key);
        Assert.Equal(expected, Write(tag.Write));
        Assert.Equal(ProtocolError.None, ChainTag.TryRead(new ByteReader(expected, 0, expected.Length), out ChainTag? read));
        Assert.Equal(text, read!.ToText());
    }

    [Fact]
    public void Chain_addresses_match_the_vectors()
    {
        Assert.Equal(V("chain address", "evm"), Write(new ChainAddress(ChainTag.Evm(1), Evm).Write));
        Assert.Equal(V("chain address", "litecoin"), Write(new ChainAddress(ChainTag.Utxo(4), [0, .. Fill(0x22, 20)]).Write));
    }

    [Fact]
    public void Profile_with_addresses_and_served_chains_matches_the_vector()
    {
        ChainAddress[] addresses = [new(ChainTag.Evm(1), Evm), new(ChainTag.Utxo(4), [0, .. Fill(0x22, 20)])];
        ChainTag[] served = [ChainTag.Evm(31337), ChainTag.Utxo(5)];
        Profile profile = Profile.Of(Identities.Fixed(1), File["profile alice with addresses and served chains"]["name_text"], null, addresses, served);
        byte[] expected = V("profile alice with addresses and served chains", "profile");
        Assert.Equal(expected, profile.Encode());
        Assert.Equal(expected.Length, profile.EncodedSize);

        var reader = new ByteReader(expected, 0, expected.Length);
        Assert.Equal(ProtocolError.None, Profile.TryRead(reader, out Profile? read));
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(addresses, read!.Addresses);
        Assert.Equal(served, read.ServedChains);
        Assert.Null(read.Wallet);
    }

    [Fact]
    public void Chain_requests_match_the_vectors()
    {
        Assert.Equal(V("chain request", "balance_token"), new ChainRequestBody(ChainRequestKind.Balance, ChainTag.Evm(1), [.. Evm, .. Token]).Encode());
        Assert.Equal(V("chain request", "broadcast"), new ChainRequestBody(ChainRequestKind.Broadcast, ChainTag.Utxo(5), [0xde, 0xad, 0xbe, 0xef]).Encode());
        Assert.Equal(V("chain request", "fees"), new ChainRequestBody(ChainRequestKind.Fees, ChainTag.Evm(31337), []).Encode());
        foreach (string key in File["chain request"].Keys)
        {
            byte[] bytes = V("chain request", key);
            Assert.Equal(ProtocolError.None, ChainRequestBody.TryDecode(bytes, out ChainRequestBody? body));
            Assert.Equal(bytes, body!.Encode());
        }
    }

    [Fact]
    public void Chain_statuses_match_the_vectors()
    {
        byte[] included = V("chain status", "included");
        Assert.Equal(included, ChainStatusBody.Included(300, Fill(0x44, 32), 1000, 6).Encode());
        Assert.Equal(ProtocolError.None, ChainStatusBody.TryDecode(included, out ChainStatusBody? status));
        Assert.Equal(300u, status!.RequestSequence);
        Assert.Equal(ChainStatusKind.Included, status.Kind);
        Assert.Equal(Fill(0x44, 32), status.TxId);
        Assert.Equal(1000u, status.Block);
        Assert.Equal(6u, status.Confirmations);

        byte[] failed = V("chain status", "failed");
        Assert.Equal(failed, ChainStatusBody.OfReason(5, ChainStatusKind.Failed, File["chain status"]["failed_reason_text"]).Encode());
        Assert.Equal(ProtocolError.None, ChainStatusBody.TryDecode(failed, out status));
        Assert.Equal("nonce too low", status!.Reason);
        Assert.Null(status.TxId);
    }

    [Fact]
    public void Answers_match_the_vectors()
    {
        byte[] oneEther = ChainAmount.FromUInt64(1_000_000_000_000_000_000);
        Assert.Equal(V("chain answer", "balance_one_ether"), ChainAnswerCodec.EncodeBalance(oneEther));
        Assert.Equal(V("chain answer", "nonce_7"), ChainAnswerCodec.EncodeNonce(7));
        Assert.Equal(V("chain answer", "evm_fees"), ChainAnswerCodec.EncodeEvmFees(ChainAmount.FromUInt64(1_000_000_000), []));
        Assert.Equal(V("chain answer", "utxo_fees"), ChainAnswerCodec.EncodeUtxoFees(12));
        Assert.Equal(V("chain answer", "utxos"), ChainAnswerCodec.EncodeUtxos([new ChainUtxo(Fill(0x55, 32), 1, 100_000_000, 3)]));
        byte[] change = [0, .. Fill(0x22, 20)];
        Assert.Equal(V("chain answer", "transfers"), ChainAnswerCodec.EncodeTransfers([new ChainTransfer(change, null, ChainAmount.FromUInt64(100_000), 0, false), new ChainTransfer(Evm, null, ChainAmount.FromUInt64(1000), 1000, true)]));

        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeBalance(V("chain answer", "balance_one_ether"), out byte[]? balance));
        Assert.Equal(oneEther, balance);
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeNonce(V("chain answer", "nonce_7"), out ulong nonce));
        Assert.Equal(7ul, nonce);
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeEvmFees(V("chain answer", "evm_fees"), out byte[]? baseFee, out byte[]? tip));
        Assert.Equal(ChainAmount.FromUInt64(1_000_000_000), baseFee);
        Assert.Empty(tip!);
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeUtxoFees(V("chain answer", "utxo_fees"), out uint rate));
        Assert.Equal(12u, rate);
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeUtxos(V("chain answer", "utxos"), out ChainUtxo[]? utxos));
        Assert.Equal((1u, 100_000_000ul, 3u), (utxos![0].Vout, utxos[0].Value, utxos[0].Confirmations));
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeTransfers(V("chain answer", "transfers"), out ChainTransfer[]? transfers));
        Assert.Equal(2, transfers!.Length);
        Assert.Equal(change, transfers[0].To);
        Assert.Equal(new byte[] { 0x01, 0x86, 0xa0 }, transfers[0].Amount);
        Assert.Equal((0u, false), (transfers[0].Block, transfers[0].Final));
        ChainTransfer transfer = transfers[1];
        Assert.Equal(Evm, transfer.To);
        Assert.Null(transfer.Token);
        Assert.Equal((1000u, true), (transfer.Block, transfer.Final));
        Assert.Equal(new byte[] { 0x03, 0xe8 }, transfer.Amount);
    }

    [Fact]
    public void Tip_matches_the_vector()
    {
        byte[] expected = V("tip", "tip");
        var tip = new TipBody(0x0c80b9c4, 3, Fill(0x66, 8), new ChainAddress(ChainTag.Evm(1), Evm), Token, [1], Fill(0x77, 32));
        Assert.Equal(expected, tip.Encode());
        Assert.Equal(ProtocolError.None, TipBody.TryDecode(expected, out TipBody? read));
        Assert.Equal(expected, read!.Encode());
        Assert.Equal(Identities.Fixed(1).Id, read.PostAuthor);
    }
}
