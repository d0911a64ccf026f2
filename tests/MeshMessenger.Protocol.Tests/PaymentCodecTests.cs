using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>Refusals of the payment decoders: every cut, trailing bytes, oversize counts, bad tags, non-canonical amounts.</summary>
public sealed class PaymentCodecTests
{
    private static readonly byte[] Evm = Enumerable.Repeat((byte)0x11, 20).ToArray();
    private static readonly byte[] TxId = Enumerable.Repeat((byte)0x44, 32).ToArray();

    private static readonly ChainAddress[] Addresses = [new(ChainTag.Evm(1), Evm), new(ChainTag.Utxo(0), [0, .. Evm])];
    private static readonly ChainTag[] Served = [ChainTag.Evm(31337), ChainTag.Utxo(5)];

    private static TipBody Tip() => new(7, 3, new byte[8], Addresses[1], null, [0x01, 0x00], TxId);

    private static ProtocolError ReadProfile(byte[] bytes) => Profile.TryRead(new ByteReader(bytes, 0, bytes.Length), out _);

    /// <summary>Each decoder, applied to a prefix of its own valid encoding.</summary>
    public static TheoryData<string> Encodings() => ["profile", "address", "request", "status", "tip", "balance", "nonce", "evm fees", "utxo fees", "utxos", "transfer"];

    private static (byte[] Bytes, Func<byte[], ProtocolError> Decode) Case(string name) => name switch
    {
        "profile" => (Profile.Of(Identities.Fixed(1), "Al", Evm, Addresses, Served).Encode(), ReadProfile),
        "address" => (Write(Addresses[1].Write), b => ChainAddress.TryRead(new ByteReader(b, 0, b.Length), out _)),
        "request" => (new ChainRequestBody(ChainRequestKind.Status, ChainTag.Evm(1), TxId).Encode(), b => ChainRequestBody.TryDecode(b, out _)),
        "status" => (ChainStatusBody.Included(300, TxId, 1000, 6).Encode(), b => ChainStatusBody.TryDecode(b, out _)),
        "tip" => (Tip().Encode(), b => TipBody.TryDecode(b, out _)),
        "balance" => (ChainAnswerCodec.EncodeBalance([1, 2, 3]), b => ChainAnswerCodec.TryDecodeBalance(b, out _)),
        "nonce" => (ChainAnswerCodec.EncodeNonce(ulong.MaxValue), b => ChainAnswerCodec.TryDecodeNonce(b, out _)),
        "evm fees" => (ChainAnswerCodec.EncodeEvmFees([9], [8]), b => ChainAnswerCodec.TryDecodeEvmFees(b, out _, out _)),
        "utxo fees" => (ChainAnswerCodec.EncodeUtxoFees(5), b => ChainAnswerCodec.TryDecodeUtxoFees(b, out _)),
        "utxos" => (ChainAnswerCodec.EncodeUtxos([new ChainUtxo(TxId, 0, 1, 0), new ChainUtxo(TxId, 300, ulong.MaxValue, 70000)]), b => ChainAnswerCodec.TryDecodeUtxos(b, out _)),
        _ => (ChainAnswerCodec.EncodeTransfers([new ChainTransfer([0, .. Evm], Evm, [5], 0, false), new ChainTransfer(Evm, null, [], 70000, true)]), b => ChainAnswerCodec.TryDecodeTransfers(b, out _)),
    };

    private static byte[] Write(Action<ByteWriter> write)
    {
        var w = new ByteWriter(512);
        write(w);
        return w.ToArray();
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_cut_is_refused_and_the_whole_is_accepted(string name)
    {
        (byte[] bytes, Func<byte[], ProtocolError> decode) = Case(name);
        Assert.Equal(ProtocolError.None, decode(bytes));
        for (int n = 0; n < bytes.Length; n++)
        {
            Assert.NotEqual(ProtocolError.None, decode(bytes[..n]));
        }
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_trailing_byte_is_refused(string name)
    {
        if (name is "profile" or "address")
        {
            return; // read from a longer stream; their containers (entry body, contact card) refuse what is left over
        }

        (byte[] bytes, Func<byte[], ProtocolError> decode) = Case(name);
        // A request's payload runs to the end, so an extra byte makes a payload of the wrong size.
        Assert.Equal(name == "request" ? ProtocolError.InvalidField : ProtocolError.TrailingBytes, decode([.. bytes, 0]));
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(15);
        for (int i = 0; i < 20000; i++)
        {
            var bytes = new byte[random.Next(0, 120)];
            random.NextBytes(bytes);
            if (bytes.Length > 0)
            {
                bytes[0] = (byte)random.Next(0, 9); // hit the known kinds often
            }

            foreach (string name in Encodings())
            {
                Case(name).Decode(bytes);
            }
        }
    }

    [Fact]
    public void Amounts_must_be_canonical_and_at_most_32_bytes()
    {
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeBalance([0], out byte[]? zero));
        Assert.Empty(zero!);
        Assert.Equal(ProtocolError.InvalidField, ChainAnswerCodec.TryDecodeBalance([1, 0], out _));
        Assert.Equal(ProtocolError.InvalidField, ChainAnswerCodec.TryDecodeBalance([2, 0, 1], out _));
        Assert.Equal(ProtocolError.InvalidField, ChainAnswerCodec.TryDecodeBalance([33, .. Enumerable.Repeat((byte)0xff, 33)], out _));
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeBalance([32, .. Enumerable.Repeat((byte)0xff, 32)], out _));
        Assert.Throws<ProtocolException>(() => ChainAnswerCodec.EncodeBalance([0, 1]));
        Assert.Throws<ProtocolException>(() => new TipBody(7, 3, new byte[8], Addresses[0], null, [0], TxId));
        Assert.Equal(new byte[] { 0x01, 0x00 }, ChainAmount.FromUInt64(256));
        Assert.Empty(ChainAmount.FromUInt64(0));
    }

    [Fact]
    public void Bad_tags_and_address_shapes_are_refused()
    {
        Assert.Equal(ProtocolError.UnknownType, ChainTag.TryRead(new ByteReader([3, 1], 0, 2), out _));
        Assert.Equal(ProtocolError.UnknownType, ChainTag.TryRead(new ByteReader([1, 0], 0, 2), out _)); // chain id 0
        Assert.Equal(ProtocolError.UnknownType, ChainTag.TryRead(new ByteReader([2, 6], 0, 2), out _)); // no network 6
        Assert.Equal(ProtocolError.Truncated, ChainTag.TryRead(new ByteReader([1, 0x81, 0x00], 0, 3), out _)); // non-canonical varint
        Assert.Equal(ProtocolError.InvalidField, ChainAddress.TryRead(new ByteReader([1, 1, 21, .. new byte[21]], 0, 24), out _));
        Assert.Equal(ProtocolError.InvalidField, ChainAddress.TryRead(new ByteReader([2, 0, 21, 1, .. Evm], 0, 24), out _)); // witness v1
        Assert.Throws<ProtocolException>(() => new ChainAddress(ChainTag.Utxo(0), Evm));
    }

    [Fact]
    public void Requests_refuse_payloads_of_the_wrong_shape()
    {
        byte[] Body(int kind, byte[] tag, byte[] payload) => [(byte)kind, .. tag, .. payload];
        Assert.Equal(ProtocolError.UnknownType, ChainRequestBody.TryDecode(Body(8, [1, 1], TxId), out _));
        Assert.Equal(ProtocolError.UnknownType, ChainRequestBody.TryDecode(Body(0, [1, 1], TxId), out _));
        Assert.Equal(ProtocolError.UnknownType, ChainRequestBody.TryDecode(Body(6, [9, 1], TxId), out _));
        Assert.Equal(ProtocolError.Truncated, ChainRequestBody.TryDecode(Body(1, [1, 1], []), out _));
        Assert.Equal(ProtocolError.TooLarge, ChainRequestBody.TryDecode(Body(1, [1, 1], new byte[1901]), out _));
        Assert.Equal(ProtocolError.None, ChainRequestBody.TryDecode(Body(1, [1, 1], new byte[1900]), out _));
        Assert.Equal(ProtocolError.InvalidField, ChainRequestBody.TryDecode(Body(3, [2, 0], Evm), out _)); // nonce is EVM only
        Assert.Equal(ProtocolError.InvalidField, ChainRequestBody.TryDecode(Body(4, [1, 1], [0, .. Evm]), out _)); // utxos is UTXO only
        Assert.Equal(ProtocolError.None, ChainRequestBody.TryDecode(Body(4, [2, 5], [0, .. Evm]), out _));
        Assert.Equal(ProtocolError.InvalidField, ChainRequestBody.TryDecode(Body(2, [2, 0], [0, .. Evm, .. Evm]), out _)); // no tokens on UTXO
        Assert.Equal(ProtocolError.TrailingBytes, ChainRequestBody.TryDecode(Body(5, [1, 1], [0]), out _));
        Assert.Equal(ProtocolError.InvalidField, ChainRequestBody.TryDecode(Body(6, [1, 1], TxId[..31]), out _));
    }

    [Fact]
    public void Statuses_refuse_payloads_of_the_wrong_shape()
    {
        Assert.Equal(ProtocolError.UnknownType, ChainStatusBody.TryDecode([1, 8, .. TxId], out _));
        Assert.Equal(ProtocolError.Truncated, ChainStatusBody.TryDecode([1, 1, .. TxId[..31]], out _));
        Assert.Equal(ProtocolError.TrailingBytes, ChainStatusBody.TryDecode([1, 6, .. TxId, 0], out _));
        Assert.Equal(ProtocolError.TooLarge, ChainStatusBody.TryDecode([1, 4, .. Enumerable.Repeat((byte)'a', 201)], out _));
        Assert.Equal(ProtocolError.InvalidText, ChainStatusBody.TryDecode([1, 7, 0xff], out _));
        Assert.Equal(ProtocolError.TooLarge, ChainStatusBody.TryDecode([1, 5, .. new byte[1901]], out _));
        Assert.Equal(ProtocolError.None, ChainStatusBody.TryDecode([1, 5, .. new byte[1900]], out _));
        Assert.Equal(200, ChainStatusBody.OfReason(1, ChainStatusKind.Failed, new string('é', 150)).Payload.Length);
    }

    [Fact]
    public void Answers_refuse_oversize_counts_and_bad_fields()
    {
        Assert.Equal(ProtocolError.TooLarge, ChainAnswerCodec.TryDecodeUtxos([37], out _));
        Assert.Equal(ProtocolError.TooLarge, ChainAnswerCodec.TryDecodeUtxos([0xff, 0xff, 0xff, 0xff, 0x0f], out _));
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeUtxos([0], out ChainUtxo[]? none));
        Assert.Empty(none!);
        Assert.Throws<ProtocolException>(() => ChainAnswerCodec.EncodeUtxos(Enumerable.Repeat(new ChainUtxo(TxId, 0, 0, 0), 37).ToArray()));
        Assert.True(ChainAnswerCodec.EncodeUtxos(Enumerable.Repeat(new ChainUtxo(TxId, uint.MaxValue, ulong.MaxValue, uint.MaxValue), 36).ToArray()).Length <= ChainStatusBody.MaxPayloadSize);
        Assert.Equal(ProtocolError.InvalidField, ChainAnswerCodec.TryDecodeTransfers([1, 33, .. new byte[33], 0, 0, 0, 0], out _));
        Assert.Equal(ProtocolError.InvalidField, ChainAnswerCodec.TryDecodeTransfers([1, 0, 19, .. new byte[19], 0, 0, 0], out _));
        Assert.Equal(ProtocolError.InvalidField, ChainAnswerCodec.TryDecodeTransfers([1, 0, 0, 0, 0, 2], out _)); // final is 0 or 1
        Assert.Equal(ProtocolError.InvalidField, ChainAnswerCodec.TryDecodeTransfers([0], out _)); // a transaction paying nothing has no Transfer answer
        Assert.Equal(ProtocolError.InvalidField, ChainAnswerCodec.TryDecodeTransfers([9, .. Enumerable.Repeat(new byte[] { 0, 0, 0, 0, 0 }, 9).SelectMany(b => b)], out _));
        Assert.Equal(ProtocolError.None, ChainAnswerCodec.TryDecodeTransfers([8, .. Enumerable.Repeat(new byte[] { 0, 0, 0, 0, 0 }, 8).SelectMany(b => b)], out ChainTransfer[]? eight));
        Assert.Equal(8, eight!.Length);
        Assert.Equal(ProtocolError.Truncated, ChainAnswerCodec.TryDecodeTransfers([2, 0, 0, 0, 0, 0], out _)); // count says 2, one present
        Assert.Equal(ProtocolError.TrailingBytes, ChainAnswerCodec.TryDecodeTransfers([1, 0, 0, 0, 0, 0, 0], out _));
        Assert.Throws<ProtocolException>(() => ChainAnswerCodec.EncodeTransfers([]));
        Assert.Throws<ProtocolException>(() => ChainAnswerCodec.EncodeTransfers(Enumerable.Repeat(new ChainTransfer([], null, [], 0, false), 9).ToArray()));
        Assert.True(ChainAnswerCodec.EncodeTransfers(Enumerable.Repeat(new ChainTransfer(new byte[32], Evm, Enumerable.Repeat((byte)0xff, 32).ToArray(), uint.MaxValue, true), 8).ToArray()).Length <= ChainStatusBody.MaxPayloadSize);
    }

    [Fact]
    public void Profiles_refuse_bad_counts_and_unknown_flags()
    {
        byte[] basic = Profile.Of(Identities.Fixed(1), "Al", null).Encode();
        byte[] WithFlags(int flags, byte[] tail)
        {
            byte[] b = [.. basic, .. tail];
            b[64] = (byte)flags;
            return b;
        }

        Assert.Equal(ProtocolError.InvalidField, ReadProfile(WithFlags(0x02, [0])));
        Assert.Equal(ProtocolError.InvalidField, ReadProfile(WithFlags(0x02, [5, .. Enumerable.Repeat(Write(Addresses[0].Write), 5).SelectMany(x => x)])));
        Assert.Equal(ProtocolError.InvalidField, ReadProfile(WithFlags(0x04, [0])));
        Assert.Equal(ProtocolError.InvalidField, ReadProfile(WithFlags(0x04, [9, .. Enumerable.Repeat(new byte[] { 1, 1 }, 9).SelectMany(x => x)])));
        Assert.Equal(ProtocolError.None, ReadProfile(WithFlags(0x04, [8, .. Enumerable.Repeat(new byte[] { 1, 1 }, 8).SelectMany(x => x)])));
        Assert.Equal(ProtocolError.UnknownType, ReadProfile(WithFlags(0x04, [1, 7, 1])));
        Assert.Equal(ProtocolError.InvalidField, ReadProfile(WithFlags(0x08, [])));
        Assert.Throws<ProtocolException>(() => Profile.Of(Identities.Fixed(1), "Al", null, Enumerable.Repeat(Addresses[0], 5).ToArray(), null));
    }

    [Fact]
    public void Version_one_profile_bytes_decode_exactly_as_before()
    {
        // Bob's profile from tests/vectors/protocol/protocol-v1.txt: flags 0x01 (wallet), name "Bob".
        byte[] bob = Convert.FromHexString("bbee7f93919a8f837663b5bb61c4e2228a70e8f65b575c851d1c00b34d275be3aac8efdbcb3b134bbae74b365a87c54730cc1ba8f558aaabc04199be398435760103426f62a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
        var reader = new ByteReader(bob, 0, bob.Length);
        Assert.Equal(ProtocolError.None, Profile.TryRead(reader, out Profile? profile));
        Assert.Equal(0, reader.Remaining);
        Assert.Equal("Bob", profile!.Name);
        Assert.Equal(Convert.FromHexString("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3"), profile.Wallet);
        Assert.Empty(profile.Addresses);
        Assert.Empty(profile.ServedChains);
        Assert.Equal(bob, profile.Encode());
    }

    [Fact]
    public void The_largest_profile_fits_a_contact_card_and_round_trips_through_text()
    {
        ChainAddress[] four = [.. Enumerable.Range(0, 4).Select(i => new ChainAddress(ChainTag.Evm(uint.MaxValue), Evm))];
        ChainTag[] eight = [.. Enumerable.Range(0, 8).Select(i => ChainTag.Evm(uint.MaxValue - (uint)i))];
        Assert.Equal(4 * (1 + 5 + 1 + 20), four.Sum(a => a.EncodedSize));
        ChainAddress[] fourUtxo = [.. Enumerable.Range(0, 4).Select(i => new ChainAddress(ChainTag.Utxo((uint)i), [0, .. Evm]))];
        ContactCard card = ContactCard.Create(Identities.Fixed(2), new string('x', 32), Evm, four, eight);
        Assert.True(card.Encoded.Length <= ContactCard.MaxSize);
        Assert.Equal(ProtocolError.None, ContactCard.TryParse(card.ToText(), out ContactCard? parsed));
        Assert.Equal(four, parsed!.Profile.Addresses);
        Assert.Equal(eight, parsed.Profile.ServedChains);
        Assert.Equal(Evm, parsed.Profile.Wallet);
        Assert.Equal(345, ContactCard.MaxSize);
        Assert.Equal(ProtocolError.None, ContactCard.TryParse(ContactCard.Create(Identities.Fixed(2), "Bo", null, fourUtxo, null).ToText(), out _));
    }

    [Fact]
    public void Entry_kinds_nine_and_ten_are_direct_only_and_eleven_clear_only()
    {
        Assert.Equal(BodySealing.Direct, EntryCodec.RequiredSealing(EntryKind.ChainRequest));
        Assert.Equal(BodySealing.Direct, EntryCodec.RequiredSealing(EntryKind.ChainStatus));
        Assert.Equal(BodySealing.Clear, EntryCodec.RequiredSealing(EntryKind.Tip));
        byte[] link = new byte[8];
        link[0] = 1;
        byte[] sig = new byte[64];
        byte[] Build(EntryKind kind, BodySealing sealing, byte hint)
        {
            byte[] header = EntryCodec.EncodeHeader(kind, sealing, 7, 1, 0, link, hint);
            return [.. header, .. new byte[20], .. sig];
        }

        foreach ((EntryKind kind, BodySealing good, BodySealing[] bad) in new[]
        {
            (EntryKind.ChainRequest, BodySealing.Direct, new[] { BodySealing.Clear, BodySealing.Channel }),
            (EntryKind.ChainStatus, BodySealing.Direct, new[] { BodySealing.Clear, BodySealing.Channel }),
            (EntryKind.Tip, BodySealing.Clear, new[] { BodySealing.Direct, BodySealing.Channel }),
        })
        {
            byte[] ok = Build(kind, good, good == BodySealing.Clear ? (byte)0 : (byte)5);
            Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(ok, 0, ok.Length, out _));
            foreach (BodySealing sealing in bad)
            {
                byte[] refused = Build(kind, sealing, 5);
                Assert.Equal(ProtocolError.InvalidField, EntryCodec.TryDecode(refused, 0, refused.Length, out _));
            }
        }
    }
}
