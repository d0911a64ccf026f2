using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

public sealed class SealingTests
{
    private static readonly NodeIdentity Alice = Identities.Fixed(1);
    private static readonly NodeIdentity Bob = Identities.Fixed(2);
    private static readonly NodeIdentity Eve = Identities.Fixed(3);

    private static Profile P(NodeIdentity i) => Profile.Of(i, "p", null);

    private static Entry SealedDm(string text)
    {
        var chain = new LocalChain(Alice, new ChainStore(new MemoryEntryStore()));
        chain.StartNew(P(Alice), 1);
        byte[] header = chain.NextHeader(EntryKind.Text, BodySealing.Direct, NodeId.HintOf(Bob.Id), 10);
        byte[] key = DirectKey.Derive(Alice, P(Alice), P(Bob))!;
        return chain.Append(header, BodyCipher.Seal(key, 1, header, System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Both_ends_derive_the_same_directional_key()
    {
        byte[] byAlice = DirectKey.Derive(Alice, P(Alice), P(Bob))!;
        byte[] byBob = DirectKey.Derive(Bob, P(Alice), P(Bob))!;
        byte[] reverse = DirectKey.Derive(Bob, P(Bob), P(Alice))!;
        Assert.Equal(byAlice, byBob);
        Assert.NotEqual(byAlice, reverse);
    }

    [Fact]
    public void Only_the_recipient_and_the_author_can_open_a_direct_message()
    {
        Entry dm = SealedDm("meet at the well");
        Assert.DoesNotContain("meet"u8.ToArray()[0..4], new[] { dm.Encoded[dm.BodyOffset..(dm.BodyOffset + 4)] });
        Assert.Equal("meet at the well"u8.ToArray(), BodyCipher.Open(DirectKey.Derive(Bob, P(Alice), P(Bob))!, dm));
        Assert.Equal("meet at the well"u8.ToArray(), BodyCipher.Open(DirectKey.Derive(Alice, P(Alice), P(Bob))!, dm));
        Assert.Null(BodyCipher.Open(DirectKey.Derive(Eve, P(Alice), P(Eve))!, dm));
    }

    [Fact]
    public void Header_is_bound_to_the_ciphertext()
    {
        Entry dm = SealedDm("hello");
        byte[] key = DirectKey.Derive(Bob, P(Alice), P(Bob))!;
        for (int i = 0; i < dm.SignedLength; i++)
        {
            byte[] bad = (byte[])dm.Encoded.Clone();
            bad[i] ^= 0x04;
            if (EntryCodec.TryDecode(bad, 0, bad.Length, out Entry? e) == ProtocolError.None)
            {
                Assert.Null(BodyCipher.Open(key, e!));
            }
        }
    }

    [Fact]
    public void Low_order_agreement_key_is_refused()
    {
        var evil = new Profile(Eve.SigningKey, new byte[32], "zero", null);
        Assert.Null(DirectKey.Derive(Alice, P(Alice), evil));
    }

    [Fact]
    public void Channel_members_read_posts_and_outsiders_do_not()
    {
        var channel = new ChannelKey("village", Enumerable.Repeat((byte)9, 32).ToArray());
        var other = new ChannelKey("village", Enumerable.Repeat((byte)8, 32).ToArray());
        var chain = new LocalChain(Alice, new ChainStore(new MemoryEntryStore()));
        chain.StartNew(P(Alice), 1);
        byte[] header = chain.NextHeader(EntryKind.ChannelPost, BodySealing.Channel, channel.Hint, 10);
        Entry post = chain.Append(header, BodyCipher.Seal(channel.AuthorKey(Alice.SigningKey), 1, header, "market at noon"u8.ToArray()));

        Assert.Equal("market at noon"u8.ToArray(), BodyCipher.Open(channel.AuthorKey(Alice.SigningKey), post));
        Assert.Null(BodyCipher.Open(other.AuthorKey(Alice.SigningKey), post));
        Assert.Null(BodyCipher.Open(channel.AuthorKey(Bob.SigningKey), post)); // per-author subkeys
    }

    [Fact]
    public void Channel_share_text_round_trips()
    {
        var channel = ChannelKey.Create("Dorfplatz ✓", new SeededRandom(4));
        Assert.Equal(ProtocolError.None, ChannelKey.TryParse(channel.ToText(), out ChannelKey? parsed));
        Assert.Equal(channel.Id, parsed!.Id);
        Assert.Equal("Dorfplatz ✓", parsed.Name);
        Assert.Equal(ProtocolError.UnsupportedVersion, ChannelKey.TryParse("MM1:AAAA", out _));
    }
}
