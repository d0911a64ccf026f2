using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Receipts;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// Only the recipient's own, signed delivery receipt for a message ends that message's retransmissions
/// (docs/protocol.md §7): a replayed receipt of an earlier message, a tampered one or another entry of the recipient
/// does not.
/// </summary>
public sealed class HostileReceiptTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_replayed_or_tampered_receipt_or_another_entry_does_not_end_a_later_messages_retransmissions(bool learnedRoutes)
    {
        var rig = new DeviceRig(learnedRoutes);
        var recipient = rig.PeerNode();

        // A first message and its genuine receipt, which an attacker records.
        uint first = rig.SendDm();
        rig.Run(1_000);
        byte[] dm = FrameCodec.Encode(rig.SentEntries(first)[0], FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, recipient.Receive(dm, 0, dm.Length));
        byte[] receipt = recipient.TakeOutbox().Single(f => DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).Author == recipient.Id);
        rig.App.OnReceive(receipt, -80, 5);
        Assert.Equal(MessageState.Delivered, rig.Node.Tracker.StateOf(first));
        Assert.Equal(1, rig.App.Counters.ReceiptAcks);

        // A second message the recipient never gets; the attacker replays the old receipt and a copy with its last
        // byte changed (inside the sealed body or the signature).
        uint second = rig.App.SendText(rig.Peer.NodeId, "again");
        rig.Run(1_000);
        int retransmissions = rig.App.Counters.Retransmissions;
        byte[] tampered = (byte[])receipt.Clone();
        tampered[^1] ^= 0x01;
        rig.App.OnReceive(receipt, -80, 5);
        rig.App.OnReceive(tampered, -80, 5);

        // A genuine new entry of the recipient addressed to us that is not a receipt covering it ends nothing either.
        recipient.SendText(rig.Node.Id, "hi");
        foreach (byte[] frame in recipient.TakeOutbox().Where(f => DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).Author == recipient.Id))
        {
            rig.App.OnReceive(frame, -80, 5);
        }

        rig.Run(120_000);

        Assert.Equal(MessageState.Sent, rig.Node.Tracker.StateOf(second));
        Assert.Equal(1, rig.App.Counters.ReceiptAcks);
        // Learned routes also flood our own receipt for "hi" once more: no neighbour of the rig repeats it.
        Assert.Equal(retransmissions + rig.App.Policy.MaxRetransmissions + (learnedRoutes ? 1 : 0), rig.App.Counters.Retransmissions);
        Assert.Equal(1 + rig.App.Policy.MaxRetransmissions, rig.SentEntries(second).Count);
    }

}
