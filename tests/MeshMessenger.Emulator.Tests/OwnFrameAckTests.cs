using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Receipts;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// What ends an own frame's retransmissions: the delivery receipt ends every piece of a DM sent in fragments, and an
/// echo counts (implicit ACK, proven hop) only when it is a relayed copy of the frame we sent, not a forged header.
/// </summary>
public sealed class OwnFrameAckTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_delivery_receipt_ends_the_retransmissions_of_every_piece_of_a_fragmented_dm(bool learnedRoutes)
    {
        var rig = new DeviceRig(learnedRoutes);
        uint sequence = rig.SendDm();
        rig.Run(120_000); // the short DM's own retransmissions are over (with learned routes each follows a request to the neighbours)
        int retransmissions = rig.App.Counters.Retransmissions;
        int sentBefore = rig.Radio.Sent.Count;
        uint longDm = rig.App.SendText(rig.Peer.NodeId, new string('x', 400));
        Assert.NotEqual(sequence, longDm);

        // Until every piece went out once.
        List<byte[]> pieces = [];
        for (int t = 0; t < 200 && (pieces.Count == 0 || pieces.Count < DeviceRig.Info(pieces[0]).Frame.Payload[5]); t++)
        {
            rig.Run(50);
            pieces = rig.Radio.Sent.Skip(sentBefore).Where(f => DeviceRig.Info(f).Frame.Type == FrameType.Fragment).ToList();
        }

        Assert.InRange(pieces.Count, 2, Fragment.MaxCount);
        Assert.Equal(pieces.Count, pieces.Select(f => DeviceRig.Info(f).Frame.Payload[4]).Distinct().Count()); // no piece sent twice yet
        Assert.True(rig.App.AwaitingAcks >= 1);

        // The recipient gathers the pieces and answers with its delivery receipt.
        var recipient = rig.PeerNode();
        foreach (byte[] piece in pieces)
        {
            recipient.Receive(piece, 0, piece.Length);
        }

        byte[] receipt = recipient.TakeOutbox().Single(f => DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).Author == recipient.Id && DeviceRig.Info(f).IsReceipt);
        rig.App.OnReceive(receipt, -80, 5);
        rig.Run(120_000);

        Assert.Equal(MessageState.Delivered, rig.Node.Tracker.StateOf(longDm));
        Assert.Equal(retransmissions, rig.App.Counters.Retransmissions);
        Assert.Equal(pieces.Count, rig.Radio.Sent.Skip(sentBefore).Count(f => DeviceRig.Info(f).Frame.Type == FrameType.Fragment));
        Assert.Equal(0, rig.App.AwaitingAcks);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Only_a_relayed_copy_of_what_we_sent_is_an_echo_not_a_forged_header(bool learnedRoutes, bool genuine)
    {
        const byte deadHop = 0x66;
        var rig = new DeviceRig(learnedRoutes);
        uint sequence = rig.SendDm();
        rig.Run(1_000);
        Frame sent = Assert.Single(rig.SentEntries(sequence));
        Assert.Equal(1, rig.App.AwaitingAcks);

        // The forger keeps our clear entry header (kind, author, sequence, time, link, hint: 43 bytes) and sends anything after it.
        byte[] payload = (byte[])sent.Payload.Clone();
        for (int i = 43; !genuine && i < payload.Length; i++)
        {
            payload[i] = 0;
        }

        var echo = new Frame(sent.Type, sent.HopLimit - 1, sent.HopStart, sent.WantAck, 0, deadHop, payload);
        rig.App.OnReceive(FrameCodec.Encode(echo, FrameLimits.LoRa), -80, 5);
        rig.Run(120_000);

        Assert.Equal(genuine ? 1 : 0, rig.App.Counters.EchoAcks);
        int copies = rig.SentEntries(sequence).Count;
        if (genuine)
        {
            Assert.True(copies <= 2, "an echoed DM is sent at most once more (a learned route's late flood): " + copies);
        }
        else
        {
            Assert.Equal(1 + rig.App.Policy.MaxRetransmissions, copies);
        }

        // A route to the recipient through the hop the echo named: learned routes trust it for an unretried frame only
        // when that hop was proven to hear us.
        var peer = new MessengerNode(NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)9, 32).ToArray()), "peer", new MemoryEntryStore(), rig.Clock, FrameLimits.LoRa, false);
        Frame fromPeer = DeviceRig.Info(peer.TakeOutbox().First(f => DeviceRig.Info(f).Frame.Type == FrameType.Entry && DeviceRig.Info(f).Author == peer.Id)).Frame;
        rig.App.Policy.Learn(DeviceRig.Info(FrameCodec.Encode(fromPeer.Relayed(deadHop, 0), FrameLimits.LoRa)), 5, rig.Clock.MonotonicMilliseconds);
        byte expected = learnedRoutes && genuine ? deadHop : (byte)(learnedRoutes ? 0 : deadHop);
        Assert.Equal(expected, rig.App.Policy.UnretriedNextHop(peer.Hint, false, rig.Clock.MonotonicMilliseconds));
    }

    [Fact]
    public void A_repeat_heard_after_the_wait_ended_cancels_the_queued_retransmission()
    {
        var rig = new DeviceRig(learnedRoutes: true);
        uint sequence = rig.SendDm();
        rig.Run(1_000);
        Frame sent = Assert.Single(rig.SentEntries(sequence));
        Assert.Equal(0, sent.NextHop); // no route yet: flooded, awaiting any neighbour's repeat

        // The channel stays busy past the ack timeout: the retransmission is queued but cannot go.
        rig.Radio.IsChannelBusy = true;
        for (int t = 0; t < 600 && rig.App.Counters.Retransmissions == 0; t++)
        {
            rig.Run(100);
        }

        Assert.Equal(1, rig.App.Counters.Retransmissions);
        Assert.Single(rig.SentEntries(sequence));

        // A neighbour's repeat of the first copy arrives late, then the channel clears.
        var echo = new Frame(sent.Type, sent.HopLimit - 1, sent.HopStart, sent.WantAck, 0, 0x42, sent.Payload);
        rig.App.OnReceive(FrameCodec.Encode(echo, FrameLimits.LoRa), -80, 5);
        rig.Radio.IsChannelBusy = false;
        rig.Run(120_000);

        Assert.Equal(1, rig.App.Counters.LateEchoCancels);
        Assert.Single(rig.SentEntries(sequence));
    }

}
