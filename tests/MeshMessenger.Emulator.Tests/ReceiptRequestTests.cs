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
        byte[] request = FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, false, 0, authorHint, payload), FrameLimits.LoRa);
        rig.App.OnReceive(request, -80, 5);
        if (story == "another neighbour handed it back first")
        {
            rig.App.OnReceive(FrameCodec.Encode(c.Receipt.Relayed(0x77, authorHint), FrameLimits.LoRa), -80, 5);
        }

        rig.Run(30_000);
        if (story == "asked twice")
        {
            rig.App.OnReceive(request, -80, 5);
            rig.Run(30_000);
        }

        List<Frame> back = rig.Radio.Sent.Skip(before).Select(f => DeviceRig.Info(f).Frame).ToList();
        if (story is "asked" or "asked twice")
        {
            Frame handed = Assert.Single(back);
            Assert.Equal(c.Receipt.Payload, handed.Payload); // the recipient's signed receipt, unchanged
            Assert.Equal(authorHint, handed.NextHop);         // directed to the author, which does not repeat it
            Assert.Equal(c.Receipt.HopLimit - 2, handed.HopLimit); // one hop on from the copy heard
            Assert.Equal(1, rig.App.Counters.ReceiptsHandedBack);
            return;
        }

        Assert.Empty(back);
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
    [InlineData(true)]
    [InlineData(false)]
    public void The_recipient_sends_its_receipt_once_more_directed_to_the_author_that_asks_after_it_left(bool askedAfterItLeft)
    {
        var rig = new DeviceRig(learnedRoutes: true);
        rig.Run(30_000);
        MessengerNode author = rig.PeerNode();
        author.TakeOutbox();
        uint sequence = author.SendText(rig.Node.Id, "hello");
        Frame dm = DeviceRig.Info(Assert.Single(author.TakeOutbox(), f => DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).Sequence == sequence)).Frame;
        byte[] request = FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, false, 0, author.Hint, new EntryReference(author.Id, sequence).Encode()), FrameLimits.LoRa);

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
        private Conversation(MessengerNode author, uint sequence, Frame message, Frame receipt)
        {
            Author = author;
            Sequence = sequence;
            Message = message;
            Receipt = receipt;
        }

        public MessengerNode Author { get; }

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
            uint sequence = author.SendText(recipient.Id, "hello");
            byte[] dm = Assert.Single(author.TakeOutbox(), f => DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).Sequence == sequence);
            Assert.Equal(ProtocolError.None, recipient.Receive(dm, 0, dm.Length));
            byte[] receipt = Assert.Single(recipient.TakeOutbox(), f => DeviceRig.Info(f).IsReceipt);
            return new Conversation(author, sequence, DeviceRig.Info(dm).Frame, DeviceRig.Info(receipt).Frame);
        }
    }
}
