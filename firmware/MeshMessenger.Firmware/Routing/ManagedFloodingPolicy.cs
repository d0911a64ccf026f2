using System.Collections;
using MeshMessenger.Protocol.Collections;

namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// A faithful reference of Meshtastic's managed flooding for the CLIENT role (meshtastic/firmware 77540685; each
/// fact in docs/emulator.md §3.1 with its file and line):
/// relay every new frame with hop limit above 0 after an SNR-weighted delay of
/// 2·CWmax·slot + random(0, 2^CW)·slot (RadioInterface::getTxDelayMsecWeighted); cancel a queued relay
/// on hearing anyone else repeat the frame (FloodingRouter); hop limit 3; implicit ACK: an own frame
/// repeated by any neighbour counts as acknowledged, else NUM_RELIABLE_RETX 3 transmissions in all, each
/// retransmission after 2·airtime + (2^CW + 2·CWmax + 2^5)·slot + 4.5 s (getRetransmissionMsec); next hop for
/// direct frames learned only when a reply comes back through a node that also repeated the original
/// (NextHopRouter), used only if the hint is unique, and the last retransmission floods.
/// </summary>
public sealed class ManagedFloodingPolicy : RoutingPolicy
{
    private readonly RouteTable _routes = new RouteTable(256, 2L * 3600 * 1000);
    /// <summary>Relays remembered per destination hint, oldest forgotten first.</summary>
    public const int EchoersPerHint = 8;

    // One list per one-byte destination hint, so the table never holds more than 256 keys.
    private readonly KeyedTable _echoers = new KeyedTable(256);

    /// <summary>Creates the policy.</summary>
    public ManagedFloodingPolicy(RoutingContext context)
        : base(context)
    {
    }

    /// <inheritdoc />
    public override string Name => "managed-flooding";

    /// <inheritdoc />
    public override int DuplicateCapacity => 200;

    /// <inheritdoc />
    /// <remarks>MAX_TX_QUEUE (RadioInterface.h:18 at meshtastic/firmware 77540685).</remarks>
    public override int QueueCapacity => 16;

    /// <inheritdoc />
    /// <remarks>
    /// NUM_RELIABLE_RETX is 3 (NextHopRouter.h:115) but counts the first send: PendingPacket starts at 3 − 1
    /// (NextHopRouter.cpp:36), so an unanswered frame goes on air 3 times.
    /// </remarks>
    public override int MaxRetransmissions => 2;

    /// <inheritdoc />
    /// <remarks>ReliableRouter::send starts the timer (ReliableRouter.cpp:17-26, NextHopRouter.cpp:484-488) and
    /// lengthens the others by each own frame's airtime (:28-35) and each heard frame's (:69-76); setTransmitDelay
    /// re-draws on channel activity and after each transmission (RadioLibInterface.cpp:408-420, 457-464).</remarks>
    public override bool FollowsMeshtasticFirmware => true;

    /// <inheritdoc />
    public override void Learn(PacketInfo packet, double snrDb, long nowMs)
    {
        // Bidirectional learning: a frame from the destination arrives through a node that repeated our frame to it.
        if (packet.Author == 0 || packet.Frame.HopsTaken == 0)
        {
            return;
        }

        var relays = (ArrayList?)_echoers.Get((byte)packet.Author);
        if (relays != null && relays.Contains(packet.Frame.Relay))
        {
            _routes.Learn(packet.Author, packet.Frame.Relay, packet.Frame.HopsTaken, nowMs);
        }
    }

    /// <inheritdoc />
    public override int RelayDelayMs(PacketInfo packet, double snrDb, long nowMs)
    {
        if (packet.Frame.HopLimit == 0 || !(packet.IsTraffic || packet.IsRelayedWant))
        {
            return -1; // sync frames stay with the neighbours, but for a relayed want (docs/protocol.md §8.4)
        }

        if (packet.Frame.NextHop != 0 && packet.Frame.NextHop != Context.SelfHint)
        {
            return -1; // a directed frame for another relay
        }

        // getTxDelayMsecWeighted, non-router branch (RadioInterface.cpp:823-840).
        return (2 * CwMax * Context.SlotMs) + (Context.Next(1 << CwFromSnr(snrDb)) * Context.SlotMs);
    }

    /// <inheritdoc />
    public override byte RelayNextHop(PacketInfo packet, long nowMs)
    {
        uint destination;
        return packet.IsDirect ? _routes.NextHopForHint(packet.DestinationHint, nowMs, out destination) : (byte)0;
    }

    /// <inheritdoc />
    public override bool CancelOnDuplicate(PacketInfo packet, double snrDb, int timesHeard, long nowMs)
    {
        return true; // CLIENT: anyone else's rebroadcast cancels ours (FloodingRouter.cpp:117-135, perhapsCancelDupe :137)
    }

    /// <inheritdoc />
    public override byte OwnNextHop(byte destinationHint, int attempt, long nowMs)
    {
        uint destination;
        return attempt >= MaxRetransmissions ? (byte)0 : _routes.NextHopForHint(destinationHint, nowMs, out destination);
    }

    /// <inheritdoc />
    public override long AckTimeoutMs(int airtimeMs, long nowMs)
    {
        // getRetransmissionMsec (RadioInterface.cpp:764-777): 2^((CWmax + CWmin) / 2) = 2^5 slots, PROCESSING_TIME_MSEC
        // 4500 (RadioInterface.h:105).
        return (2L * airtimeMs) + (((1 << CwFromUtilisation()) + (2 * CwMax) + 32) * Context.SlotMs) + 4500;
    }

    /// <inheritdoc />
    public override void OnEcho(PacketInfo packet, byte relay, long delayMs, long nowMs)
    {
        if (!packet.IsDirect)
        {
            return;
        }

        var relays = (ArrayList?)_echoers.Get(packet.DestinationHint);
        if (relays == null)
        {
            relays = new ArrayList();
            _echoers.Set(packet.DestinationHint, relays);
        }

        if (!relays.Contains(relay))
        {
            if (relays.Count == EchoersPerHint)
            {
                relays.RemoveAt(0);
            }

            relays.Add(relay);
        }
    }
}
