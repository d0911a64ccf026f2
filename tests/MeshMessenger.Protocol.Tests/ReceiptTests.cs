using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests;

public sealed class ReceiptTests
{
    [Fact]
    public void Sender_sees_sent_then_relayed_then_delivered_then_read()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        new TestLink(alice, bob).Run();

        uint seq = alice.SendText(bob.Id, "are you there?");
        Assert.Equal(MessageState.Sent, alice.Tracker.StateOf(seq));

        // A relay repeats the frame (hop limit one lower, its relay byte): relayed, not delivered.
        byte[] frame = alice.TakeOutbox().Single();
        FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.LoRa, out Frame? f);
        byte[] echo = FrameCodec.Encode(f!.Relayed(0x77, 0), FrameLimits.LoRa);
        alice.Receive(echo, 0, echo.Length);
        Assert.Equal(MessageState.Relayed, alice.Tracker.StateOf(seq));

        bob.Receive(frame, 0, frame.Length);
        Assert.Contains(bob.Messages.Cast<MessageRecord>(), m => m.Text == "are you there?" && !m.Outgoing);
        new TestLink(alice, bob).Run();
        Assert.Equal(MessageState.Delivered, alice.Tracker.StateOf(seq));

        bob.MarkRead(alice.Id, seq);
        new TestLink(alice, bob).Run();
        Assert.Equal(MessageState.Read, alice.Tracker.StateOf(seq));
    }

    [Fact]
    public void Receipts_from_anyone_but_the_recipient_change_nothing()
    {
        var tracker = new DeliveryTracker();
        tracker.Sent(5, recipient: 0xB0B);
        var receipt = new ReceiptBody([new SequenceRange(1, 1, 9)]);
        Assert.Equal(0, tracker.ApplyReceipt(0xE7E, receipt, MessageState.Delivered));
        Assert.Equal(MessageState.Sent, tracker.StateOf(5));
        Assert.Equal(1, tracker.ApplyReceipt(0xB0B, receipt, MessageState.Read));
        Assert.Equal(0, tracker.ApplyReceipt(0xB0B, receipt, MessageState.Delivered)); // never backwards
        Assert.Equal(MessageState.Read, tracker.StateOf(5));
    }

    [Fact]
    public void Receipt_body_round_trips_and_collapses_runs()
    {
        SequenceRange[] ranges = ReceiptBody.RangesOf(1, [3, 4, 5, 9, 11, 12]);
        Assert.Equal([(3u, 5u), (9u, 9u), (11u, 12u)], ranges.Select(r => (r.From, r.To)));
        byte[] encoded = new ReceiptBody(ranges).Encode();
        Assert.Equal(ProtocolError.None, ReceiptBody.TryDecode(encoded, 1, out ReceiptBody? back));
        Assert.True(back!.Covers(4) && back.Covers(12) && !back.Covers(6));
        Assert.Equal(ProtocolError.InvalidField, ReceiptBody.TryDecode([1, 5, 3], 1, out _)); // to < from
        Assert.Equal(ProtocolError.TrailingBytes, ReceiptBody.TryDecode([1, 5, 5, 0], 1, out _));
    }
}
