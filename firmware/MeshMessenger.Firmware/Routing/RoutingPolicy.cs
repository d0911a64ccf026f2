namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// A routing policy: when to relay what is heard, when to give up a queued relay, which next hop to name,
/// and how to retransmit own frames. <see cref="DeviceApp"/> owns the queue, the radio and the timers; a
/// policy only decides. Both policies run on the same firmware, frames and scenario.
/// </summary>
public abstract class RoutingPolicy
{
    /// <summary>Meshtastic's contention window bounds (RadioInterface.h: CWmin 3, CWmax 8).</summary>
    public const int CwMin = 3;

    /// <summary>Upper contention window bound.</summary>
    public const int CwMax = 8;

    /// <summary>Creates a policy over a context.</summary>
    protected RoutingPolicy(RoutingContext context)
    {
        Context = context;
    }

    /// <summary>Name shown in results.</summary>
    public abstract string Name { get; }

    /// <summary>The node's routing context.</summary>
    protected RoutingContext Context { get; }

    /// <summary>How many keys the duplicate filter keeps.</summary>
    public abstract int DuplicateCapacity { get; }

    /// <summary>Retransmissions of an own frame that no neighbour was heard repeating.</summary>
    public abstract int MaxRetransmissions { get; }

    /// <summary>A new frame was heard (not a duplicate, not our own): learn from it.</summary>
    public abstract void Learn(PacketInfo packet, double snrDb, long nowMs);

    /// <summary>Delay before relaying a newly heard frame, or -1 not to relay it.</summary>
    public abstract int RelayDelayMs(PacketInfo packet, double snrDb, long nowMs);

    /// <summary>The next hop to name in a relayed copy (0 = flood on).</summary>
    public abstract byte RelayNextHop(PacketInfo packet, long nowMs);

    /// <summary>A copy of a frame with a relay queued was heard again; true to cancel the queued relay.</summary>
    public abstract bool CancelOnDuplicate(PacketInfo packet, double snrDb, int timesHeard, long nowMs);

    /// <summary>The next hop for an own direct frame to <paramref name="destinationHint"/>, on attempt 0, 1, ...</summary>
    public abstract byte OwnNextHop(byte destinationHint, int attempt, long nowMs);

    /// <summary>Delay before sending an own frame (contention on a busy channel).</summary>
    public virtual int OriginDelayMs(long nowMs)
    {
        return Context.Next(1 << CwFromUtilisation()) * Context.SlotMs;
    }

    /// <summary>How long to wait for a neighbour to repeat an own frame before retransmitting it.</summary>
    public abstract long AckTimeoutMs(int airtimeMs, long nowMs);

    /// <summary>An own frame was heard repeated by the neighbour <paramref name="relay"/> after <paramref name="delayMs"/>.</summary>
    public virtual void OnEcho(PacketInfo packet, byte relay, long delayMs, long nowMs)
    {
    }

    /// <summary>An own frame was never repeated despite its retransmissions.</summary>
    public virtual void OnUnacknowledged(byte destinationHint, byte nextHop, long nowMs)
    {
    }

    /// <summary>Meshtastic's SNR weighting: SNR −20..+10 dB maps linearly onto CWmin..CWmax (RadioInterface::getTxDelayMsecWeighted).</summary>
    protected static int CwFromSnr(double snrDb)
    {
        double clamped = snrDb < -20 ? -20 : (snrDb > 10 ? 10 : snrDb);
        return (int)(CwMin + (clamped + 20) * (CwMax - CwMin) / 30.0 + 0.5);
    }

    /// <summary>Meshtastic's load weighting for own sends: channel utilisation 0..100 % maps onto CWmin..CWmax.</summary>
    protected int CwFromUtilisation()
    {
        double u = Context.ChannelUtilisation;
        u = u < 0 ? 0 : (u > 1 ? 1 : u);
        return (int)(CwMin + u * (CwMax - CwMin) + 0.5);
    }
}
