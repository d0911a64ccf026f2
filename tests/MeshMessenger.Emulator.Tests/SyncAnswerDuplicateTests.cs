using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// An answer to a relayed want sent again carries the same duplicate key each time (docs/protocol.md §8.4): the device
/// app's duplicate filter must not stop the relay the answer names.
/// </summary>
public class SyncAnswerDuplicateTests
{
    // A direct entry of author 0x01020304 to hint 0x42, answering a relayed want (hop start and hop limit 1), sent by
    // its answerer 0x33 and naming nextHop to repeat it.
    private static byte[] RelayedAnswer(byte nextHop, int hopStart = 1)
    {
        var header = new byte[] { 0x41, 1, 2, 3, 4, 5, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 0x42 };
        byte[] payload = [.. header, .. new byte[80]];
        return FrameCodec.Encode(new Frame(FrameType.Entry, 1, hopStart, false, nextHop, 0x33, payload), FrameLimits.LoRa);
    }

    private static int Repeats(DeviceRig rig)
    {
        int count = 0;
        foreach (byte[] bytes in rig.Radio.Sent)
        {
            Assert.Equal(ProtocolError.None, PacketInfo.TryRead(bytes, FrameLimits.LoRa, out PacketInfo? info));
            count += info!.Author == 0x01020304 ? 1 : 0;
        }

        return count;
    }

    [Fact]
    public void The_named_relay_repeats_an_answer_to_a_relayed_want_each_time_the_answerer_sends_it()
    {
        var rig = new DeviceRig(learnedRoutes: true);
        rig.Run(30_000);
        byte self = rig.Node.Hint;

        rig.App.OnReceive(RelayedAnswer(self), -80, 5);
        rig.Run(10_000);
        Assert.Equal(1, Repeats(rig));

        // The asker asked again (its round came back empty) and the answerer sent the same entry: same key, repeated again.
        rig.App.OnReceive(RelayedAnswer(self), -80, 5);
        rig.Run(10_000);
        Assert.Equal(2, Repeats(rig));
        Assert.Equal(1, rig.App.Counters.SyncAnswersRepeatedAgain);

        // A copy naming another relay, and a live entry (hop start 3) heard twice, are not repeated again.
        rig.App.OnReceive(RelayedAnswer(0x66), -80, 5);
        rig.App.OnReceive(RelayedAnswer(self, hopStart: 3), -80, 5);
        rig.Run(10_000);
        int afterLive = Repeats(rig);
        rig.App.OnReceive(RelayedAnswer(self, hopStart: 3), -80, 5);
        rig.Run(10_000);
        Assert.Equal(afterLive, Repeats(rig));
        Assert.Equal(1, rig.App.Counters.SyncAnswersRepeatedAgain);
    }
}
