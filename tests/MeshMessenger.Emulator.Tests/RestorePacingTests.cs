using MeshMessenger.Firmware;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// A restore round's asks are sent one at a time, <see cref="DeviceApp.RestorePaceMs"/> apart (docs/protocol.md §8.3,
/// "Pacing"): sent back to back, the first ask's answers arrived while the device was still sending the next, or collided
/// with the next ask's answers.
/// </summary>
public sealed class RestorePacingTests
{
    [Fact]
    public void A_restore_rounds_frames_go_out_at_least_the_pace_apart()
    {
        var clock = new ManualClock();
        var radio = new RecordingRadio();
        var node = new MessengerNode(NodeIdentity.FromRootSecret(new byte[32]), "me", new MemoryEntryStore(), clock, FrameLimits.LoRa, true);
        for (byte i = 1; i <= 30; i++)
        {
            Assert.True(node.Chains.AddContact(Profile.Of(NodeIdentity.FromRootSecret(Enumerable.Repeat(i, 32).ToArray()), $"peer{i}", null)));
        }

        var app = new DeviceApp(node, radio, clock, new FixedRandom(0), ModemPreset.LongFast.Modulation, Region.Us915, true);
        var sentAt = new List<long>();
        for (long t = 0; t < DeviceApp.RestoreRoundMs * 2; t += 10)
        {
            clock.MonotonicMilliseconds += 10;
            app.Tick();
            if (radio.IsTransmitting)
            {
                sentAt.Add(clock.MonotonicMilliseconds);
                clock.MonotonicMilliseconds += 1;
                radio.IsTransmitting = false;
                app.OnTransmitDone();
            }
        }

        // The first round (at RestoreRoundMs): its questions about 30 authors (3 frames) and relayed wants (4 frames).
        List<long> round = sentAt.Where(t => t >= DeviceApp.RestoreRoundMs && t < DeviceApp.RestoreRoundMs * 2).ToList();
        Assert.True(round.Count >= 3, $"{round.Count} frames in the first round");
        for (int i = 1; i < round.Count; i++)
        {
            // At least 3 s whatever the constant says: a short answer of a few entries on LongFast.
            long gap = round[i] - round[i - 1];
            Assert.True(gap >= DeviceApp.RestorePaceMs && gap >= 3000, $"frame {i} {gap} ms after the one before");
        }
    }
}
