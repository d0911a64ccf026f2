using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

/// <summary>The firmware's collections stop at their caps with the documented behaviour (docs/nanoframework-subset.md, "Caps").</summary>
public sealed class FirmwareCapsTests
{
    // A radio at the hardware edge that is always free and never hears anything: no acknowledgement ever comes.
    private sealed class SilentRadio : IRadioPort
    {
        public int Sent { get; private set; }

        public bool IsTransmitting { get; set; }

        public bool IsChannelBusy => false;

        public bool Transmit(byte[] frame)
        {
            Sent++;
            IsTransmitting = true;
            return true;
        }
    }

    private static PacketInfo Packet(int hopLimit, byte relay, uint author)
    {
        // Entry header: direct text (0x41), author, sequence 5, time 0, link, recipient hint 0x42.
        var header = new byte[] { 0x41, (byte)(author >> 24), (byte)(author >> 16), (byte)(author >> 8), (byte)author, 5, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 0x42 };
        byte[] payload = [.. header, .. new byte[80]];
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Entry, hopLimit, 3, false, 0, relay, payload), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, PacketInfo.TryRead(frame, FrameLimits.LoRa, out PacketInfo? info));
        return info!;
    }

    [Fact]
    public void Route_table_evicts_the_route_learned_longest_ago()
    {
        var routes = new RouteTable(2, 3_600_000);
        routes.Learn(0x11, 0xA1, 1, 0);
        routes.Learn(0x22, 0xA2, 1, 5);
        routes.Learn(0x33, 0xA3, 1, 10);
        Assert.Equal(2, routes.Count);
        Assert.Equal(2, routes.Capacity);
        Assert.Equal(-1, routes.HopsTo(0x11, 10));
        Assert.Equal(1, routes.HopsTo(0x22, 10));
        Assert.Equal(0xA3, routes.NextHopForHint(0x33, 10, out uint destination));
        Assert.Equal(0x33u, destination);

        routes.Learn(0x44, 0xA3, 2, 20);
        routes.ForgetVia(0xA3);
        Assert.Equal(0, routes.Count);
    }

    [Fact]
    public void Duplicate_filter_keeps_64_bit_keys_apart_when_they_fold_to_the_same_table_key()
    {
        // (1 << 32 | 1), (2 << 32 | 2) and 0 all fold (low ^ high) to 0.
        long a = (1L << 32) | 1;
        long b = (2L << 32) | 2;
        var filter = new DuplicateFilter(2);
        Assert.Equal(0, filter.Hear(a));
        Assert.Equal(0, filter.Hear(b));
        Assert.Equal(1, filter.Hear(a));
        Assert.Equal(0, filter.Hear(0)); // evicts a, the oldest
        Assert.False(filter.Contains(a));
        Assert.True(filter.Contains(b));
        Assert.Equal(1, filter.Hear(b));
        Assert.Equal(1, filter.Hear(0));
    }

    [Fact]
    public void Echoers_per_hint_forget_the_oldest_relay()
    {
        var policy = new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        for (byte relay = 1; relay <= ManagedFloodingPolicy.EchoersPerHint + 1; relay++)
        {
            policy.OnEcho(Packet(2, relay, 0x01020304), relay, 0, 0);
        }

        // A reply from the destination (hint 0x42) through relay 1, which was forgotten: nothing learned.
        policy.Learn(Packet(2, 1, 0x0A0B0C42), 0, 0);
        Assert.Equal(0, policy.OwnNextHop(0x42, 0, 1));

        // Through the newest echoer: learned.
        policy.Learn(Packet(2, ManagedFloodingPolicy.EchoersPerHint + 1, 0x0A0B0C42), 0, 0);
        Assert.Equal(ManagedFloodingPolicy.EchoersPerHint + 1, policy.OwnNextHop(0x42, 0, 1));
    }

    [Fact]
    public void Device_app_waits_for_at_most_MaxAwaitingAcks_acknowledgements()
    {
        var clock = new ManualClock();
        var node = new MessengerNode(NodeIdentity.FromRootSecret(new byte[32]), "me", new MemoryEntryStore(), clock, FrameLimits.LoRa, false);
        Profile peer = Profile.Of(NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)9, 32).ToArray()), "peer", null);
        Assert.True(node.Chains.AddContact(peer));
        var radio = new SilentRadio();
        var app = new DeviceApp(node, radio, clock, new FixedRandom(0), ModemPreset.LongFast.Modulation, Region.Us915, false);

        int maxAwaiting = 0;
        for (int i = 0; i < DeviceApp.MaxAwaitingAcks + 10; i++)
        {
            app.SendText(peer.NodeId, "m" + i);

            // Let every queued frame go on air, completing each transmission at once; time moves in small steps, far
            // below the ack timeout, so nothing is retransmitted yet.
            for (int step = 0; step < 20 && app.QueueLength > 0; step++)
            {
                clock.MonotonicMilliseconds += 50;
                app.Tick();
                if (radio.IsTransmitting)
                {
                    radio.IsTransmitting = false;
                    app.OnTransmitDone();
                }

                maxAwaiting = Math.Max(maxAwaiting, app.AwaitingAcks);
            }
        }

        Assert.Equal(DeviceApp.MaxAwaitingAcks, maxAwaiting);
        Assert.True(app.Counters.AckWaitDrops > 0);
        Assert.Equal(48, DeviceApp.MaxQueueLength);
        Assert.Equal(16, app.Policy.QueueCapacity); // managed flooding: Meshtastic's MAX_TX_QUEUE
    }
}
