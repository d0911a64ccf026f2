using MeshMessenger.Firmware;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// Anyone can ask a device for its entries under any hint (docs/protocol.md §8.6): a flood of wants must not spend the
/// owner's duty cycle. Answers stop at <see cref="DeviceApp.AnswerSharePercent"/> of the hour's allowance and the
/// owner's own message still goes on air.
/// </summary>
public class AnswerShareTests
{
    private const int OwnEntries = 8;

    [Theory]
    [InlineData(FrameType.Want)]
    [InlineData(FrameType.Heads)]
    public void A_flood_of_questions_cannot_spend_the_owners_duty_cycle(FrameType asked)
    {
        var rig = new DeviceRig(region: Region.Eu868);
        for (int i = 0; i < OwnEntries - 1; i++)
        {
            rig.SendDm(); // entries 1..7 after the genesis profile; each waits 30 s, so their retries are over
        }

        rig.Run(120_000);
        int before = rig.Radio.Sent.Count;
        byte[] question = asked == FrameType.Want
            ? new WantMessage([new SequenceRange(rig.Node.Id, 0, OwnEntries - 1)]).Encode()
            : new HeadsMessage(true, false, false, []).Encode();
        byte[] flood = FrameCodec.Encode(new Frame(asked, 0, 0, false, 0, 0x77, question), FrameLimits.LoRa);

        // Ten minutes of one question a second (a want asks for the whole chain each time): far past the hour's allowance.
        for (int s = 0; s < 600; s++)
        {
            rig.App.OnReceive(flood, -80, 5);
            rig.Run(1_000);
        }

        uint mine = rig.App.SendText(rig.Peer.NodeId, "still here");
        for (int s = 0; s < 60; s++)
        {
            rig.App.OnReceive(flood, -80, 5);
            rig.Run(1_000);
        }

        Assert.NotEmpty(rig.SentEntries(mine)); // the owner's message went on air within a minute, flood or not

        // What the flood got: answers (heads, or own entries sent again) within half the allowance, plus one frame.
        long answerMs = rig.AirtimeSince(before, p => p.Frame.Type == FrameType.Heads || (p.Frame.Type == FrameType.Entry && p.Author == rig.Node.Id && p.Sequence < OwnEntries), out int longest);

        long allowanceMs = 3_600_000L * Region.Eu868.DutyCyclePercent / 100;
        Assert.InRange(answerMs, allowanceMs / 4, (allowanceMs * DeviceApp.AnswerSharePercent / 100) + longest);
        Assert.True(rig.App.Counters.SyncAnswersDropped > 0);
    }
}
