using MeshMessenger.Firmware;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// An author whose flooded direct message was repeated but whose delivery receipt did not come asks its neighbours for
/// it (docs/protocol.md §7.1); the recipient, or a neighbour that heard the receipt pass, hands it back, once, directed
/// to the author (docs/emulator.md §3.2, learned routes only).
/// </summary>
public sealed class ReceiptRequestTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void An_author_whose_flooded_DM_was_repeated_but_got_no_receipt_asks_its_neighbours_once(bool learned, bool receiptComes)
    {
        var rig = new DeviceRig(learned);
        uint sequence = rig.SendDm();
        rig.Run(1_000);
        Frame first = Assert.Single(rig.SentEntries(sequence));
        Assert.Equal(0, first.NextHop); // no route: flooded

        rig.App.OnReceive(FrameCodec.Encode(first.Relayed(0x55, 0), FrameLimits.LoRa), -80, 5); // a neighbour repeats it
        if (receiptComes)
        {
            MessengerNode recipient = rig.PeerNode();
            byte[] dm = FrameCodec.Encode(first, FrameLimits.LoRa);
            Assert.Equal(ProtocolError.None, recipient.Receive(dm, 0, dm.Length));
            byte[] receipt = Assert.Single(recipient.TakeOutbox(), f => DeviceRig.Info(f).IsReceipt);
            rig.App.OnReceive(FrameCodec.Encode(DeviceRig.Info(receipt).Frame.Relayed(0x55, 0), FrameLimits.LoRa), -80, 5);
        }

        rig.Run(300_000);
        List<Frame> requests = Requests(rig);
        Assert.Single(rig.SentEntries(sequence)); // the message itself is not sent again
        if (!learned || receiptComes)
        {
            Assert.Empty(requests);
            return;
        }

        Frame request = Assert.Single(requests);
        Assert.Equal(0, request.HopLimit); // for the neighbours only
        Assert.Equal(rig.Node.Hint, request.Relay);
        Assert.Equal(ProtocolError.None, EntryReference.TryDecode(request.Payload, out EntryReference? asked));
        Assert.Equal(rig.Node.Id, asked!.Author);
        Assert.Equal(sequence, asked.Sequence);
        Assert.Equal(1, rig.App.Counters.ReceiptRequests);
    }

    [Theory]
    [InlineData("asked")]
    [InlineData("asked twice")]
    [InlineData("receipt heard before the message")]
    [InlineData("another neighbour handed it back first")]
    [InlineData("request naming another message")]
    [InlineData("request with a byte too many")]
    public void A_neighbour_that_heard_the_receipt_pass_hands_it_back_once_directed_to_the_author(string story)
    {
        var rig = new DeviceRig(learnedRoutes: true); // a bystander between author and recipient
        rig.Run(30_000);
        Conversation c = Conversation.Start(rig);
        byte authorHint = c.Author.Hint;

        // The author's flooded message and, one hop on, the recipient's receipt pass the bystander.
        byte[] message = FrameCodec.Encode(c.Message.Readdressed(c.Message.HopLimit, 0, authorHint), FrameLimits.LoRa);
        byte[] receipt = FrameCodec.Encode(c.Receipt.Relayed(0x66, 0), FrameLimits.LoRa);
        if (story == "receipt heard before the message")
        {
            (message, receipt) = (receipt, message);
        }

        rig.App.OnReceive(message, -80, 5);
        rig.Run(1_000);
        rig.App.OnReceive(receipt, -80, 5);
        rig.Run(60_000); // the relays of both are long sent
        int before = rig.Radio.Sent.Count;

        uint sequence = story == "request naming another message" ? c.Sequence + 1 : c.Sequence;
        byte[] payload = new EntryReference(c.Author.Id, sequence).Encode();
        payload = story == "request with a byte too many" ? [.. payload, 0] : payload;
        // Asked whether it has the message too (want-ack): it answers once per message, the receipt before an Ack.
        byte[] request = FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, true, 0, authorHint, payload), FrameLimits.LoRa);
        rig.App.OnReceive(request, -80, 5);
        int cancelled = rig.App.Counters.RelaysCancelled;
        if (story == "another neighbour handed it back first")
        {
            rig.App.OnReceive(FrameCodec.Encode(c.Receipt.Relayed(0x77, authorHint), FrameLimits.LoRa), -80, 5);
            Assert.Equal(cancelled + 1, rig.App.Counters.RelaysCancelled); // ours was queued, and is cancelled
        }

        rig.Run(30_000);
        if (story == "asked twice")
        {
            rig.App.OnReceive(request, -80, 5);
            rig.Run(30_000);
        }

        List<Frame> back = rig.Radio.Sent.Skip(before).Select(f => DeviceRig.Info(f).Frame).ToList();
        List<Frame> receipts = back.Where(f => f.Type == FrameType.Entry).ToList();
        if (story is "asked" or "asked twice")
        {
            Frame handed = Assert.Single(receipts);
            Assert.Equal(c.Receipt.Payload, handed.Payload); // the recipient's signed receipt, unchanged
            Assert.Equal(authorHint, handed.NextHop);         // directed to the author, which does not repeat it
            Assert.Equal(c.Receipt.HopLimit - 2, handed.HopLimit); // one hop on from the copy heard
            Assert.Equal(1, rig.App.Counters.ReceiptsHandedBack);
            Assert.DoesNotContain(back, f => f.Type == FrameType.Ack); // answered once: no Ack after the receipt
            return;
        }

        Assert.Empty(receipts);

        // A receipt heard before the message answers nothing, but the message was heard: an Ack says so.
        Assert.Equal(story == "receipt heard before the message" ? 1 : 0, back.Count(f => f.Type == FrameType.Ack));
    }

    [Fact]
    public void Of_two_messages_of_the_same_pair_each_request_gets_the_receipt_that_came_after_its_message_first()
    {
        var rig = new DeviceRig(learnedRoutes: true);
        rig.Run(30_000);
        Conversation first = Conversation.Start(rig);
        Conversation second = first.Again();
        Frame[] heard =
        [
            first.Message.Readdressed(first.Message.HopLimit, 0, first.Author.Hint),
            second.Message.Readdressed(second.Message.HopLimit, 0, first.Author.Hint),
            first.Receipt.Relayed(0x66, 0),
            second.Receipt.Relayed(0x66, 0),
        ];
        foreach (Frame f in heard)
        {
            rig.App.OnReceive(FrameCodec.Encode(f, FrameLimits.LoRa), -80, 5);
            rig.Run(1_000);
        }

        rig.Run(60_000);
        foreach (Conversation c in new[] { first, second })
        {
            int before = rig.Radio.Sent.Count;
            byte[] payload = new EntryReference(c.Author.Id, c.Sequence).Encode();
            rig.App.OnReceive(FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, false, 0, c.Author.Hint, payload), FrameLimits.LoRa), -80, 5);
            rig.Run(30_000);
            Frame handed = Assert.Single(rig.Radio.Sent.Skip(before).Select(f => DeviceRig.Info(f).Frame));
            Assert.Equal(c.Receipt.Payload, handed.Payload);
        }
    }

    [Theory]
    [InlineData("nobody answers")]
    [InlineData("a neighbour has it")]
    [InlineData("a neighbour has it, and the receipt comes")]
    public void An_author_that_heard_no_repeat_of_its_flooded_DM_asks_its_neighbours_before_sending_it_again(string story)
    {
        var rig = new DeviceRig(learnedRoutes: true);
        uint sequence = rig.SendDm();
        rig.Run(1_000);
        Frame first = Assert.Single(rig.SentEntries(sequence));
        Assert.Equal(0, first.NextHop);
        for (int waited = 0; Requests(rig).Count == 0 && waited < 60_000; waited += 10)
        {
            rig.Run(10); // no repeat is heard: at the ack timeout the author asks instead of sending the DM again
        }

        Frame probe = Assert.Single(Requests(rig));
        Assert.Single(rig.SentEntries(sequence));
        Assert.Equal(1, rig.App.Counters.RetransmissionProbes);
        Assert.True(probe.WantAck); // asks whether the neighbours have it, not only for the receipt
        if (story == "nobody answers")
        {
            // Each retransmission after a request that got no answer: 3 copies and 2 requests in all, then it gives up.
            rig.Run(300_000);
            Assert.Equal(3, rig.SentEntries(sequence).Count);
            Assert.Equal(2, rig.App.Counters.Retransmissions);
            Assert.Equal(2, Requests(rig).Count);
            Assert.All(Requests(rig), r => Assert.True(r.WantAck));
            return;
        }

        // A neighbour that heard the DM says so: the retransmission is spared, the wait for the receipt begins.
        rig.App.OnReceive(FrameCodec.Encode(new Frame(FrameType.Ack, 0, 0, false, rig.Node.Hint, 0x55, probe.Payload), FrameLimits.LoRa), -80, 5);
        Assert.Equal(MeshMessenger.Protocol.Receipts.MessageState.Relayed, rig.Node.Tracker.StateOf(sequence));
        if (story.EndsWith("the receipt comes"))
        {
            MessengerNode recipient = rig.PeerNode();
            byte[] dm = FrameCodec.Encode(first, FrameLimits.LoRa);
            Assert.Equal(ProtocolError.None, recipient.Receive(dm, 0, dm.Length));
            byte[] receipt = Assert.Single(recipient.TakeOutbox(), f => DeviceRig.Info(f).IsReceipt);
            rig.App.OnReceive(FrameCodec.Encode(DeviceRig.Info(receipt).Frame.Relayed(0x55, rig.Node.Hint), FrameLimits.LoRa), -80, 5);
        }

        rig.Run(300_000);
        Assert.Equal(0, rig.App.Counters.Retransmissions);
        Assert.Equal(0, rig.App.AwaitingAcks);
        if (story.EndsWith("the receipt comes"))
        {
            Assert.Single(rig.SentEntries(sequence));
            Assert.Single(Requests(rig));
            return;
        }

        // No receipt either: the receipt is asked for (want-ack clear: Acks are no answer now), and as the retransmission
        // was spared, the DM is flooded once after all.
        Assert.Equal(2, Requests(rig).Count);
        Assert.False(Requests(rig)[1].WantAck);
        List<Frame> sent = rig.SentEntries(sequence);
        Assert.Equal(2, sent.Count);
        Assert.Equal(0, sent[1].NextHop);
        Assert.Equal(sent[1].HopStart, sent[1].HopLimit);
        Assert.Equal(1, rig.App.Counters.EndToEndRetries);
    }

    [Fact]
    public void On_a_channel_more_than_40_percent_busy_the_author_sends_its_DM_again_without_asking()
    {
        var rig = new DeviceRig(learnedRoutes: true);
        uint sequence = rig.SendDm();
        rig.Run(1_000);
        Assert.Single(rig.SentEntries(sequence));
        byte[] noise = new byte[255]; // undecodable, but the channel was busy while it was heard
        for (int i = 0; i < 30; i++)
        {
            rig.App.OnReceive(noise, -80, 5);
        }

        Assert.True(rig.App.ChannelUtilisation > 0.40);
        for (int waited = 0; rig.SentEntries(sequence).Count < 2 && waited < 60_000; waited += 10)
        {
            rig.Run(10);
        }

        Assert.Equal(2, rig.SentEntries(sequence).Count);
        Assert.Empty(Requests(rig));
        Assert.Equal(0, rig.App.Counters.RetransmissionProbes);
    }

    [Theory]
    [InlineData("asked")]
    [InlineData("asked twice")]
    [InlineData("another neighbour answered first")]
    [InlineData("message never heard")]
    [InlineData("asked for the receipt only")]
    public void A_neighbour_that_heard_the_message_but_no_receipt_answers_a_request_with_an_Ack_once(string story)
    {
        var rig = new DeviceRig(learnedRoutes: true);
        rig.Run(30_000);
        Conversation c = Conversation.Start(rig);
        if (story != "message never heard")
        {
            rig.App.OnReceive(FrameCodec.Encode(c.Message.Readdressed(c.Message.HopLimit, 0, c.Author.Hint), FrameLimits.LoRa), -80, 5);
        }

        rig.Run(60_000);
        int before = rig.Radio.Sent.Count;
        byte[] payload = new EntryReference(c.Author.Id, c.Sequence).Encode();
        byte[] request = FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, story != "asked for the receipt only", 0, c.Author.Hint, payload), FrameLimits.LoRa);
        rig.App.OnReceive(request, -80, 5);
        if (story == "another neighbour answered first")
        {
            rig.App.OnReceive(FrameCodec.Encode(new Frame(FrameType.Ack, 0, 0, false, c.Author.Hint, 0x77, payload), FrameLimits.LoRa), -80, 5);
        }

        rig.Run(30_000);
        if (story == "asked twice")
        {
            rig.App.OnReceive(request, -80, 5);
            rig.Run(30_000);
        }

        List<Frame> answers = rig.Radio.Sent.Skip(before).Select(f => DeviceRig.Info(f).Frame).ToList();
        if (story is "asked" or "asked twice")
        {
            Frame ack = Assert.Single(answers);
            Assert.Equal(FrameType.Ack, ack.Type);
            Assert.Equal(payload, ack.Payload);
            Assert.Equal(c.Author.Hint, ack.NextHop);
            Assert.Equal(0, ack.HopLimit);
            Assert.Equal(1, rig.App.Counters.ProbesAnswered);
            return;
        }

        Assert.Empty(answers);
    }

    [Fact]
    public void Managed_flooding_hands_back_nothing()
    {
        var rig = new DeviceRig(learnedRoutes: false);
        rig.Run(30_000);
        Conversation c = Conversation.Start(rig);
        rig.App.OnReceive(FrameCodec.Encode(c.Message.Readdressed(c.Message.HopLimit, 0, c.Author.Hint), FrameLimits.LoRa), -80, 5);
        rig.App.OnReceive(FrameCodec.Encode(c.Receipt.Relayed(0x66, 0), FrameLimits.LoRa), -80, 5);
        rig.Run(60_000);
        int before = rig.Radio.Sent.Count;
        byte[] request = new EntryReference(c.Author.Id, c.Sequence).Encode();
        rig.App.OnReceive(FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, false, 0, c.Author.Hint, request), FrameLimits.LoRa), -80, 5);
        rig.Run(30_000);
        Assert.Equal(before, rig.Radio.Sent.Count);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void The_recipient_sends_its_receipt_once_more_directed_to_the_author_that_asks_after_it_left(bool askedAfterItLeft, bool askedByAnother)
    {
        var rig = new DeviceRig(learnedRoutes: true);
        rig.Run(30_000);
        MessengerNode author = rig.PeerNode();
        author.TakeOutbox();
        uint sequence = author.SendText(rig.Node.Id, "hello");
        Frame dm = DeviceRig.Info(Assert.Single(author.TakeOutbox(), f => DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).Sequence == sequence)).Frame;
        // The author's own request, or the same payload sent by another node (its relay byte): that one is not answered.
        byte[] request = FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, false, 0, askedByAnother ? (byte)0x99 : author.Hint, new EntryReference(author.Id, sequence).Encode()), FrameLimits.LoRa);

        rig.App.OnReceive(FrameCodec.Encode(dm.Readdressed(dm.HopLimit, 0, author.Hint), FrameLimits.LoRa), -80, 5);
        if (!askedAfterItLeft)
        {
            rig.App.OnReceive(request, -80, 5); // before the receipt is on air: it crossed the receipt
        }

        rig.Run(10_000);
        Frame receipt = Assert.Single(OwnReceipts(rig, author.Id));
        rig.App.OnReceive(FrameCodec.Encode(receipt.Relayed(0x77, 0), FrameLimits.LoRa), -80, 5); // a neighbour repeats it
        rig.Run(10_000);
        if (askedAfterItLeft)
        {
            rig.App.OnReceive(request, -80, 5);
            rig.Run(10_000);
            rig.App.OnReceive(request, -80, 5); // and again: once only
            rig.Run(10_000);
        }

        List<Frame> receipts = OwnReceipts(rig, author.Id);
        if (askedByAnother)
        {
            // Not answered, and the one more copy a later copy of the DM earns is still there.
            Assert.Single(receipts);
            rig.App.OnReceive(FrameCodec.Encode(dm.Readdressed(dm.HopLimit, 0, author.Hint), FrameLimits.LoRa), -80, 5);
            rig.Run(10_000);
            Assert.Equal(2, OwnReceipts(rig, author.Id).Count);
            return;
        }

        if (!askedAfterItLeft)
        {
            Assert.Single(receipts);
            return;
        }

        Assert.Equal(2, receipts.Count);
        Assert.Equal(receipt.Payload, receipts[1].Payload);
        Assert.Equal(author.Hint, receipts[1].NextHop);
        Assert.Equal(1, rig.App.Counters.ReceiptsSentAgain);
    }

    [Fact]
    public void Forged_requests_acks_and_junk_receipt_headers_never_throw_and_draw_at_most_one_answer_per_message()
    {
        var rig = new DeviceRig(learnedRoutes: true);
        rig.Run(30_000);
        Conversation c = Conversation.Start(rig);
        rig.App.OnReceive(FrameCodec.Encode(c.Message.Readdressed(c.Message.HopLimit, 0, c.Author.Hint), FrameLimits.LoRa), -80, 5);
        rig.Run(1_000);
        rig.App.OnReceive(FrameCodec.Encode(c.Receipt.Relayed(0x66, 0), FrameLimits.LoRa), -80, 5);
        rig.Run(60_000);
        int before = rig.Radio.Sent.Count;
        byte[] named = new EntryReference(c.Author.Id, c.Sequence).Encode();
        var random = new Random(7);
        for (int i = 0; i < 5_000; i++)
        {
            // Requests naming the message under any relay byte and flags, Acks, replays of the message under other hop
            // starts, junk with a receipt's clear header, and random bytes.
            byte[] frame = (i % 5) switch
            {
                0 => FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, i % 2 == 0, 0, (byte)random.Next(256), named), FrameLimits.LoRa),
                1 => FrameCodec.Encode(new Frame(FrameType.Ack, 0, 0, false, (byte)random.Next(256), (byte)random.Next(256), named), FrameLimits.LoRa),
                2 => FrameCodec.Encode(c.Message.Readdressed(random.Next(4), 0, c.Author.Hint) is var m ? new Frame(m.Type, m.HopLimit, 3 + random.Next(5), m.WantAck, 0, m.Relay, m.Payload, m.LocalOnly) : c.Message, FrameLimits.LoRa),
                3 => Mutated(FrameCodec.Encode(c.Receipt, FrameLimits.LoRa), random),
                _ => RandomBytes(random),
            };
            rig.App.OnReceive(frame, -80, random.Next(-20, 10));
            if (i % 50 == 0)
            {
                rig.Run(1_000);
            }

            Assert.InRange(rig.App.QueueLength, 0, DeviceApp.MaxQueueLength);
        }

        rig.Run(60_000);

        // The one receipt heard is handed back once, whatever was forged; nothing else answers the requests.
        List<Frame> answers = rig.Radio.Sent.Skip(before).Select(f => DeviceRig.Info(f).Frame).Where(f => f.Type == FrameType.Ack || (f.Type == FrameType.Entry && f.NextHop == c.Author.Hint)).ToList();
        Assert.Single(answers, f => f.Type == FrameType.Entry && f.Payload.SequenceEqual(c.Receipt.Payload));
        Assert.DoesNotContain(answers, f => f.Type == FrameType.Ack);
    }

    private static byte[] Mutated(byte[] frame, Random random)
    {
        byte[] copy = (byte[])frame.Clone();
        for (int k = 0; k < 3; k++)
        {
            int at = 4 + 27 + random.Next(copy.Length - 31); // past the clear header, so it still reads as a receipt
            copy[at] ^= (byte)(1 + random.Next(255));
        }

        copy[4 + 1] ^= (byte)random.Next(256); // another author id: junk from "someone else"
        return copy;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[1 + random.Next(255)];
        random.NextBytes(bytes);
        bytes[0] = (byte)((bytes[0] & 0x1F) | 0x20); // version 1, any type
        return bytes;
    }

    private static List<Frame> Requests(DeviceRig rig)
    {
        return rig.Radio.Sent.Select(f => DeviceRig.Info(f).Frame).Where(f => f.Type == FrameType.ReceiptRequest).ToList();
    }

    private static List<Frame> OwnReceipts(DeviceRig rig, uint to)
    {
        return rig.Radio.Sent.Select(DeviceRig.Info).Where(p => p.Author == rig.Node.Id && p.IsReceipt && p.DestinationHint == NodeId.HintOf(to)).Select(p => p.Frame).ToList();
    }

    // An author and a recipient other than the rig's device, the author's DM and the recipient's delivery receipt for it.
    private sealed class Conversation
    {
        private Conversation(MessengerNode author, MessengerNode recipient, uint sequence, Frame message, Frame receipt)
        {
            Author = author;
            Recipient = recipient;
            Sequence = sequence;
            Message = message;
            Receipt = receipt;
        }

        public MessengerNode Author { get; }

        public MessengerNode Recipient { get; }

        public uint Sequence { get; }

        public Frame Message { get; }

        public Frame Receipt { get; }

        public static Conversation Start(DeviceRig rig)
        {
            MessengerNode author = rig.PeerNode();
            var recipientId = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)3, 32).ToArray());
            var recipient = new MessengerNode(recipientId, "recipient", new MemoryEntryStore(), rig.Clock, FrameLimits.LoRa, false);
            Assert.NotEqual(rig.Node.Hint, recipient.Hint);
            Assert.NotEqual(author.Hint, recipient.Hint);
            Assert.True(author.Chains.AddContact(recipient.Profile));
            Assert.True(recipient.Chains.AddContact(author.Profile));
            author.TakeOutbox();
            recipient.TakeOutbox();
            return Between(author, recipient);
        }

        // The same two nodes: a further message and its receipt.
        public Conversation Again()
        {
            return Between(Author, Recipient);
        }

        private static Conversation Between(MessengerNode author, MessengerNode recipient)
        {
            uint sequence = author.SendText(recipient.Id, "hello");
            byte[] dm = Assert.Single(author.TakeOutbox(), f => DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).Sequence == sequence);
            Assert.Equal(ProtocolError.None, recipient.Receive(dm, 0, dm.Length));
            byte[] receipt = Assert.Single(recipient.TakeOutbox(), f => DeviceRig.Info(f).IsReceipt);
            return new Conversation(author, recipient, sequence, DeviceRig.Info(dm).Frame, DeviceRig.Info(receipt).Frame);
        }
    }
}
