using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

public sealed class FrameTests
{
    [Fact]
    public void A_signed_sealed_direct_message_carries_150_bytes_of_text_in_one_LoRa_frame()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        alice.Chains.AddContact(bob.Profile);

        int capacity = alice.SingleFrameTextCapacity();
        // The sequence is a varint: 152 bytes below sequence 128, 151 below 16,384, 150 below 2,097,152.
        Assert.Equal(152, capacity);

        alice.TakeOutbox();
        alice.SendText(bob.Id, new string('a', capacity));
        byte[][] frames = alice.TakeOutbox();
        byte[] frame = Assert.Single(frames);
        Assert.Equal(FrameLimits.LoRa, frame.Length);
        Assert.Equal(FrameType.Entry, (FrameType)(frame[0] & 0x1F));

        // One byte more no longer fits one frame.
        alice.SendText(bob.Id, new string('b', capacity + 1));
        Assert.Equal(2, alice.TakeOutbox().Length);

        Assert.Equal(151, EntryCodec.MaxBodySize(16_383, FrameLimits.LoRa - FrameLimits.HeaderSize) - 16);
        Assert.Equal(150, EntryCodec.MaxBodySize(2_097_151, FrameLimits.LoRa - FrameLimits.HeaderSize) - 16);
    }

    [Fact]
    public void Frame_header_round_trips_and_relaying_changes_only_hops_and_relay()
    {
        var frame = new Frame(FrameType.Entry, 3, 3, true, 0x12, 0x34, [1, 2, 3]);
        byte[] bytes = FrameCodec.Encode(frame, FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.LoRa, out Frame? decoded));
        Assert.Equal((FrameType.Entry, 3, 3, true, (byte)0x12, (byte)0x34), (decoded!.Type, decoded.HopLimit, decoded.HopStart, decoded.WantAck, decoded.NextHop, decoded.Relay));

        byte[] relayed = FrameCodec.Encode(decoded.Relayed(0x56, 0), FrameLimits.LoRa);
        Assert.Equal(bytes[4..], relayed[4..]);
        FrameCodec.TryDecode(relayed, 0, relayed.Length, FrameLimits.LoRa, out Frame? again);
        Assert.Equal((2, 3, 1, (byte)0x56), (again!.HopLimit, again.HopStart, again.HopsTaken, again.Relay));
        Assert.Throws<InvalidOperationException>(() => new Frame(FrameType.Entry, 0, 3, false, 0, 0, [1]).Relayed(1, 0));
    }

    [Fact]
    public void Relayed_copies_still_verify_because_hops_are_outside_the_signature()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        new TestLink(alice, bob).Run();
        alice.PostPublic("hello");
        byte[] original = Assert.Single(alice.TakeOutbox());
        FrameCodec.TryDecode(original, 0, original.Length, FrameLimits.LoRa, out Frame? f);
        byte[] relayed = FrameCodec.Encode(f!.Relayed(0x99, 0).Relayed(0x98, 0), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, bob.Receive(relayed, 0, relayed.Length));
        Assert.Equal(2, bob.Counters.Verdicts(ChainVerdict.Accepted)); // alice's genesis, then the post
    }

    [Fact]
    public void The_local_only_flag_is_bit_0_of_byte_1_and_survives_relaying_and_resending()
    {
        var frame = new Frame(FrameType.Entry, 3, 3, true, 0, 0x11, [1, 2, 3], localOnly: true);
        byte[] bytes = FrameCodec.Encode(frame, FrameLimits.LoRa);
        Assert.Equal((3 << 5) | (3 << 2) | 2 | 1, bytes[1]);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.LoRa, out Frame? decoded));
        Assert.True(decoded!.LocalOnly);
        Assert.True(decoded.Relayed(0x22, 0).LocalOnly);
        Assert.True(decoded.Readdressed(3, 0x33, 0x11).LocalOnly);
        Assert.False(new Frame(FrameType.Entry, 3, 3, false, 0, 0x11, [1]).LocalOnly);
    }

    [Fact]
    public void A_node_marks_what_it_sends_without_uplink_consent_local_only()
    {
        var alice = new MessengerNode(NodeIdentity.FromRootSecret(new byte[32]), "alice", new MemoryEntryStore(), new TestClock(), FrameLimits.LoRa, false);
        alice.TakeOutbox();
        alice.UplinkConsent = false;
        alice.PostPublic("only for the valley");
        alice.UplinkConsent = true;
        alice.PostPublic("for everyone");
        byte[][] frames = alice.TakeOutbox();
        Assert.Equal([true, false], frames.Select(f => (f[1] & 1) == 1));
    }

    [Theory]
    [InlineData(0, ProtocolError.Truncated)]
    [InlineData(4, ProtocolError.Truncated)]
    public void Truncated_frames_are_refused(int length, ProtocolError expected)
    {
        Assert.Equal(expected, FrameCodec.TryDecode(new byte[] { 0x21, 0x6C, 0, 0, 9 }, 0, length, FrameLimits.LoRa, out _));
    }

    [Fact]
    public void Oversized_frames_are_refused_per_link()
    {
        var big = new byte[FrameLimits.LoRa + 1];
        big[0] = 0x21;
        Assert.Equal(ProtocolError.TooLarge, FrameCodec.TryDecode(big, 0, big.Length, FrameLimits.LoRa, out _));
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(big, 0, big.Length, FrameLimits.Ip, out _));
    }

    [Fact]
    public void Header_rules_are_checked()
    {
        Assert.Equal(ProtocolError.UnsupportedVersion, FrameCodec.TryDecode([0x41, 0, 0, 0, 1], 0, 5, 255, out _));
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode([0x29, 0, 0, 0, 1], 0, 5, 255, out _)); // 9: receipt request, the last type
        Assert.Equal(ProtocolError.UnknownType, FrameCodec.TryDecode([0x2A, 0, 0, 0, 1], 0, 5, 255, out _));
        Assert.Equal(ProtocolError.UnknownType, FrameCodec.TryDecode([0x20, 0, 0, 0, 1], 0, 5, 255, out _));
        Assert.Equal(ProtocolError.InvalidField, FrameCodec.TryDecode([0x21, 0x64, 0, 0, 1], 0, 5, 255, out _)); // limit 3 > start 1
    }

    [Fact]
    public void The_payload_naming_an_entry_round_trips_and_refuses_short_input_and_trailing_bytes()
    {
        byte[] named = new EntryReference(0xC40C80B9, 300).Encode();
        Assert.Equal("c40c80b9ac02", Convert.ToHexStringLower(named)); // big-endian id, then 300 as a varint (LEB128)
        Assert.Equal(ProtocolError.None, EntryReference.TryDecode(named, out EntryReference? back));
        Assert.Equal(0xC40C80B9u, back!.Author);
        Assert.Equal(300u, back.Sequence);
        Assert.Equal(ProtocolError.Truncated, EntryReference.TryDecode(named[..3], out _));
        Assert.Equal(ProtocolError.Truncated, EntryReference.TryDecode(named[..5], out _));
        Assert.Equal(ProtocolError.TrailingBytes, EntryReference.TryDecode([.. named, 0], out _));

        // A node reads a receipt request's payload and nothing else of it: bad bytes are refused with their error.
        var node = new MessengerNode(NodeIdentity.FromRootSecret(new byte[32]), "alice", new MemoryEntryStore(), new TestClock(), FrameLimits.LoRa, false);
        node.TakeOutbox();
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, false, 0, 0x42, [.. named, 0]), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.TrailingBytes, node.Receive(frame, 0, frame.Length));
        frame = FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, false, 0, 0x42, named), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, node.Receive(frame, 0, frame.Length));
        Assert.Empty(node.TakeOutbox());
    }

    [Fact]
    public void Large_entries_fragment_into_LoRa_frames_and_fit_the_IP_limit_whole()
    {
        var author = new AuthorLog(1);
        Entry big = author.Post(new string('p', 1500));
        Frame[] lora = Fragmenter.Split(big.Encoded, FrameLimits.LoRa, 3, false, 1);
        Assert.Equal(7, lora.Length);
        Assert.All(lora, f => Assert.True(FrameCodec.Encode(f, FrameLimits.LoRa).Length <= FrameLimits.LoRa));
        Frame[] ip = Fragmenter.Split(big.Encoded, FrameLimits.Ip, 3, false, 1);
        Assert.Equal(2, ip.Length);
        Assert.Equal(FrameType.Entry, Fragmenter.Split(author.Post("short").Encoded, FrameLimits.LoRa, 3, false, 1).Single().Type);
    }
}
