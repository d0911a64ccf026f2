using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// The managed-flooding reference does what meshtastic/firmware 77540685 does (docs/emulator.md §3.1): the queue of
/// MAX_TX_QUEUE frames and its eviction rule, the SNR- and load-weighted contention windows, NUM_RELIABLE_RETX and the
/// implicit ACK.
/// </summary>
public sealed class ManagedFloodingFidelityTests
{
    private const int Slot = 28; // LongFast

    private static byte[] ForeignEntry(uint author, uint sequence, int hopLimit, int hopStart, byte relay)
    {
        // Entry header: direct text (0x41), author, sequence, time 0, link, recipient hint 0x42 (not ours).
        var header = new byte[] { 0x41, (byte)(author >> 24), (byte)(author >> 16), (byte)(author >> 8), (byte)author, (byte)sequence, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 0x42 };
        byte[] payload = [.. header, .. new byte[80]];
        return FrameCodec.Encode(new Frame(FrameType.Entry, hopLimit, hopStart, false, 0, relay, payload), FrameLimits.LoRa);
    }

    private static byte[] RelayedWant(uint author)
    {
        byte[] payload = new WantMessage([new SequenceRange(author, 1, 2)]).Encode();
        return FrameCodec.Encode(new Frame(FrameType.Want, 1, 2, false, 0, 0x33, payload), FrameLimits.LoRa);
    }

    [Fact]
    public void The_queue_holds_16_frames_and_a_full_queue_evicts_only_a_lower_priority_frame()
    {
        var rig = new DeviceRig();
        Assert.NotEqual(0x42, rig.Node.Hint);
        rig.Run(30_000); // what the device queued at start goes first
        int before = rig.Radio.Sent.Count;
        rig.Radio.IsChannelBusy = true; // nothing leaves: the queue only fills
        for (uint i = 0; i < 16; i++)
        {
            rig.App.OnReceive(RelayedWant(0x50000000 + i), -90, 0);
        }

        Assert.Equal(16, rig.App.Policy.QueueCapacity);
        Assert.Equal(16, rig.App.QueueLength);
        Assert.Equal(0, rig.App.Counters.QueueDrops);

        // Same priority (want_response, 70): the new frame is refused, the queue keeps its own.
        rig.App.OnReceive(RelayedWant(0x60000000), -90, 0);
        Assert.Equal(16, rig.App.QueueLength);
        Assert.Equal(1, rig.App.Counters.QueueDrops);
        Assert.Equal(16, rig.App.Counters.RelaysQueued);

        // Higher priority (text, 100): the last want makes room, and the entry goes to the front.
        rig.App.OnReceive(ForeignEntry(0x0A0B0C0D, 5, 2, 3, 0x33), -90, 0);
        Assert.Equal(16, rig.App.QueueLength);
        Assert.Equal(2, rig.App.Counters.QueueDrops);
        Assert.Equal(17, rig.App.Counters.RelaysQueued);

        rig.Radio.IsChannelBusy = false;
        rig.Run(20_000);
        Assert.Equal(FrameType.Entry, DeviceRig.Info(rig.Radio.Sent[before]).Frame.Type);
        Assert.Equal(FrameType.Want, DeviceRig.Info(rig.Radio.Sent[before + 1]).Frame.Type);
        Assert.Equal(before + 16, rig.Radio.Sent.Count);
    }

    [Theory]
    [InlineData(-30.0, 3)] // below −25 dB the firmware's map goes under CWmin; no LoRa receiver decodes there
    [InlineData(-20.0, 3)]
    [InlineData(-14.0, 4)]
    [InlineData(-8.0, 5)]
    [InlineData(-5.0, 5)]  // map() truncates: 15·5/30 = 2.5 → 2
    [InlineData(-2.0, 6)]
    [InlineData(4.0, 7)]
    [InlineData(9.9, 7)]   // the SNR is truncated to 9 first
    [InlineData(10.0, 8)]
    [InlineData(15.9, 8)]
    [InlineData(30.0, 8)]  // the firmware would give 11 from an SNR the SX126x does not report
    public void A_relay_waits_2_CWmax_slots_plus_random_0_to_2_pow_CW_slots_with_CW_mapped_from_SNR(double snr, int cw)
    {
        var shortest = new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        var longest = new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0xFF)));
        PacketInfo p = DeviceRig.Info(ForeignEntry(0x0A0B0C0D, 5, 2, 3, 9));
        Assert.Equal(2 * 8 * Slot, shortest.RelayDelayMs(p, snr, 0));
        Assert.Equal((2 * 8 * Slot) + (((1 << cw) - 1) * Slot), longest.RelayDelayMs(p, snr, 0));
    }

    [Theory]
    [InlineData(0.0, 3)]
    [InlineData(0.199, 3)]
    [InlineData(0.2, 4)]
    [InlineData(0.5, 5)]
    [InlineData(0.99, 7)] // map() truncates: 99·5/100 = 4.95 → 4
    [InlineData(1.0, 8)]
    public void An_own_frame_waits_random_0_to_2_pow_CW_slots_with_CW_mapped_from_channel_utilisation(double utilisation, int cw)
    {
        var context = new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0xFF)) { ChannelUtilisation = utilisation };
        var policy = new ManagedFloodingPolicy(context);
        Assert.Equal(((1 << cw) - 1) * Slot, policy.OriginDelayMs(0));
        Assert.Equal((2 * 1000) + (((1 << cw) + 16 + 32) * Slot) + 4500, policy.AckTimeoutMs(1000, 0));
    }

    [Fact]
    public void The_slot_is_truncated_to_whole_milliseconds()
    {
        // ShortFast: 2.5 · 0.512 + 7.6 = 8.88 ms → 8 (computeSlotTimeMsec returns uint32_t).
        Assert.Equal(8, new RoutingContext(1, ModemPreset.ShortFast.Modulation, new FixedRandom(0)).SlotMs);
        Assert.Equal(28, new RoutingContext(1, ModemPreset.LongFast.Modulation, new FixedRandom(0)).SlotMs);
    }

    [Fact]
    public void An_unanswered_own_frame_goes_on_air_3_times_in_all()
    {
        var rig = new DeviceRig();
        uint sequence = rig.SendDm();
        int retransmissions = rig.App.Counters.Retransmissions;
        int unacknowledged = rig.App.Counters.Unacknowledged;
        rig.Run(120_000);

        List<Frame> entries = rig.SentEntries(sequence);
        Assert.Equal(3, entries.Count); // NUM_RELIABLE_RETX counts the first send
        Assert.All(entries, f => Assert.Equal(f.HopStart, f.HopLimit));
        Assert.Equal(retransmissions + 2, rig.App.Counters.Retransmissions);
        Assert.Equal(unacknowledged + 1, rig.App.Counters.Unacknowledged);
        Assert.Equal(0, rig.App.AwaitingAcks);
    }

    [Fact]
    public void A_neighbour_repeating_the_frame_stops_the_retransmissions()
    {
        var rig = new DeviceRig();
        uint sequence = rig.SendDm();
        int retransmissions = rig.App.Counters.Retransmissions;
        rig.Run(2_000);
        List<Frame> first = rig.SentEntries(sequence);
        Assert.Single(first);
        Assert.Equal(1, rig.App.AwaitingAcks);

        // A neighbour (hint 0x77) repeats it: the implicit ACK.
        byte[] echo = FrameCodec.Encode(first[0].Relayed(0x77, 0), FrameLimits.LoRa);
        rig.App.OnReceive(echo, -80, 5);
        rig.Run(120_000);

        Assert.Single(rig.SentEntries(sequence));
        Assert.Equal(1, rig.App.Counters.EchoAcks);
        Assert.Equal(retransmissions, rig.App.Counters.Retransmissions);
        Assert.Equal(0, rig.App.AwaitingAcks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_recipients_delivery_receipt_stops_the_retransmissions(bool learnedRoutes)
    {
        var rig = new DeviceRig(learnedRoutes);
        uint sequence = rig.SendDm();
        int retransmissions = rig.App.Counters.Retransmissions;
        rig.Run(1_000);
        List<Frame> first = rig.SentEntries(sequence);
        Assert.Single(first);
        Assert.Equal(1, rig.App.AwaitingAcks);

        // The recipient, which does not repeat what is addressed to it, answers with its delivery receipt.
        var recipient = rig.PeerNode();
        byte[] dm = FrameCodec.Encode(first[0], FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, recipient.Receive(dm, 0, dm.Length));
        byte[] receipt = recipient.TakeOutbox().Single(f => DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).Author == recipient.Id);
        rig.App.OnReceive(receipt, -80, 5);
        rig.Run(120_000);

        Assert.Equal(MessageState.Delivered, rig.Node.Tracker.StateOf(sequence));
        Assert.Single(rig.SentEntries(sequence));
        Assert.Equal(1, rig.App.Counters.ReceiptAcks);
        Assert.Equal(retransmissions, rig.App.Counters.Retransmissions);
        Assert.Equal(0, rig.App.AwaitingAcks);
    }

    [Fact]
    public void Every_frame_heard_pushes_the_retransmission_back_by_its_airtime()
    {
        long firstRetransmission = RetransmissionTime(hearSomething: false);
        long pushed = RetransmissionTime(hearSomething: true);
        int airtime = TimeOnAir.Milliseconds(ModemPreset.LongFast.Modulation, ForeignEntry(0x0A0B0C0D, 5, 0, 3, 0x33).Length);
        Assert.InRange(pushed - firstRetransmission, airtime - 20, airtime + 20);
    }

    private static long RetransmissionTime(bool hearSomething)
    {
        var rig = new DeviceRig();
        uint sequence = rig.SendDm();
        rig.Run(1_000);
        if (hearSomething)
        {
            rig.App.OnReceive(ForeignEntry(0x0A0B0C0D, 5, 0, 3, 0x33), -90, 0); // hop limit 0: heard, not relayed
        }

        while (rig.SentEntries(sequence).Count < 2)
        {
            rig.Run(10);
        }

        return rig.Clock.MonotonicMilliseconds;
    }

    [Fact]
    public void A_relay_repeats_again_when_the_originator_retransmits_but_a_relayed_copy_only_cancels()
    {
        var rig = new DeviceRig();
        rig.App.OnReceive(ForeignEntry(0x0A0B0C0D, 5, 3, 3, 0x0D), -90, 0); // from the originator
        rig.Run(10_000);
        Assert.Equal(1, rig.App.Counters.RelaysSent);

        // Another relay's copy (hop limit 2 < hop start 3): a plain duplicate, nothing queued.
        rig.App.OnReceive(ForeignEntry(0x0A0B0C0D, 5, 2, 3, 0x44), -90, 0);
        Assert.Equal(0, rig.App.QueueLength);

        // The originator's retransmission (hop limit = hop start): it did not hear us, so we repeat again.
        rig.App.OnReceive(ForeignEntry(0x0A0B0C0D, 5, 3, 3, 0x0D), -90, 0);
        Assert.Equal(1, rig.App.QueueLength);
        rig.Run(10_000);
        Assert.Equal(2, rig.App.Counters.RelaysSent);
    }

}
