using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

public sealed class PostBodyTests
{
    [Fact]
    public void Text_and_photo_round_trip_and_plain_text_stays_plain_utf8()
    {
        byte[] photo = [0x52, 0x49, 0x46, 0x46, 0, 7, 9];
        PostBody decoded = Decode(PostBody.Encode("Brücke frei", PostBody.WebpImage, photo))!;
        Assert.Equal("Brücke frei", decoded.Text);
        Assert.Equal(PostBody.WebpImage, decoded.MediaType);
        Assert.Equal(photo, decoded.Media);
        Assert.Equal(Utf8Text.GetBytes("no photo"), PostBody.Encode("no photo", PostBody.WebpImage, null));
        Assert.Null(Decode(Utf8Text.GetBytes("no photo"))!.Media);
    }

    [Fact]
    public void A_zero_byte_in_the_text_cannot_fake_an_attachment()
    {
        PostBody decoded = Decode(PostBody.Encode("a\0\u0001bc", PostBody.NoMedia, null))!;
        Assert.Equal("a\u0001bc", decoded.Text);
        Assert.Null(decoded.Media);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0 })]             // separator, no type
    [InlineData(new byte[] { 0x61, 0, 1 })]          // typed, no bytes
    [InlineData(new byte[] { 0x61, 0, 0, 5 })]       // untyped attachment
    [InlineData(new byte[] { 0xC3, 0x28, 0, 1, 5 })] // text is not UTF-8
    public void Malformed_bodies_are_refused(byte[] body)
    {
        Assert.Null(Decode(body));
    }

    [Fact]
    public void A_photo_post_crosses_lora_as_fragments_and_arrives_whole_in_a_channel_and_the_feed()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        var village = new ChannelKey("village", Enumerable.Repeat((byte)3, 32).ToArray());
        alice.JoinChannel(village);
        bob.JoinChannel(village);
        var link = new TestLink(alice, bob);
        link.Run();
        byte[] photo = Enumerable.Range(0, 900).Select(i => (byte)(i * 7)).ToArray();

        link.Carried.Clear();
        alice.PostToChannel(village.Id, "the ford at noon", PostBody.JpegImage, photo);
        alice.PostPublic("market open", PostBody.WebpImage, photo[..400]);
        link.Run();

        Assert.True(link.Carried.Count >= 6, $"{link.Carried.Count} frames");
        Assert.All(link.Carried, f => Assert.True(f.Length <= FrameLimits.LoRa));
        MessageRecord post = bob.Messages.Cast<MessageRecord>().Single(m => m.Text == "the ford at noon");
        Assert.Equal(village.Id, post.Channel);
        Assert.Equal(photo, post.Media);
        Assert.Equal(PostBody.JpegImage, post.MediaType);
        Assert.Equal(photo[..400], bob.Messages.Cast<MessageRecord>().Single(m => m.Text == "market open").Media);
    }

    [Fact]
    public void A_post_larger_than_an_entry_is_refused_before_anything_is_appended()
    {
        MessengerNode alice = TestLink.Node(1, "alice", new TestClock());
        var error = Assert.Throws<ProtocolException>(() => alice.PostPublic("big", PostBody.JpegImage, new byte[alice.MaxPostBodySize()]));
        Assert.Equal(ProtocolError.TooLarge, error.Error);
        Assert.Equal(1u, alice.OwnChain.NextSequence);
    }

    private static PostBody? Decode(byte[] body) => PostBody.TryDecode(body, 0, body.Length);
}
