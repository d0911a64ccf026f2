using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

public sealed class EntryCodecTests
{
    [Fact]
    public void Entry_round_trips_and_its_bytes_are_canonical()
    {
        var author = new AuthorLog(1);
        Entry post = author.Post("hello mesh", time: 1234);

        Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(post.Encoded, 0, post.Encoded.Length, out Entry? decoded));
        Assert.Equal(EntryKind.PublicPost, decoded!.Kind);
        Assert.Equal(BodySealing.Clear, decoded.Sealing);
        Assert.Equal(author.Identity.Id, decoded.Author);
        Assert.Equal(1u, decoded.Sequence);
        Assert.Equal(1234u, decoded.Time);
        Assert.Equal("hello mesh", System.Text.Encoding.UTF8.GetString(decoded.CopyBody()));
        Assert.Equal(EntryHash.LinkOf(EntryHash.Of(author.Genesis, author.Identity.SigningKey)), decoded.Previous);
        Assert.Equal(EntryCodec.HeaderSize(1) + 10 + 64, post.Encoded.Length);
    }

    [Fact]
    public void Signature_covers_every_byte_before_it()
    {
        var author = new AuthorLog(1);
        Entry post = author.Post("hello");
        byte[] hash = EntryHash.Of(post, author.Identity.SigningKey);
        Assert.True(EntryHash.Verify(post, author.Identity.SigningKey, hash));
        for (int i = 0; i < post.Encoded.Length; i++)
        {
            byte[] bad = (byte[])post.Encoded.Clone();
            bad[i] ^= 0x20;
            if (EntryCodec.TryDecode(bad, 0, bad.Length, out Entry? e) != ProtocolError.None)
            {
                continue; // refused by a format rule already
            }

            Assert.False(EntryHash.Verify(e!, author.Identity.SigningKey, EntryHash.Of(e!, author.Identity.SigningKey)), $"flip at {i} still verifies");
        }
    }

    [Fact]
    public void Truncated_entries_are_refused_at_every_length()
    {
        Entry post = new AuthorLog(1).Post("hello");
        for (int n = 0; n < EntryCodec.HeaderSize(1) + 64; n++)
        {
            Assert.Equal(ProtocolError.Truncated, EntryCodec.TryDecode(post.Encoded, 0, n, out _));
        }
    }

    [Fact]
    public void Oversized_entries_are_refused_before_anything_is_copied()
    {
        var big = new byte[EntryCodec.MaxEncodedSize + 1];
        Assert.Equal(ProtocolError.TooLarge, EntryCodec.TryDecode(big, 0, big.Length, out _));
        var author = new AuthorLog(1);
        var ex = Assert.Throws<ProtocolException>(() => author.Post(new string('x', EntryCodec.MaxEncodedSize)));
        Assert.Equal(ProtocolError.TooLarge, ex.Error);
    }

    [Fact]
    public void Format_rules_are_enforced()
    {
        byte[] link = new byte[8];
        byte[] sig = new byte[64];
        byte[] Build(int kindByte, uint seq, byte[] previous, byte hint, int bodyLength)
        {
            byte[] header = EntryCodec.EncodeHeader(EntryKind.Text, BodySealing.Clear, 7, seq, 0, previous, hint);
            header[0] = (byte)kindByte;
            return [.. header, .. new byte[bodyLength], .. sig];
        }

        Assert.Equal(ProtocolError.UnknownType, EntryCodec.TryDecode(Build(0x0D, 1, link, 0, 0), 0, Build(0x0D, 1, link, 0, 0).Length, out _));
        Assert.Equal(ProtocolError.UnknownType, EntryCodec.TryDecode(Build(0xC3, 1, link, 0, 0), 0, Build(0xC3, 1, link, 0, 0).Length, out _));
        byte[] textInClear = Build((int)EntryKind.Text, 1, link, 0, 20);
        Assert.Equal(ProtocolError.InvalidField, EntryCodec.TryDecode(textInClear, 0, textInClear.Length, out _));
        byte[] clearWithHint = Build((int)EntryKind.PublicPost, 1, link, 5, 3);
        Assert.Equal(ProtocolError.InvalidField, EntryCodec.TryDecode(clearWithHint, 0, clearWithHint.Length, out _));
        byte[] genesisNotProfile = Build((int)EntryKind.PublicPost, 0, link, 0, 3);
        Assert.Equal(ProtocolError.InvalidField, EntryCodec.TryDecode(genesisNotProfile, 0, genesisNotProfile.Length, out _));
        byte[] sealedWithoutTag = Build(0x40 | (int)EntryKind.Text, 1, link, 1, 15);
        Assert.Equal(ProtocolError.Truncated, EntryCodec.TryDecode(sealedWithoutTag, 0, sealedWithoutTag.Length, out _));
        byte[] shortCheckpoint = Build((int)EntryKind.Checkpoint, 3, link, 0, 31);
        Assert.Equal(ProtocolError.InvalidField, EntryCodec.TryDecode(shortCheckpoint, 0, shortCheckpoint.Length, out _));
    }
}
