namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// MeshMessenger's policy, built to spend less airtime per delivered message than managed flooding and to
/// deliver more as the mesh grows:
/// <list type="bullet">
/// <item>Routes are learned from every frame heard (the author is reachable through the node that
/// transmitted it, at the hops it took), not only from replies, and only over links with at least
/// 3 dB of SNR above the demodulation floor, so a marginal one-way link is not chosen.</item>
/// <item>A direct frame whose recipient hint maps to one known destination is sent to a named next hop;
/// only that relay repeats it, without the CLIENT contention wait, and names its own next hop, so a
/// routed message costs one transmission per hop.</item>
/// <item>Floods (broadcasts, and direct frames with no route) use Meshtastic's SNR-weighted contention,
/// but at a sparse node (fewer than 4 neighbours heard) a repeat heard from a weak neighbour (SNR below 0 dB,
/// another area) does not cancel a queued relay, which covers nodes hidden behind the first relay (Meshtastic
/// firmware#8274); two repeats do.</item>
/// <item>Retransmission timeouts adapt to the echo delays actually seen (EWMA) instead of a fixed
/// 4.5 s, with 2 retries; a route that failed is forgotten and the retry floods.</item>
/// <item>A DM whose first hop repeated it still waits for its delivery receipt, about one round trip of its route (the
/// echo proves the first hop only); if none comes a directed one is flooded once more and a flooded one asks its
/// neighbours for the receipt.</item>
/// <item>A receipt (never retried end to end) floods, and floods once more if no neighbour is heard repeating it.</item>
/// <item>A flooded copy of a direct frame first heard directed to another next hop is relayed: the directed try failed
/// and its sender fell back to flooding (Meshtastic's NextHopRouter).</item>
/// <item>A frame due on a busy channel draws its whole contention delay again, as Meshtastic does, rather than
/// scanning again a few slots later: every scan may miss the packet on air.</item>
/// <item>Receipt requests (docs/protocol.md §7.1): the author of a flooded DM asks its neighbours for a receipt that did
/// not come, and, while the channel is at most 40 % busy, whether they have a DM of which it heard no repeat before
/// sending it again.</item>
/// <item>Load shaping: above 40 % channel utilisation, floods are not relayed beyond the second hop.</item>
/// </list>
/// </summary>
public sealed class LearnedRoutePolicy : RoutingPolicy
{
    private const double LinkMarginDb = 3.0;
    private const long RouteLifetimeMs = 30L * 60 * 1000;

    // From this many neighbours heard within the route lifetime, a node is not at the sparse edge the hidden-node rule
    // protects: one weak repeat cancels its relay. Measured: docs/emulator-experiments.md, "Fewer relays kept by the
    // hidden-node rule".
    private const int DenseNeighbours = 4;

    // Channel utilisation above which the channel counts as busy: Meshtastic's max_channel_util_percent (40).
    private const double BusyChannel = 0.40;
    private readonly RouteTable _routes = new RouteTable(512, RouteLifetimeMs);

    // When each one-byte neighbour hint was last heard repeating an own frame, -1 never: one slot per hint.
    private readonly long[] _echoedAtMs = NewEchoTimes();
    private double _echoDelayMs = -1;

    // When each one-byte hint was last heard transmitting at least LinkMarginDb above the floor, -1 never.
    private readonly long[] _neighbourAtMs = NewEchoTimes();

    /// <summary>Creates the policy.</summary>
    public LearnedRoutePolicy(RoutingContext context)
        : base(context)
    {
    }

    /// <inheritdoc />
    public override string Name => "learned-routes";

    /// <inheritdoc />
    public override int DuplicateCapacity => 1024;

    /// <inheritdoc />
    public override int MaxRetransmissions => 2;

    /// <inheritdoc />
    public override bool RelaysFallback => true;

    /// <inheritdoc />
    public override bool RedrawsDelayWhenBusy => true;

    /// <inheritdoc />
    /// <remarks>Every frame names its transmitter (the relay byte): a neighbour, when heard at a usable SNR.</remarks>
    public override void Overhear(PacketInfo packet, double snrDb, long nowMs)
    {
        byte from = packet.Frame.Relay != 0 ? packet.Frame.Relay : (packet.Frame.HopsTaken == 0 ? (byte)packet.Author : (byte)0);
        if (from != 0 && from != Context.SelfHint && snrDb >= Context.Modulation.DemodulationFloorDb + LinkMarginDb)
        {
            _neighbourAtMs[from] = nowMs;
        }
    }

    /// <inheritdoc />
    public override void Learn(PacketInfo packet, double snrDb, long nowMs)
    {
        if (packet.Author == 0 || packet.Frame.Type != Protocol.Frames.FrameType.Entry)
        {
            return;
        }

        if (snrDb < Context.Modulation.DemodulationFloorDb + LinkMarginDb)
        {
            return;
        }

        int hops = packet.Frame.HopsTaken + 1;
        byte via = packet.Frame.HopsTaken == 0 ? (byte)packet.Author : packet.Frame.Relay;
        if (via != 0)
        {
            _routes.Learn(packet.Author, via, hops, nowMs);
        }
    }

    /// <inheritdoc />
    public override int RelayDelayMs(PacketInfo packet, double snrDb, long nowMs)
    {
        if (packet.Frame.HopLimit == 0 || !(packet.IsTraffic || packet.IsRelayedWant))
        {
            return -1; // sync frames stay with the neighbours, but for a relayed want (docs/protocol.md §8.4)
        }

        if (packet.Frame.NextHop != 0)
        {
            // Directed: only the named relay repeats, promptly.
            return packet.Frame.NextHop == Context.SelfHint ? Context.Next(1 << CwMin) * Context.SlotMs : -1;
        }

        if (Context.ChannelUtilisation > BusyChannel && packet.Frame.HopsTaken >= 2)
        {
            return -1;
        }

        return (2 * CwMax * Context.SlotMs) + (Context.Next(1 << CwFromSnr(snrDb)) * Context.SlotMs);
    }

    /// <inheritdoc />
    public override byte RelayNextHop(PacketInfo packet, long nowMs)
    {
        uint destination;
        return packet.IsDirect ? _routes.NextHopForHint(packet.DestinationHint, nowMs, out destination) : (byte)0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A repeat heard at SNR below 0 dB comes from a node that probably covers another area, so alone it keeps the
    /// relay (Meshtastic firmware#8274), but only where the node is sparse: with <see cref="DenseNeighbours"/> or more
    /// neighbours around, others cover that area too and the kept relay mostly repeated what they already had.
    /// </remarks>
    public override bool CancelOnDuplicate(PacketInfo packet, double snrDb, int timesHeard, long nowMs)
    {
        return timesHeard >= 2 || snrDb >= 0 || NeighbourCount(nowMs) >= DenseNeighbours;
    }

    // Neighbours heard within the route lifetime.
    private int NeighbourCount(long nowMs)
    {
        int count = 0;
        for (int n = 1; n < 256; n++)
        {
            long heard = _neighbourAtMs[n];
            if (n != Context.SelfHint && heard >= 0 && nowMs - heard < RouteLifetimeMs)
            {
                count++;
            }
        }

        return count;
    }

    /// <inheritdoc />
    public override byte OwnNextHop(byte destinationHint, int attempt, long nowMs)
    {
        uint destination;
        return attempt >= 1 ? (byte)0 : _routes.NextHopForHint(destinationHint, nowMs, out destination);
    }

    /// <inheritdoc />
    public override bool ChecksUnretriedHop => true;

    /// <inheritdoc />
    public override bool SendsLostReceiptAgain => true;

    /// <inheritdoc />
    public override bool UsesReceiptRequests => true;

    /// <inheritdoc />
    /// <remarks>
    /// Only while the channel is at most 40 % busy. Asked on every load, the neighbours' answers spared retransmissions
    /// that, on a saturated channel, gave the far end of a flood its second chance: DM delivery fell 0.7 to 2.4 points
    /// under heavy load (docs/emulator-experiments.md, "Receipt requests").
    /// </remarks>
    public override bool AsksBeforeRetransmitting(long nowMs) => Context.ChannelUtilisation <= BusyChannel;

    /// <inheritdoc />
    /// <remarks>
    /// A receipt travels against the direction its route was learned in, links are not symmetric, and nothing
    /// retries it end to end: it floods, and a neighbour's repeat is awaited (<see cref="ChecksUnretriedHop"/>: without
    /// one it floods once more). Other unretried frames name a next hop only when it has been heard repeating one of
    /// our frames or answering a DM we named it for within the route lifetime (the link works our way); otherwise they
    /// flood.
    /// </remarks>
    public override byte UnretriedNextHop(byte destinationHint, bool checksHop, long nowMs)
    {
        if (checksHop)
        {
            // A receipt floods: routed, each hop sent it once and a copy lost past the first hop was lost for good; on
            // Okumura-Hata light 300 most unacknowledged DMs were between neighbours (docs/emulator.md §3.2).
            return 0;
        }

        byte nextHop = OwnNextHop(destinationHint, 0, nowMs);
        long heard = _echoedAtMs[nextHop];
        bool proven = heard >= 0 && nowMs - heard < RouteLifetimeMs;
        return nextHop != 0 && proven ? nextHop : (byte)0;
    }

    /// <inheritdoc />
    public override long AckTimeoutMs(int airtimeMs, long nowMs)
    {
        double echo = _echoDelayMs < 0 ? 2 * CwMax * Context.SlotMs + (1 << CwMax) * Context.SlotMs : _echoDelayMs;
        return (2L * airtimeMs) + (long)(1.5 * echo) + (8L * Context.SlotMs);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The round trip is bounded hop by hop: out, the smoothed echo delay (a directed relay's wait and airtime); back, the receipt may flood, so the
    /// longest contention wait (2·CWmax + 2^CWmax slots, RadioInterface.cpp:823-840 at meshtastic/firmware 77540685) and
    /// its airtime; plus one origin wait for the receipt. Hops are the route's, or the hop limit when it was forgotten.
    /// </remarks>
    public override long ReceiptTimeoutMs(byte destinationHint, byte nextHop, int airtimeMs, long nowMs)
    {
        uint destination;
        int hops = _routes.NextHopForHint(destinationHint, nowMs, out destination) != 0 ? _routes.HopsTo(destination, nowMs) : -1;
        hops = hops < 1 ? Protocol.Node.MessengerNode.DefaultHopLimit : hops;
        long flood = (long)((2 * CwMax) + (1 << CwMax)) * Context.SlotMs;
        double echo = _echoDelayMs < 0 ? flood : _echoDelayMs;
        return (hops * ((long)echo + airtimeMs + flood + airtimeMs)) + flood;
    }

    /// <inheritdoc />
    public override void OnEcho(PacketInfo packet, byte relay, long delayMs, long nowMs)
    {
        _echoedAtMs[relay] = nowMs;
        if (delayMs >= 0)
        {
            _echoDelayMs = _echoDelayMs < 0 ? delayMs : (0.875 * _echoDelayMs) + (0.125 * delayMs); // RFC 6298-style smoothing
        }
    }

    /// <inheritdoc />
    public override void OnReached(byte nextHop, long nowMs)
    {
        _echoedAtMs[nextHop] = nowMs;
    }

    private static long[] NewEchoTimes()
    {
        var times = new long[256];
        for (int i = 0; i < times.Length; i++)
        {
            times[i] = -1;
        }

        return times;
    }

    /// <inheritdoc />
    public override void OnUnacknowledged(byte destinationHint, byte nextHop, long nowMs)
    {
        if (nextHop != 0)
        {
            _routes.ForgetVia(nextHop);
        }
    }
}
