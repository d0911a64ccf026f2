using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// The want that travels past the neighbours (docs/protocol.md §8.4): its codec, who answers it with what, and
/// where the answer goes.
/// </summary>
public sealed class RelayedWantTests
{
    private const byte RelayHint = 0x77;

    [Fact]
    public void The_codec_round_trips_and_refuses_bad_payloads()
    {
        var want = new RelayedWant(0x01020304, 3, [new SequenceRange(7, 0, 63), new SequenceRange(8, 5, 9)]);
        byte[] bytes = want.Encode();
        Assert.Equal(ProtocolError.None, RelayedWant.TryDecode(bytes, out RelayedWant? back));
        Assert.Equal(0x01020304u, back!.Asker);
        Assert.Equal(3, back.Round);
        Assert.Equal([7u, 8u], back.Ranges.Select(r => r.Author));
        Assert.Equal(9u, back.Ranges[1].To);

        Assert.Equal(ProtocolError.Truncated, RelayedWant.TryDecode(bytes[..4], out _));
        Assert.Equal(ProtocolError.TrailingBytes, RelayedWant.TryDecode([.. bytes, 0], out _));
        byte[] five = new RelayedWant(1, 0, Enumerable.Range(0, 5).Select(i => new SequenceRange((uint)i, 0, 0)).ToArray()).Encode();
        Assert.Equal(ProtocolError.InvalidField, RelayedWant.TryDecode(five, out _));
        byte[] long65 = new RelayedWant(1, 0, [new SequenceRange(1, 0, 64)]).Encode();
        Assert.Equal(ProtocolError.InvalidField, RelayedWant.TryDecode(long65, out _));
    }

    [Theory]
    [InlineData(0, 0)] // relayed once: the answer goes back through the relay that repeated the want
    [InlineData(1, RelayHint)] // heard first-hand: back through the relay the asker named
    public void Only_the_conversation_between_asker_and_answerer_is_answered_through_the_named_relay(int hopLimit, byte nextHop)
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        MessengerNode carol = TestLink.Node(3, "carol", clock);
        var link = new TestLink(alice, bob, carol);
        link.Run();
        uint aliceToBob = alice.SendText(bob.Id, "to bob");
        uint bobToAlice = bob.SendText(alice.Id, "to alice");
        uint bobToCarol = bob.SendText(carol.Id, "to carol");
        uint bobPost = bob.PostPublic("everyone");
        link.Run();
        bob.TakeOutbox();

        // Alice asks (through a relay) for her chain and bob's; bob hears it.
        byte relay = hopLimit == 0 ? RelayHint : (byte)0x55;
        byte[] payload = new RelayedWant(alice.Id, 1, [new SequenceRange(alice.Id, 0, 63), new SequenceRange(bob.Id, 0, 63)]).Encode();
        byte[] want = FrameCodec.Encode(new Frame(FrameType.Want, hopLimit, 1, false, nextHop, relay, payload), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, bob.Receive(want, 0, want.Length));

        var answered = new List<Entry>();
        foreach (byte[] bytes in bob.TakeOutbox())
        {
            Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.LoRa, out Frame? frame));
            Assert.Equal(FrameType.Entry, frame!.Type);
            Assert.Equal(RelayedWant.HopLimit, frame.HopLimit);
            Assert.Equal(RelayHint, frame.NextHop);
            Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(frame.Payload, 0, frame.Payload.Length, out Entry? entry));
            answered.Add(entry!);
        }

        Assert.Contains(answered, e => e.Author == alice.Id && e.Sequence == aliceToBob);
        Assert.Contains(answered, e => e.Author == bob.Id && e.Sequence == bobToAlice);
        Assert.DoesNotContain(answered, e => e.Author == bob.Id && (e.Sequence == bobToCarol || e.Sequence == bobPost || e.Sequence == 0));
        Assert.All(answered, e => Assert.True(RelayedWant.Answers(e, bob.Id, alice.Id)));

        // Carol holds none of alice's conversation with her: she stays quiet. Alice ignores her own want.
        carol.TakeOutbox();
        alice.TakeOutbox();
        carol.Receive(want, 0, want.Length);
        alice.Receive(want, 0, want.Length);
        Assert.Empty(carol.TakeOutbox());
        Assert.Empty(alice.TakeOutbox());
    }

    [Fact]
    public void One_node_answers_one_relayed_want_with_at_most_sixteen_entries()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        var link = new TestLink(alice, bob);
        link.Run();
        for (int i = 0; i < 30; i++)
        {
            bob.SendText(alice.Id, "m" + i);
        }

        link.Run();
        bob.TakeOutbox();
        byte[] payload = new RelayedWant(alice.Id, 1, [new SequenceRange(bob.Id, 0, 63)]).Encode();
        byte[] want = FrameCodec.Encode(new Frame(FrameType.Want, 0, 1, false, 0, RelayHint, payload), FrameLimits.LoRa);
        bob.Receive(want, 0, want.Length);
        Assert.Equal(RelayedWant.MaxAnswer, bob.TakeOutbox().Length);
    }

    [Fact]
    public void A_range_asked_of_one_neighbour_is_not_asked_of_another_until_its_hold_ends_but_more_of_the_chain_is()
    {
        var plan = new RestorePlan(16);
        SequenceRange[] first = plan.Filter([new SequenceRange(9, 0, 5), new SequenceRange(8, 2, 2)], 1000);
        Assert.Equal(2, first.Length);

        SequenceRange[] second = plan.Filter([new SequenceRange(9, 1, 4), new SequenceRange(9, 0, 8), new SequenceRange(8, 2, 2)], 1000 + RestorePlan.HoldMilliseconds - 1);
        Assert.Equal([new SequenceRange(9, 0, 8).To], second.Select(r => r.To));

        SequenceRange[] later = plan.Filter([new SequenceRange(8, 2, 2)], 1000 + RestorePlan.HoldMilliseconds);
        Assert.Single(later);
    }

    [Fact]
    public void Questions_go_to_the_neighbour_holding_most_on_odd_rounds_and_in_turn_on_even_rounds()
    {
        var plan = new RestorePlan(16);
        Assert.Equal(0, plan.NextNeighbour()); // none heard yet: any neighbour answers
        plan.Neighbours.Note(0x10, 5);
        plan.Neighbours.Note(0x20, 400); // an archive
        plan.Neighbours.Note(0x30, 7);
        var asked = new List<byte>();
        for (int i = 0; i < 6; i++)
        {
            plan.NextRound();
            asked.Add(plan.NextNeighbour());
        }

        Assert.Equal([0x20, 0x20, 0x20, 0x30, 0x20, 0x10], asked);
    }

    [Fact]
    public void The_restore_plan_remembers_at_most_64_asked_ranges_and_16_neighbours()
    {
        var plan = new RestorePlan(16);
        for (uint a = 1; a <= RestorePlan.MaxAskedRanges + 1; a++)
        {
            Assert.Single(plan.Filter([new SequenceRange(a, 0, 0)], 0));
        }

        Assert.Single(plan.Filter([new SequenceRange(1, 0, 0)], 1)); // the oldest ask was forgotten
        Assert.Empty(plan.Filter([new SequenceRange(RestorePlan.MaxAskedRanges + 1, 0, 0)], 1)); // the newest is held

        for (int hint = 1; hint <= 20; hint++)
        {
            plan.Neighbours.Note((byte)hint, hint);
        }

        var asked = new HashSet<byte>();
        for (int i = 0; i < 80; i++)
        {
            plan.NextRound();
            asked.Add(plan.NextNeighbour());
        }

        Assert.Equal(RestoreNeighbours.MaxNeighbours, asked.Count);
        Assert.All(asked, h => Assert.InRange(h, 1, RestoreNeighbours.MaxNeighbours));
    }

    [Fact]
    public void A_neighbour_whose_heads_showed_entries_takes_the_place_of_one_heard_only_by_its_frames()
    {
        // Hostile or merely dense: relay bytes are not signed, and 16 transmitters heard once an archive was heard fill the
        // table before the plain neighbours' heads arrive; those must still be asked.
        var plan = new RestorePlan(16);
        for (int hint = 1; hint <= RestoreNeighbours.MaxNeighbours; hint++)
        {
            plan.Neighbours.Note((byte)hint, 0); // heard by a frame only
        }

        plan.Neighbours.Note(0x70, 0); // one more frame: not remembered
        plan.Neighbours.Note(0x71, 12); // heads showing 12 entries: in place of the first frame-only neighbour
        plan.Neighbours.Note(0x72, 5);

        var asked = new HashSet<byte>();
        for (int i = 0; i < 80; i++)
        {
            plan.NextRound();
            asked.Add(plan.NextNeighbour());
        }

        Assert.Contains((byte)0x71, asked);
        Assert.Contains((byte)0x72, asked);
        Assert.DoesNotContain((byte)0x70, asked);
        Assert.DoesNotContain((byte)1, asked);
        Assert.DoesNotContain((byte)2, asked);
        Assert.Equal((byte)0x71, plan.Neighbours.Best());
    }
}
