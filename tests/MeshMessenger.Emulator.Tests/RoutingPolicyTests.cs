using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

public sealed class RoutingPolicyTests
{
    private static PacketInfo Packet(int hopLimit, byte nextHop, byte relay, uint author = 0x01020304)
    {
        // Entry header: direct text (0x41), author, sequence 5, time 0, link, recipient hint 0x42.
        var header = new byte[] { 0x41, (byte)(author >> 24), (byte)(author >> 16), (byte)(author >> 8), (byte)author, 5, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 0x42 };
        byte[] payload = [.. header, .. new byte[80]];
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Entry, hopLimit, 3, false, nextHop, relay, payload), FrameLimits.LoRa);
        Assert.Equal(ProtocolError.None, PacketInfo.TryRead(frame, FrameLimits.LoRa, out PacketInfo? info));
        return info!;
    }

    [Fact]
    public void Slot_time_on_LongFast_is_28_ms()
    {
        var context = new RoutingContext(1, ModemPreset.LongFast.Modulation, new FixedRandom(0));
        Assert.Equal(28, context.SlotMs); // 2.5 · 8.192 + 0.2 + 0.4 + 7 = 28.08 ms
    }

    [Theory]
    [InlineData(-30.0, 3)]
    [InlineData(-20.0, 3)]
    [InlineData(-5.0, 5)]
    [InlineData(10.0, 8)]
    [InlineData(25.0, 8)]
    public void Managed_flooding_waits_2_CWmax_slots_plus_an_SNR_weighted_window(double snr, int cw)
    {
        var low = new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        var high = new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0xFF)));
        PacketInfo p = Packet(2, 0, 9);
        Assert.Equal(2 * 8 * 28, low.RelayDelayMs(p, snr, 0));
        Assert.Equal((2 * 8 * 28) + (((1 << cw) - 1) * 28), high.RelayDelayMs(p, snr, 0));
    }

    [Fact]
    public void Managed_flooding_cancels_on_any_repeat_and_stops_at_hop_limit_0()
    {
        var policy = new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(1)));
        Assert.True(policy.CancelOnDuplicate(Packet(2, 0, 9), -15, 1, 0));
        Assert.Equal(-1, policy.RelayDelayMs(Packet(0, 0, 9), 0, 0));
        Assert.Equal(2, policy.MaxRetransmissions); // NUM_RELIABLE_RETX 3 counts the first send
        // getRetransmissionMsec: 2·airtime + (2^CW + 2·CWmax + 2^5)·slot + 4500 ms, CW 3 on an idle channel.
        Assert.Equal((2 * 1000) + ((8 + 16 + 32) * 28) + 4500, policy.AckTimeoutMs(1000, 0));
    }

    [Fact]
    public void Only_the_named_next_hop_relays_a_directed_frame()
    {
        var me = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        Assert.Equal(-1, me.RelayDelayMs(Packet(2, 8, 9), 0, 0));
        Assert.True(me.RelayDelayMs(Packet(2, 7, 9), 0, 0) >= 0);
        var reference = new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        Assert.Equal(-1, reference.RelayDelayMs(Packet(2, 8, 9), 0, 0));
    }

    [Fact]
    public void Learned_routes_come_from_any_frame_over_a_good_link_and_need_a_unique_hint()
    {
        var me = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        PacketInfo heard = Packet(2, 0, 0x55, author: 0x0A0B0C42); // one hop taken, relayed by 0x55
        me.Learn(heard, -16, 0);                                   // below floor + 3 dB: not learned
        Assert.Equal(0, me.OwnNextHop(0x42, 0, 1));
        me.Learn(heard, 0, 0);
        Assert.Equal(0x55, me.OwnNextHop(0x42, 0, 1));
        Assert.Equal(0, me.OwnNextHop(0x42, 1, 1));                // the retry floods
        me.Learn(Packet(2, 0, 0x66, author: 0x0D0E0F42), 0, 0);    // a second destination with hint 0x42
        Assert.Equal(0, me.OwnNextHop(0x42, 0, 1));                // ambiguous: flood
    }

    [Fact]
    public void Learned_routes_flood_a_receipt_and_name_a_next_hop_for_other_unretried_frames_only_when_proven_while_managed_flooding_always_routes_it()
    {
        var me = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        me.Learn(Packet(2, 0, 0x55, author: 0x0A0B0C42), 0, 0);
        Assert.Equal(0x55, me.OwnNextHop(0x42, 0, 1));
        Assert.Equal(0, me.UnretriedNextHop(0x42, true, 1)); // a receipt floods, its repeat awaited (ChecksUnretriedHop)
        Assert.Equal(0, me.UnretriedNextHop(0x42, false, 1)); // unchecked (not a receipt): only over a proven hop
        Assert.True(me.ChecksUnretriedHop);
        me.OnEcho(Packet(2, 0, 0x55), 0x55, 0, 2); // 0x55 heard repeating one of our frames
        Assert.Equal(0x55, me.UnretriedNextHop(0x42, false, 3));
        Assert.Equal(0, me.UnretriedNextHop(0x42, true, 3)); // a receipt floods even over a proven hop
        Assert.Equal(0, me.UnretriedNextHop(0x42, false, 3 + (30L * 60 * 1000))); // the route expired

        // A recipient named as the first hop that answers with its delivery receipt proves the link as well.
        var other = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        other.Learn(Packet(3, 0, 0x42, author: 0x0A0B0C42), 0, 0); // heard straight from the recipient
        Assert.Equal(0, other.UnretriedNextHop(0x42, false, 1));
        other.OnReached(0x42, 1);
        Assert.Equal(0x42, other.UnretriedNextHop(0x42, false, 2));
        Assert.Equal(0, other.UnretriedNextHop(0x42, true, 2));

        // The reference names its bidirectional route for every direct frame (NextHopRouter::send).
        var reference = new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        reference.OnEcho(Packet(2, 0, 0x55), 0x55, 0, 0);
        reference.Learn(Packet(2, 0, 0x55, author: 0x0A0B0C42), 0, 0);
        Assert.Equal(0x55, reference.UnretriedNextHop(0x42, true, 1));
    }

    // A direct frame of author 0x01020304 to hint 0x42, as heard from relay 0x33 naming next hop nextHop.
    private static byte[] DirectFrame(int hopLimit, byte nextHop, byte relay)
    {
        var header = new byte[] { 0x41, 1, 2, 3, 4, 5, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 0x42 };
        byte[] payload = [.. header, .. new byte[80]];
        return FrameCodec.Encode(new Frame(FrameType.Entry, hopLimit, 3, false, nextHop, relay, payload), FrameLimits.LoRa);
    }

    private static List<Frame> Relayed(DeviceRig rig)
    {
        var relayed = new List<Frame>();
        foreach (byte[] bytes in rig.Radio.Sent)
        {
            Assert.Equal(ProtocolError.None, PacketInfo.TryRead(bytes, FrameLimits.LoRa, out PacketInfo? info));
            if (info!.Author == 0x01020304)
            {
                relayed.Add(info.Frame);
            }
        }

        return relayed;
    }

    [Fact]
    public void Learned_routes_relay_the_flooded_fallback_of_a_directed_frame_once_and_managed_flooding_does_not()
    {
        foreach (bool learned in new[] { true, false })
        {
            var rig = new DeviceRig(learned);
            rig.Run(30_000);
            rig.App.OnReceive(DirectFrame(2, 0x66, 0x33), -80, 5); // directed to another next hop: not relayed
            rig.Run(10_000);
            Assert.Empty(Relayed(rig));

            rig.App.OnReceive(DirectFrame(2, 0, 0x33), -80, 5); // the same frame, now flooded: the directed try failed
            rig.Run(20_000);
            Assert.Equal(learned ? 1 : 0, Relayed(rig).Count);
            rig.App.OnReceive(DirectFrame(1, 0, 0x44), -80, 5); // a relayed copy of the flood: nothing more
            rig.Run(20_000);
            Assert.Equal(learned ? 1 : 0, Relayed(rig).Count);
            Assert.Equal(learned ? 1 : 0, rig.App.Counters.FallbackRelays);
        }
    }

    [Fact]
    public void Learned_routes_keep_a_relay_when_a_weak_neighbour_repeats_but_cancel_on_a_strong_one_or_two_repeats()
    {
        var me = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        PacketInfo p = Packet(2, 0, 9);
        Assert.False(me.CancelOnDuplicate(p, -8, 1, 0)); // a far relay covers another area (firmware#8274)
        Assert.True(me.CancelOnDuplicate(p, 3, 1, 0));
        Assert.True(me.CancelOnDuplicate(p, -8, 2, 0));
    }

    [Fact]
    public void Learned_routes_cancel_on_one_weak_repeat_once_four_neighbours_are_heard()
    {
        var me = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        PacketInfo p = Packet(2, 0, 9);
        for (byte n = 20; n < 23; n++)
        {
            me.Overhear(Packet(2, 0, n), 5, 1_000);
        }

        me.Overhear(Packet(2, 0, 23), -19, 1_000); // below the floor + 3 dB: no usable neighbour
        Assert.False(me.CancelOnDuplicate(p, -8, 1, 2_000)); // 3 neighbours: sparse, the far repeat covers another area

        me.Overhear(Packet(2, 0, 24), 5, 1_500);
        Assert.True(me.CancelOnDuplicate(p, -8, 1, 2_000)); // 4: others cover that area too

        Assert.False(me.CancelOnDuplicate(p, -8, 1, 1_000 + (30L * 60 * 1000))); // all but one forgotten after 30 minutes
    }

    [Fact]
    public void Learned_routes_stop_flooding_beyond_the_second_hop_above_40_percent_channel_use()
    {
        var context = new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0));
        var me = new LearnedRoutePolicy(context);
        PacketInfo secondHop = Packet(1, 0, 9);            // hop start 3, hop limit 1: two hops taken
        PacketInfo firstHop = Packet(2, 0, 9);
        Assert.True(me.RelayDelayMs(secondHop, 0, 0) >= 0);
        context.ChannelUtilisation = 0.45;
        Assert.Equal(-1, me.RelayDelayMs(secondHop, 0, 0));
        Assert.True(me.RelayDelayMs(firstHop, 0, 0) >= 0);
    }

    [Fact]
    public void Learned_routes_adapt_the_retransmission_timeout_to_the_echo_delays_seen()
    {
        var me = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        long initial = me.AckTimeoutMs(1000, 0);
        Assert.Equal(2000 + (long)(1.5 * ((2 * 8 * 28) + (256 * 28))) + (8 * 28), initial);
        PacketInfo echo = Packet(2, 0, 9);
        for (int i = 0; i < 20; i++)
        {
            me.OnEcho(echo, 9, 600, 0);
        }

        long adapted = me.AckTimeoutMs(1000, 0);
        Assert.Equal(2000 + 900 + 224, adapted); // 2·airtime + 1.5·600 ms + 8 slots
        Assert.Equal(2, me.MaxRetransmissions);
    }

    // Teaches the rig a route to its peer through neighbour 0x55 (a frame of the peer's, one hop old, heard from 0x55).
    private static void LearnRouteToPeerVia55(DeviceRig rig)
    {
        uint a = rig.Peer.NodeId;
        var header = new byte[] { 0x41, (byte)(a >> 24), (byte)(a >> 16), (byte)(a >> 8), (byte)a, 5, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 0x42 };
        byte[] payload = [.. header, .. new byte[80]];
        rig.App.OnReceive(FrameCodec.Encode(new Frame(FrameType.Entry, 2, 3, false, 0, 0x55, payload), FrameLimits.LoRa), -80, 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learned_routes_flood_a_directed_DM_once_more_when_its_first_hop_repeats_it_but_no_receipt_comes(bool receiptComes)
    {
        var rig = new DeviceRig(learnedRoutes: true);
        LearnRouteToPeerVia55(rig);
        uint sequence = rig.SendDm();
        rig.Run(1_000);
        Frame first = Assert.Single(rig.SentEntries(sequence));
        Assert.Equal(0x55, first.NextHop);

        // 0x55 repeats it toward the recipient: the first hop took it, nothing more is known.
        rig.App.OnReceive(FrameCodec.Encode(first.Relayed(0x55, 0x66), FrameLimits.LoRa), -80, 5);
        Assert.Equal(1, rig.App.AwaitingAcks); // now waiting for the delivery receipt
        if (receiptComes)
        {
            var recipient = rig.PeerNode();
            byte[] dm = FrameCodec.Encode(first, FrameLimits.LoRa);
            Assert.Equal(ProtocolError.None, recipient.Receive(dm, 0, dm.Length));
            rig.App.OnReceive(Assert.Single(recipient.TakeOutbox(), f => IsDirectFrom(f, recipient.Id)), -80, 5);
        }

        rig.Run(300_000);
        List<Frame> sent = rig.SentEntries(sequence);
        Assert.Equal(0, rig.App.AwaitingAcks);
        Assert.Equal(0, rig.App.Counters.Retransmissions);
        if (receiptComes)
        {
            Assert.Single(sent);
            Assert.Equal(0, rig.App.Counters.EndToEndRetries);
            return;
        }

        // No receipt: one flooded copy with a fresh hop limit, and nothing after it.
        Assert.Equal(2, sent.Count);
        Assert.Equal(0, sent[1].NextHop);
        Assert.Equal(sent[1].HopStart, sent[1].HopLimit);
        Assert.Equal(1, rig.App.Counters.EndToEndRetries);
    }


    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Learned_routes_flood_a_receipt_and_flood_it_once_more_when_no_neighbour_repeats_it(bool neighbourRepeats)
    {
        var rig = new DeviceRig(learnedRoutes: true);
        rig.Run(30_000);
        var author = rig.PeerNode();
        author.TakeOutbox();
        uint sequence = author.SendText(rig.Node.Id, "hello");
        Frame dm = DeviceRig.Info(Assert.Single(author.TakeOutbox(), f => IsDirectFrom(f, author.Id) && DeviceRig.Info(f).Sequence == sequence)).Frame;
        rig.App.OnReceive(FrameCodec.Encode(dm.Relayed(0x55, 0), FrameLimits.LoRa), -80, 5); // the route back: via relay 0x55
        rig.Run(1_000);
        List<Frame> receipts = ReceiptFrames(rig, author.Id);
        Frame receipt = Assert.Single(receipts);
        Assert.Equal(0, receipt.NextHop); // flooded, not sent to 0x55
        if (neighbourRepeats)
        {
            rig.App.OnReceive(FrameCodec.Encode(receipt.Relayed(0x77, 0), FrameLimits.LoRa), -80, 5);
        }

        rig.Run(60_000);
        receipts = ReceiptFrames(rig, author.Id);
        Assert.Equal(neighbourRepeats ? 1 : 2, receipts.Count);
        if (!neighbourRepeats)
        {
            Assert.Equal(0, receipts[1].NextHop); // the one more flooded copy
        }

        Assert.Equal(0, rig.App.AwaitingAcks);
    }

    [Theory]
    [InlineData(true, "author's copy")]
    [InlineData(true, "late flood")]
    [InlineData(true, "relay's copy")]
    [InlineData(true, "crossed the receipt")]
    [InlineData(false, "author's copy")]
    public void Learned_routes_send_a_lost_delivery_receipt_once_more_when_the_author_sends_its_DM_again(bool learned, string copy)
    {
        var rig = new DeviceRig(learned);
        rig.Run(30_000);
        var author = rig.PeerNode();
        author.TakeOutbox();
        uint sequence = author.SendText(rig.Node.Id, "hello");
        Frame dm = DeviceRig.Info(Assert.Single(author.TakeOutbox(), f => IsDirectFrom(f, author.Id) && DeviceRig.Info(f).Sequence == sequence)).Frame;
        Assert.Equal(dm.HopStart, dm.HopLimit);
        byte authorHint = (byte)author.Id;

        // The first copy comes directed to us: from the author itself, or through relay 0x55.
        Frame first = copy == "author's copy" || copy == "crossed the receipt"
            ? dm.Readdressed(dm.HopLimit, rig.Node.Hint, authorHint)
            : dm.Readdressed(dm.HopLimit - 1, rig.Node.Hint, 0x55);
        rig.App.OnReceive(FrameCodec.Encode(first, FrameLimits.LoRa), -80, 5);
        for (int waited = 0; ReceiptFrames(rig, author.Id).Count == 0 && waited < 10_000; waited += 10)
        {
            rig.Run(10); // until the receipt has left
        }

        Frame receipt = Assert.Single(ReceiptFrames(rig, author.Id));

        // The copy heard again: the author's flooded retransmission (hop limit untouched, its relay byte) heard from it;
        // its late flood heard through relay 0x66; a relay's directed repeat; or the author's retransmission that was
        // already on air when the receipt left (it ends now, so it began before: it crossed the receipt).
        Frame again = copy switch
        {
            "late flood" => dm.Readdressed(dm.HopLimit - 1, 0, 0x66),
            "relay's copy" => dm.Readdressed(dm.HopLimit - 1, rig.Node.Hint, 0x66),
            _ => dm.Readdressed(dm.HopLimit, 0, authorHint),
        };
        if (copy == "crossed the receipt")
        {
            rig.App.OnReceive(FrameCodec.Encode(again, FrameLimits.LoRa), -80, 5);
        }

        // A neighbour repeats the receipt (no flood once more for want of a repeat), and the author's wait runs out.
        rig.App.OnReceive(FrameCodec.Encode(receipt.Relayed(0x77, 0), FrameLimits.LoRa), -80, 5);
        rig.Run(5_000);
        if (copy != "crossed the receipt")
        {
            rig.App.OnReceive(FrameCodec.Encode(again, FrameLimits.LoRa), -80, 5);
            rig.Run(30_000);
            rig.App.OnReceive(FrameCodec.Encode(again, FrameLimits.LoRa), -80, 5); // and once more: answered once only
        }

        rig.Run(30_000);

        List<Frame> receipts = ReceiptFrames(rig, author.Id);
        bool sentAgain = learned && (copy == "author's copy" || copy == "late flood");
        Assert.Equal(sentAgain ? 2 : 1, receipts.Count);
        Assert.Equal(sentAgain ? 1 : 0, rig.App.Counters.ReceiptsSentAgain);
        if (sentAgain)
        {
            // The same signed receipt, flooded with its hop limit untouched.
            Assert.Equal(0, receipts[1].NextHop);
            Assert.Equal(receipt.HopLimit, receipts[1].HopLimit);
            Assert.Equal(receipt.Payload, receipts[1].Payload);
        }
    }

    private static List<Frame> ReceiptFrames(DeviceRig rig, uint to)
    {
        return rig.Radio.Sent.Where(f => DeviceRig.Info(f).Author == rig.Node.Id && DeviceRig.Info(f).IsDirect && DeviceRig.Info(f).DestinationHint == (byte)to).Select(f => DeviceRig.Info(f).Frame).ToList();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void On_a_busy_channel_a_flood_relay_draws_its_contention_delay_again_instead_of_scanning_every_few_slots(bool learned)
    {
        var rig = new DeviceRig(learned);
        rig.Run(30_000);
        rig.App.OnReceive(DirectFrame(2, 0, 0x33), -80, 5); // flooded: relayed after at least 2·CWmax slots
        rig.Radio.IsChannelBusy = true;
        int before = rig.App.Counters.LbtDeferrals;
        rig.Run(20_000);
        int scans = rig.App.Counters.LbtDeferrals - before;

        // Every draw waits at least 2·CWmax·slot = 448 ms, so 20 s hold at most 45 scans; 1 to 8 slots would be 89 or more.
        Assert.InRange(scans, 1, 45);
        Assert.Empty(Relayed(rig));
    }

    [Fact]
    public void Learned_routes_wait_for_the_receipt_about_a_round_trip_of_the_route()
    {
        var me = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        long flood = ((2 * 8) + 256) * 28;
        Assert.Equal((3 * (flood + 1000 + flood + 1000)) + flood, me.ReceiptTimeoutMs(0x42, 0, 1000, 0)); // no route: the hop limit
        me.Learn(Packet(2, 0, 0x55, author: 0x0A0B0C42), 0, 0);  // two hops through 0x55
        Assert.Equal((2 * (flood + 1000 + flood + 1000)) + flood, me.ReceiptTimeoutMs(0x42, 0x55, 1000, 1));
        me.OnEcho(Packet(2, 0, 0x55), 0x55, 600, 2);
        Assert.Equal((2 * (600 + 1000 + flood + 1000)) + flood, me.ReceiptTimeoutMs(0x42, 0x55, 1000, 3));
        Assert.Equal(-1, new ManagedFloodingPolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0))).ReceiptTimeoutMs(0x42, 0x55, 1000, 0));
    }

    private static bool IsDirectFrom(byte[] frame, uint author)
    {
        Assert.Equal(ProtocolError.None, PacketInfo.TryRead(frame, FrameLimits.LoRa, out PacketInfo? info));
        return info!.IsDirect && info.Author == author;
    }

    [Fact]
    public void A_failed_route_is_forgotten_and_the_next_send_floods()
    {
        var me = new LearnedRoutePolicy(new RoutingContext(7, ModemPreset.LongFast.Modulation, new FixedRandom(0)));
        me.Learn(Packet(2, 0, 0x55, author: 0x0A0B0C42), 0, 0);
        Assert.Equal(0x55, me.OwnNextHop(0x42, 0, 1));
        me.OnUnacknowledged(0x42, 0x55, 2);
        Assert.Equal(0, me.OwnNextHop(0x42, 0, 3));
    }

    [Fact]
    public void Duplicate_filter_forgets_the_oldest_beyond_capacity()
    {
        var filter = new DuplicateFilter(3);
        Assert.Equal(0, filter.Hear(1));
        Assert.Equal(1, filter.Hear(1));
        filter.Hear(2);
        filter.Hear(3);
        filter.Hear(4);
        Assert.False(filter.Contains(1));
        Assert.True(filter.Contains(4));
    }
}
