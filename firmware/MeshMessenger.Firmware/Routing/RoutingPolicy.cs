namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// A routing policy: when to relay what is heard, when to give up a queued relay, which next hop to name,
/// and how to retransmit own frames. <see cref="DeviceApp"/> owns the queue, the radio and the timers; a
/// policy only decides. Both policies run on the same firmware, frames and scenario.
/// </summary>
public abstract class RoutingPolicy
{
    /// <summary>Meshtastic's contention window bounds: CWmin 3, CWmax 8 (RadioInterface.h:107-108 at meshtastic/firmware 77540685).</summary>
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

    /// <summary>Frames the radio queue holds with this policy, at most <c>DeviceApp.MaxQueueLength</c>.</summary>
    public virtual int QueueCapacity => 48;

    /// <summary>Retransmissions of an own frame that no neighbour was heard repeating.</summary>
    public abstract int MaxRetransmissions { get; }

    /// <summary>
    /// True to relay a flooded copy of a direct frame whose first copy was directed to another next hop: the directed
    /// delivery failed and its sender fell back to flooding (NextHopRouter::shouldFilterReceived, NextHopRouter.cpp:82-89
    /// at meshtastic/firmware 77540685). Without it the fallback reaches only nodes that missed the first copy.
    /// </summary>
    public virtual bool RelaysFallback => false;

    /// <summary>
    /// True to listen, after sending a receipt (which nothing retries) flooded or to a relay named by
    /// <see cref="UnretriedNextHop"/>, for a neighbour's repeat (the named relay's, if any), and to flood the receipt
    /// once more if none comes within <see cref="AckTimeoutMs"/>.
    /// </summary>
    public virtual bool ChecksUnretriedHop => false;

    /// <summary>
    /// True for the recipient of a direct message to send its delivery receipt once more, flooded, when a copy of the
    /// message that says the receipt was lost begins after the receipt left: one sent by the author itself (hop limit
    /// untouched, the author's relay byte), or a flooded copy of a message that had come directed (the author's late
    /// flood). The author ends its retransmissions on the receipt (NextHopRouter::stopRetransmission,
    /// NextHopRouter.cpp:330-343 at meshtastic/firmware 77540685), so it sent that copy without it; the reference answers
    /// a repeated request again (NextHopRouter.cpp:91-97). Once per receipt, for the last
    /// <see cref="DeviceApp.MaxRememberedReceipts"/> receipts.
    /// </summary>
    public virtual bool SendsLostReceiptAgain => false;

    /// <summary>
    /// True for receipt requests (docs/protocol.md §7.1, <see cref="Receipts.OverheardReceipts"/>). The author of a flooded direct
    /// message asks its neighbours, with one frame at hop limit 0, when its delivery receipt did not come, and (if
    /// <see cref="AsksBeforeRetransmitting"/>) when no neighbour's repeat was heard, before sending it again. A neighbour that heard the receipt pass hands it back, once,
    /// directed to the author; one that heard only the message says so with an Ack, once; the recipient sends its receipt
    /// once more. Each waits <see cref="HandBackDelayMs"/>, and one that hears another's answer first cancels its own.
    /// </summary>
    public virtual bool UsesReceiptRequests => false;

    /// <summary>
    /// True to ask the neighbours, with a receipt request, whether they have a flooded direct message of which no repeat
    /// was heard before sending it again (<see cref="UsesReceiptRequests"/>): a neighbour's Ack spares the retransmission.
    /// </summary>
    public virtual bool AsksBeforeRetransmitting(long nowMs) => false;

    /// <summary>
    /// The wait before answering an author's receipt request heard at <paramref name="snrDb"/>: the neighbours that hear
    /// the author best go first (Meshtastic's SNR-weighted window turned around: here one copy must reach one node, not
    /// cover an area), and one that hears another's answer first cancels its own.
    /// </summary>
    public int HandBackDelayMs(double snrDb)
    {
        return Context.Next(1 << (CwMin + CwMax - CwFromSnr(snrDb))) * Context.SlotMs;
    }

    /// <summary>
    /// How long an author waits for the answers to its receipt request before it sends the message again: the longest
    /// window of <see cref="HandBackDelayMs"/> and CWmax slots more, and two airtimes of the message.
    /// </summary>
    public long ReceiptRequestWaitMs(int airtimeMs)
    {
        return ((1L << CwMax) + CwMax) * Context.SlotMs + (2L * airtimeMs);
    }

    /// <summary>
    /// True to draw a frame's whole contention delay again when the channel is busy as it is due (RadioLibInterface.cpp:457-464
    /// at meshtastic/firmware 77540685); false to back off 1 to 2^CWmin slots. Every scan of a busy channel may miss the
    /// packet on air (docs/emulator.md §2, CAD), so scanning again every few slots ends in transmitting over it.
    /// </summary>
    public virtual bool RedrawsDelayWhenBusy => FollowsMeshtasticFirmware;

    /// <summary>
    /// True for the Meshtastic reference: <see cref="DeviceApp"/> then keeps meshtastic/firmware's queue order and
    /// eviction (MeshPacketQueue.cpp), its timers (an own frame's acknowledgement timer starts when the frame enters
    /// the queue and grows by the airtime of each frame heard or queued meanwhile, ReliableRouter.cpp), re-draws a
    /// frame's whole contention delay on channel activity and after each transmission (RadioLibInterface.cpp), repeats
    /// an originator's retransmission (FloodingRouter.cpp:47-56) and drops a queued retransmission on an implicit ACK;
    /// the contention windows use Arduino's truncating map(). False: the earliest due frame goes first, a full queue
    /// drops a relay before an own frame, the timer starts when the transmission ends, channel activity backs off 1 to
    /// 2^CWmin slots, and the windows round.
    /// </summary>
    public virtual bool FollowsMeshtasticFirmware => false;

    /// <summary>Any frame not our own was heard, new or a duplicate, before it is handled: who transmitted it, and what it tells of the neighbourhood.</summary>
    public virtual void Overhear(PacketInfo packet, double snrDb, long nowMs)
    {
    }

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

    /// <summary>
    /// The next hop for an own direct frame that nothing retransmits (no want-ack: a receipt). By default the route
    /// of a first attempt, as meshtastic/firmware names a next hop for every non-broadcast it sends, ACKs included
    /// (NextHopRouter::send, src/mesh/NextHopRouter.cpp).
    /// </summary>
    /// <param name="destinationHint">The recipient's hint.</param>
    /// <param name="checksHop">True when the sender will listen for a repeat of it (<see cref="ChecksUnretriedHop"/>, receipts).</param>
    /// <param name="nowMs">Now.</param>
    public virtual byte UnretriedNextHop(byte destinationHint, bool checksHop, long nowMs)
    {
        return OwnNextHop(destinationHint, 0, nowMs);
    }

    /// <summary>Delay before sending an own frame: random(0, 2^CW)·slot, CW from channel utilisation (getTxDelayMsec, RadioInterface.cpp:780-789).</summary>
    public virtual int OriginDelayMs(long nowMs)
    {
        return Context.Next(1 << CwFromUtilisation()) * Context.SlotMs;
    }

    /// <summary>How long to wait for a neighbour to repeat an own frame before retransmitting it.</summary>
    public abstract long AckTimeoutMs(int airtimeMs, long nowMs);

    /// <summary>An own frame was heard repeated by the neighbour <paramref name="relay"/> after <paramref name="delayMs"/>, or -1 when the repeat gives no delay sample.</summary>
    public virtual void OnEcho(PacketInfo packet, byte relay, long delayMs, long nowMs)
    {
    }

    /// <summary>
    /// The recipient <paramref name="nextHop"/>, the only node named to take an own direct frame's first attempt, sent
    /// back its delivery receipt: the link from us to it works.
    /// </summary>
    public virtual void OnReached(byte nextHop, long nowMs)
    {
    }

    /// <summary>
    /// How long after its send an own direct message that a neighbour repeated may wait for the recipient's delivery
    /// receipt, or -1 never: the echo proves only the first hop, and nothing retries a copy lost further along a route.
    /// Then a directed message is flooded once more, and a flooded one asks its neighbours for the receipt
    /// (<see cref="UsesReceiptRequests"/>).
    /// </summary>
    /// <param name="destinationHint">The recipient's hint.</param>
    /// <param name="nextHop">The next hop the repeated copy named (0: it was flooded).</param>
    /// <param name="airtimeMs">The message's time on air.</param>
    /// <param name="nowMs">Now.</param>
    public virtual long ReceiptTimeoutMs(byte destinationHint, byte nextHop, int airtimeMs, long nowMs)
    {
        return -1;
    }

    /// <summary>An own frame was never repeated despite its retransmissions.</summary>
    public virtual void OnUnacknowledged(byte destinationHint, byte nextHop, long nowMs)
    {
    }

    /// <summary>
    /// Meshtastic's SNR weighting, RadioInterface::getCWsize (RadioInterface.cpp:792-801 at 77540685): the Arduino
    /// <c>map(snr, -20, 10, CWmin, CWmax)</c>, integer arithmetic that truncates the SNR and the quotient toward zero
    /// (the core's map(), e.g. src/platform/nrf54l15/Arduino.h:696). So −5 dB gives 5, not 6. The firmware does not
    /// clamp: it gives CW 9 from +16 dB. The SX126x rarely reports such SNR, while the emulator's link budget has no
    /// ceiling, so the result stops at CWmax; it equals the firmware's for every SNR from −25 to +15.99 dB.
    /// Without <see cref="FollowsMeshtasticFirmware"/> the SNR is clamped to −20..+10 and the result rounded.
    /// </summary>
    protected int CwFromSnr(double snrDb)
    {
        if (FollowsMeshtasticFirmware)
        {
            return ClampCw(ArduinoMap((long)snrDb, -20, 10, CwMin, CwMax));
        }

        double clamped = snrDb < -20 ? -20 : (snrDb > 10 ? 10 : snrDb);
        return (int)(CwMin + ((clamped + 20) * (CwMax - CwMin) / 30.0) + 0.5);
    }

    /// <summary>
    /// Meshtastic's load weighting for own sends and retransmission timeouts: <c>map(channelUtil, 0, 100, CWmin, CWmax)</c>
    /// on the utilisation percentage (RadioInterface.cpp:772-773 and 785-786 at 77540685), truncated as the SNR map
    /// (rounded without <see cref="FollowsMeshtasticFirmware"/>).
    /// </summary>
    protected int CwFromUtilisation()
    {
        double u = Context.ChannelUtilisation;
        u = u < 0 ? 0 : (u > 1 ? 1 : u);
        return FollowsMeshtasticFirmware ? ClampCw(ArduinoMap((long)(u * 100), 0, 100, CwMin, CwMax)) : (int)(CwMin + (u * (CwMax - CwMin)) + 0.5);
    }

    /// <summary>Arduino's map(): (x − inMin)·(outMax − outMin)/(inMax − inMin) + outMin in integers (C division truncates toward zero, as C#'s).</summary>
    private static long ArduinoMap(long x, long inMin, long inMax, long outMin, long outMax)
    {
        return ((x - inMin) * (outMax - outMin) / (inMax - inMin)) + outMin;
    }

    private static int ClampCw(long cw)
    {
        return (int)(cw < CwMin ? CwMin : (cw > CwMax ? CwMax : cw));
    }
}
