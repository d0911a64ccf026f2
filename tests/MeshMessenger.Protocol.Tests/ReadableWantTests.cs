using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// A want flagged "readable by the asker only" (docs/protocol.md §8.2): its count byte, and what a node answers with
/// it: the entries the asker can read (not direct-sealed, or direct to the asker's hint), everything without it.
/// </summary>
public sealed class ReadableWantTests
{
    [Fact]
    public void The_flag_is_bit_7_of_the_count_byte_and_bits_5_and_6_are_refused()
    {
        var range = new SequenceRange(0x0c80b9c4, 2, 4);
        byte[] flagged = new WantMessage([range], true).Encode();
        Assert.Equal(0x81, flagged[0]);
        Assert.Equal(ProtocolError.None, WantMessage.TryDecode(flagged, out WantMessage? back));
        Assert.True(back!.ReadableOnly);
        Assert.Equal(4u, back.Ranges[0].To);

        byte[] plain = new WantMessage([range]).Encode();
        Assert.Equal(0x01, plain[0]);
        Assert.Equal(ProtocolError.None, WantMessage.TryDecode(plain, out back));
        Assert.False(back!.ReadableOnly);

        foreach (int reserved in new[] { 0x20, 0x40, 0x60 })
        {
            byte[] bad = [.. flagged];
            bad[0] |= (byte)reserved;
            Assert.Equal(ProtocolError.InvalidField, WantMessage.TryDecode(bad, out _));
        }

        Assert.Equal(ProtocolError.InvalidField, WantMessage.TryDecode([0x80], out _)); // the flag alone: count 0
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_answerer_sends_a_flagged_want_only_what_the_asker_can_read(bool flagged)
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        MessengerNode dave = TestLink.Node(4, "dave", clock); // an archive: keeps every chain it hears
        Assert.NotEqual(bob.Hint, carol.Hint);
        var link = new TestLink(alice, bob, carol, dave);
        link.Run();
        uint post = alice.PostPublic("everyone");
        uint toBob = alice.SendText(bob.Id, "to bob");
        uint toCarol = alice.SendText(carol.Id, "to carol");
        link.Run();
        Assert.NotNull(dave.Chains.Store.Get(alice.Id, toCarol)); // the answerer holds the other pair's message
        dave.TakeOutbox();

        // Bob (the frame's source hint) asks dave for alice's chain.
        byte[] want = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, dave.Hint, bob.Hint, new WantMessage([new SequenceRange(alice.Id, 0, 63)], flagged).Encode()), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, dave.Receive(want, 0, want.Length));

        var answered = new List<uint>();
        foreach (byte[] bytes in dave.TakeOutbox())
        {
            Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.LoRa, out Frame? frame));
            Assert.Equal(FrameType.Entry, frame!.Type);
            Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(frame.Payload, 0, frame.Payload.Length, out Entry? entry));
            Assert.Equal(alice.Id, entry!.Author);
            answered.Add(entry.Sequence);
        }

        Assert.Contains(0u, answered); // her profile
        Assert.Contains(post, answered);
        Assert.Contains(toBob, answered);
        Assert.Equal(!flagged, answered.Contains(toCarol));
        Assert.True(alice.Chains.Store.TryGetRange(alice.Id, out uint low, out uint high));
        Assert.Equal((int)(high - low + 1) - (flagged ? 1 : 0), answered.Count);
    }

    [Fact]
    public void The_answer_limit_counts_only_entries_sent()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        MessengerNode dave = TestLink.Node(4, "dave", clock);
        var link = new TestLink(alice, bob, carol, dave);
        link.Run();
        for (int i = 0; i < 40; i++)
        {
            alice.SendText(carol.Id, "c" + i);
        }

        uint toBob = alice.SendText(bob.Id, "to bob");
        link.Run();
        dave.TakeOutbox();

        // Forty other-pair entries before bob's: with the flag they are skipped, not counted, and bob's still comes.
        byte[] want = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0, bob.Hint, new WantMessage([new SequenceRange(alice.Id, 1, 63)], true).Encode()), FrameLimits.LoRa);
        dave.Receive(want, 0, want.Length);
        byte[][] answer = dave.TakeOutbox();
        Assert.Single(answer);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(answer[0], 0, answer[0].Length, FrameLimits.LoRa, out Frame? frame));
        Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(frame!.Payload, 0, frame.Payload.Length, out Entry? entry));
        Assert.Equal(toBob, entry!.Sequence);
    }
}
