using System.Collections;
using MeshMessenger.Protocol.Collections;

namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// A faithful reference of Meshtastic's managed flooding for the CLIENT role (firmware 2.6-2.8; facts in
/// docs/emulator.md with their sources):
/// relay every new frame with hop limit above 0 after an SNR-weighted delay of
/// 2·CWmax·slot + random(0, 2^CW)·slot (RadioInterface::getTxDelayMsecWeighted); cancel a queued relay
/// on hearing anyone else repeat the frame (FloodingRouter); hop limit 3; implicit ACK: an own frame
/// repeated by any neighbour counts as acknowledged, else up to 3 retransmissions after
/// 2·airtime + (2^CW + 2·CWmax + 2^5)·slot + 4.5 s (getRetransmissionMsec); next hop for direct frames
/// learned only when a reply comes back through a node that also repeated the original (NextHopRouter),
/// used only if the hint is unique, and the last retransmission floods.
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
    public override int MaxRetransmissions => 3;

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
        return true; // CLIENT: anyone else's rebroadcast cancels ours
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
