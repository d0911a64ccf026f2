using MeshMessenger.Firmware.Airtime;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Firmware.Queue;
using MeshMessenger.Firmware.Receipts;
using MeshMessenger.Firmware.Retransmission;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Firmware;

/// <summary>
/// The device application: a synchronous state machine, no threads. The platform calls
/// <see cref="OnReceive"/> when the radio delivers a frame, <see cref="OnTransmitDone"/> when a transmission
/// ends, and <see cref="Tick"/> at <see cref="NextWakeupMs"/> (or any time). In between the app receives,
/// drops duplicates, routes through its <see cref="RoutingPolicy"/>, delivers to the protocol node
/// (verify, store, open, receipts, sync), listens before talking, and keeps within the regional duty cycle.
/// A board, the emulator and the gateway drive these same sources. The app wires the radio, the node and the policy;
/// its parts keep the rest: the radio queue and its bounds (<see cref="TransmitQueue"/>), the hour's airtime and its
/// shares (<see cref="AirtimeBudget"/>), own frames awaiting an acknowledgement and their retransmissions
/// (<see cref="AwaitedFrames"/>), and what it does for a delivery receipt that did not reach its author (<see cref="ReceiptAnswers"/>).
/// </summary>
public sealed class DeviceApp
{
    private readonly IRadioPort _radio;
    private readonly IClock _clock;
    private readonly LoRaModulation _modulation;
    private readonly RoutingContext _context;
    private readonly DuplicateFilter _duplicates;
    private readonly RollingWindow _channelUse = new RollingWindow(6, 10000);
    private readonly AirtimeBudget _airtime;
    private readonly TransmitQueue _queue;
    private readonly AwaitedFrames _awaited;
    private readonly ReceiptAnswers _receipts;
    private PacketInfo? _answering; // the direct message for us being taken in, while its delivery receipt is drained
    private QueuedFrame? _onAir;
    private long _restoreDeadlineMs = -1;
    private long _restoreRoundMs = -1;
    private long _pullAtMs;

    /// <summary>
    /// Frames the radio queue holds at most, whatever the policy (about 12 KB of 255-byte LoRa frames, within an
    /// ESP32's budget); the policy's <see cref="RoutingPolicy.QueueCapacity"/> may be smaller (managed flooding: 16,
    /// Meshtastic's MAX_TX_QUEUE). The queue is ordered by priority; when it is full a new frame evicts the last one
    /// only if that has a strictly lower priority, otherwise the new frame is refused (MeshPacketQueue::enqueue and
    /// replaceLowerPriorityPacket, MeshPacketQueue.cpp:68-90 and 151-168 at meshtastic/firmware 77540685). An own
    /// entry that is dropped stays in the author's chain and reaches its recipient by sync.
    /// </summary>
    public const int MaxQueueLength = 48;

    /// <summary>
    /// Own frames held back while the radio queue is full, at most; beyond, the oldest is dropped (counted in
    /// <see cref="DeviceCounters.QueueDrops"/>; an entry stays in its author's chain and arrives by sync). Meshtastic's
    /// clients do the same: they hold packets while the queue status they are sent reports no free slot
    /// (MeshService.cpp:125-128 at meshtastic/firmware 77540685).
    /// </summary>
    public const int MaxHeldFrames = 64;

    /// <summary>
    /// Own frames waiting for an acknowledgement at most. Each waits a few seconds (the policy's ack timeout) and a
    /// frame takes about a second on air, so this is rarely reached; when it is, the oldest stops being
    /// retransmitted (its entry stays in the chain and reaches its recipient by sync).
    /// </summary>
    public const int MaxAwaitingAcks = 16;

    /// <summary>
    /// Own direct frames sent that nothing retries (or no longer), watched for a neighbour's repeat at most: each for one
    /// ack timeout after it left, the oldest dropped beyond. A repeat of one proves that neighbour hears us.
    /// </summary>
    public const int MaxWatchedFrames = 16;

    /// <summary>
    /// Own delivery receipts remembered with the direct message each answers, at most (<see cref="RoutingPolicy.SendsLostReceiptAgain"/>);
    /// the oldest is forgotten beyond. An author retransmits within a few ack timeouts, a late flood within about one
    /// round trip of its route (docs/emulator.md §3.2), so the last few receipts are the ones that can still be asked for.
    /// </summary>
    public const int MaxRememberedReceipts = 16;

    /// <summary>
    /// Direct messages for others, and receipts for others, remembered at most each (<see cref="RoutingPolicy.UsesReceiptRequests"/>);
    /// the oldest forgotten beyond. An author sends a message again within about one round trip of its route, and a
    /// node on a busy channel hears a few tens of direct entries a minute.
    /// </summary>
    public const int MaxOverheardEntries = 32;

    /// <summary>A restored device's settling time: only an archive's heads heard after it confirm the own head (docs/protocol.md §8.3).</summary>
    public const long RestoreSettleMs = 180000; // six restore rounds: the relayed wants for the own chain get their answers first

    /// <summary>Time between a restored device's questions for its own head while no archive has confirmed it (docs/protocol.md §8.3).</summary>
    public const long RestoreRetryMs = 60000;

    /// <summary>Time between a restored device's restore rounds (<see cref="MessengerNode.AnnounceHeads(bool)"/>, docs/protocol.md §8.3).</summary>
    public const long RestoreRoundMs = 30000;

    /// <summary>
    /// Gap between the frames of one restore round (docs/protocol.md §8.3, "Pacing"): each question or want gets its answer
    /// before the next is sent, so answers neither arrive while the device transmits nor collide with the next ask's answers.
    /// </summary>
    public const long RestorePaceMs = 4000;

    /// <summary>Time between an archive's wants for entries it missed on air (<see cref="MessengerNode.PullMissing"/>, docs/protocol.md §8.5).</summary>
    public const long ArchivePullMs = 15000;

    /// <summary>
    /// Share (percent) of the hour's transmit allowance (the region's duty cycle; the whole hour where there is none) that
    /// answers to neighbours' heads questions and wants may use (docs/protocol.md §8.6): anyone can ask, under any hint, so
    /// past it answers are dropped and the asker asks again, and the owner's own frames keep the rest. The gateway's
    /// radio uses the same default (<c>Gateway:Radio:SyncAirtimePercent</c>).
    /// </summary>
    public const int AnswerSharePercent = 50;

    /// <summary>
    /// Share (percent) of the hour's transmit allowance that frames sent for others, relays and answers together, may
    /// use (docs/protocol.md §8.7): anyone can make a device relay, junk included (a relay repeats what it cannot
    /// verify), so past it relays and answers are dropped and the rest of the allowance stays the owner's.
    /// </summary>
    public const int OthersSharePercent = 75;

    /// <summary>Creates the application around a protocol node and a radio.</summary>
    public DeviceApp(MessengerNode node, IRadioPort radio, IClock clock, IRandomSource random, LoRaModulation modulation, Region region, bool useLearnedRoutes)
    {
        Node = node;
        node.SyncAllChains = false; // a device fetches its own chain and its contacts', not the whole mesh
        _radio = radio;
        _clock = clock;
        _modulation = modulation;
        _airtime = new AirtimeBudget(region);
        _context = new RoutingContext(node.Hint, modulation, random);
        Policy = useLearnedRoutes ? new LearnedRoutePolicy(_context) : (RoutingPolicy)new ManagedFloodingPolicy(_context);
        _queue = new TransmitQueue(Policy, Counters);
        _awaited = new AwaitedFrames(node, Policy, _queue, Counters);
        _receipts = new ReceiptAnswers(node, Policy, _queue, Counters);
        _duplicates = new DuplicateFilter(Policy.DuplicateCapacity);
        if (node.OwnChain.Restoring)
        {
            _restoreDeadlineMs = clock.MonotonicMilliseconds + RestoreSettleMs;
            _restoreRoundMs = clock.MonotonicMilliseconds + RestoreRoundMs;
        }

        DrainNode();
    }

    /// <summary>The protocol node (identity, chains, messages, receipts).</summary>
    public MessengerNode Node { get; }

    /// <summary>The routing policy in use.</summary>
    public RoutingPolicy Policy { get; }

    /// <summary>Radio activity counters.</summary>
    public DeviceCounters Counters { get; } = new DeviceCounters();

    /// <summary>Own frames waiting for an acknowledgement (at most <see cref="MaxAwaitingAcks"/>).</summary>
    public int AwaitingAcks => _awaited.Count;

    /// <summary>Frames waiting for the radio.</summary>
    public int QueueLength => _queue.Count;

    /// <summary>Own frames held back until the radio queue has room (at most <see cref="MaxHeldFrames"/>).</summary>
    public int HeldFrames => _queue.HeldCount;

    /// <summary>Channel utilisation over the last minute, 0..1 (Meshtastic's ChUtil).</summary>
    public double ChannelUtilisation => _channelUse.Utilisation(_clock.MonotonicMilliseconds);

    /// <summary>Own transmit time over the last hour, 0..1 (Meshtastic's AirUtilTX).</summary>
    public double TxUtilisation => _airtime.TxUtilisation(_clock.MonotonicMilliseconds);

    /// <summary>When <see cref="Tick"/> next has work; <see cref="long.MaxValue"/> if none.</summary>
    public long NextWakeupMs
    {
        get
        {
            long next = _restoreDeadlineMs >= 0 ? _restoreDeadlineMs : long.MaxValue;
            next = _restoreRoundMs >= 0 && _restoreRoundMs < next ? _restoreRoundMs : next;
            bool radioFree = _onAir == null && !_radio.IsTransmitting; // else OnTransmitDone runs the queue
            next = radioFree ? _queue.EarliestDueMs(next, _airtime.HoldUntilMs) : next;
            return _awaited.EarliestDeadlineMs(next);
        }
    }

    /// <summary>Sends a direct message; returns its sequence number.</summary>
    public uint SendText(uint recipient, string text)
    {
        uint sequence = Node.SendText(recipient, text);
        DrainNode();
        return sequence;
    }

    /// <summary>Posts to a joined channel; returns its sequence number.</summary>
    public uint PostToChannel(uint channelId, string text)
    {
        uint sequence = Node.PostToChannel(channelId, text);
        DrainNode();
        return sequence;
    }

    /// <summary>Marks a peer's messages read (sends a read receipt).</summary>
    public void MarkRead(uint author, uint sequence)
    {
        Node.MarkRead(author, sequence);
        DrainNode();
    }

    /// <summary>Takes entries the host appended to <see cref="Node"/> directly (chain requests, statuses, tips) into the radio queue.</summary>
    public void FlushNode()
    {
        DrainNode();
    }

    /// <summary>The radio delivered an intact frame heard at <paramref name="rssiDbm"/> and <paramref name="snrDb"/>.</summary>
    public void OnReceive(byte[] bytes, double rssiDbm, double snrDb)
    {
        long now = _clock.MonotonicMilliseconds;
        Counters.RxFrames++;
        int airtime = TimeOnAir.Milliseconds(_modulation, bytes.Length);
        _channelUse.Add(now - airtime < 0 ? 0 : now - airtime, airtime);

        PacketInfo? info;
        if (PacketInfo.TryRead(bytes, FrameLimits.LoRa, out info) != ProtocolError.None)
        {
            Counters.Malformed++;
            return;
        }

        PacketInfo p = info!;
        if (p.IsTraffic && p.Author == Node.Id && p.Author != 0)
        {
            _awaited.OnOwnEcho(p, now);
            _awaited.ExtendAckDeadlines(airtime, -1);
            Node.Receive(bytes, 0, bytes.Length);
            return;
        }

        Policy.Overhear(p, snrDb, now); // every copy, duplicates too, names a transmitter in range

        // While a frame was being received no implicit ACK could be heard: every wait grows by its airtime
        // (ReliableRouter::shouldFilterReceived, ReliableRouter.cpp:69-76 at meshtastic/firmware 77540685).
        _awaited.ExtendAckDeadlines(airtime, -1);

        // A neighbour's sync frame (hop start 0) is never a relayed copy: the same question asked again is answered again.
        int heard = p.IsTraffic || p.Frame.HopStart > 0 ? _duplicates.Hear(p.Key) : 0;
        if (heard > 0)
        {
            Counters.Duplicates++;
            QueuedFrame? queued = _queue.FindQueuedRelay(p.Key);
            QueuedFrame? again = _receipts.OnDuplicate(p, now - airtime, now);
            if (again != null)
            {
                HoldOwn(again, now);
                return;
            }

            if (Policy.RelaysFallback && p.IsTraffic && p.IsDirect && p.Frame.NextHop == 0 && p.DestinationHint != Node.Hint && queued == null
                && _duplicates.TakeDirected(p.Key))
            {
                // The directed copy we did not relay failed: its sender floods it now, and so do we.
                Counters.FallbackRelays++;
                QueueRelay(p, snrDb, now);
                return;
            }

            if (Policy.FollowsMeshtasticFirmware && p.IsTraffic && p.Frame.HopStart > 0 && p.Frame.HopLimit == p.Frame.HopStart && p.Frame.Relay == (byte)p.Author)
            {
                // The originator retransmits (sent by the author, hop limit untouched; a sync answer re-sends others'
                // entries with a fresh hop start, so the sender must be the author): it did not hear our repeat, so
                // repeat again unless a relay is still queued; this is its implicit ACK (FloodingRouter.cpp:47-56).
                if (queued == null && !(p.IsDirect && p.DestinationHint == Node.Hint))
                {
                    QueueRelay(p, snrDb, now);
                }

                return;
            }

            if (queued == null && IsRelayedAnswerFor(p, Node.Hint))
            {
                // An answer to a relayed want that names us to repeat it, heard before: the asker asked again, so our
                // earlier repeat did not reach it, and the answer's key (author, sequence, hop start) is the same each
                // time (docs/protocol.md §8.4). Repeated once per copy the answerer sends.
                Counters.SyncAnswersRepeatedAgain++;
                QueueRelay(p, snrDb, now);
                return;
            }

            if (queued != null && Policy.CancelOnDuplicate(p, snrDb, heard, now))
            {
                queued.Cancelled = true;
                _queue.Remove(queued);
                Counters.RelaysCancelled++;
            }

            return;
        }

        Policy.Learn(p, snrDb, now);
        bool forMe = p.IsDirect && p.DestinationHint == Node.Hint;
        if (p.Frame.Type == FrameType.ReceiptRequest)
        {
            // An author next to us asks for a receipt it did not get (ours if we wrote it, else one we heard pass), or
            // whether we have a message of which it heard no repeat.
            QueuedFrame? own = Node.Receive(bytes, 0, bytes.Length) == ProtocolError.None ? _receipts.OnRequest(p, snrDb, now - airtime, now) : null;
            if (own != null)
            {
                HoldOwn(own, now);
            }

            return;
        }

        if (p.Frame.Type == FrameType.Ack)
        {
            // A neighbour's Ack answering a receipt request: to its author, the wait for a repeat ends.
            long acked = _receipts.OnAck(p);
            if (acked >= 0)
            {
                _awaited.OnProbeAnswered((uint)acked, now);
            }
        }

        _receipts.Note(p, now);
        if (p.IsTraffic && p.IsDirect && p.Frame.NextHop != 0 && p.Frame.NextHop != Node.Hint)
        {
            _duplicates.MarkDirected(p.Key);
        }

        // An archive (a gateway's radio side: SyncAllChains) keeps every entry it hears, not only its own.
        if (forMe || !p.IsDirect || p.Frame.Type != FrameType.Entry || Node.SyncAllChains)
        {
            // A live text DM for us is answered with a delivery receipt as it is taken in (EntryReader): remembered with it.
            _answering = forMe && Policy.SendsLostReceiptAgain && p.Frame.Type == FrameType.Entry && !p.IsReceipt ? p : null;
            ProtocolError refused = Node.Receive(bytes, 0, bytes.Length);
            if (forMe && p.Frame.Type == FrameType.Entry && refused != ProtocolError.None)
            {
                // Not a valid signed entry (malformed or forged): it does not stand for the entry its clear header
                // names, so the real one, when it comes, is not taken for a duplicate (docs/protocol.md §8.7). Only
                // for an entry addressed to us, which we do not relay: a forgotten junk broadcast would be relayed
                // again at each copy.
                _duplicates.Unhear(p.Key);
            }

            if (forMe)
            {
                _awaited.StopDelivered(now);
            }

            DrainNode();
            _answering = null;
        }

        if (!forMe)
        {
            QueueRelay(p, snrDb, now);
        }
    }

    /// <summary>The radio finished transmitting.</summary>
    public void OnTransmitDone()
    {
        long now = _clock.MonotonicMilliseconds;
        QueuedFrame? sent = _onAir;
        _onAir = null;
        if (sent != null && !sent.IsRelay && sent.Frame.WantAck && sent.Frame.HopLimit > 0)
        {
            sent.SentAtMs = now;
            if (!Policy.FollowsMeshtasticFirmware)
            {
                _awaited.StartAwaiting(sent, now);
            }
        }
        else if (sent != null && sent.ChecksHop)
        {
            // An own receipt, flooded or sent to a relay: a neighbour's repeat (the named relay's) is awaited, else it floods once more.
            sent.SentAtMs = now;
            sent.Attempt = Policy.MaxRetransmissions - 1;
            _awaited.StartAwaiting(sent, now);
        }

        if (sent != null && !sent.IsRelay && sent.IsDirect && sent.Frame.HopLimit > 0)
        {
            _awaited.Watch(sent, now);
        }

        if (sent != null)
        {
            _receipts.OnTransmitted(sent, now);
        }

        // Never transmit straight after an operation: every frame waits a fresh contention delay first
        // (RadioLibInterface.cpp:363-369 and the setTransmitDelay call on ISR_TX, :408-420).
        for (int i = 0; Policy.FollowsMeshtasticFirmware && i < _queue.Count; i++)
        {
            QueuedFrame q = _queue[i];
            long fresh = now + ContentionDelayMs(q, now);
            q.NotBeforeMs = q.NotBeforeMs < fresh ? fresh : q.NotBeforeMs;
        }

        Tick();
    }

    /// <summary>Runs due work: retransmissions, then the next transmission if the channel and the duty cycle allow.</summary>
    public void Tick()
    {
        long now = _clock.MonotonicMilliseconds;
        _context.ChannelUtilisation = _channelUse.Utilisation(now);
        if (_restoreDeadlineMs >= 0 && now >= _restoreDeadlineMs)
        {
            // An unconfirmed head keeps the device read-only; it asks again for its head until an archive or a
            // neighbour vouches for one it holds, or the rounds ran out (docs/protocol.md §8.3).
            _restoreDeadlineMs = Node.FinishRestore() ? -1 : now + RestoreRetryMs;
            if (_restoreDeadlineMs >= 0 && !Node.Rebuilding)
            {
                Node.AnnounceHeads(true);
            }

            DrainNode(RestorePaceMs);
        }

        if (_restoreRoundMs >= 0 && now >= _restoreRoundMs)
        {
            // Rounds run while the node rebuilds; it ends the rebuild itself after its last round.
            if (Node.Rebuilding)
            {
                Node.AnnounceHeads(true);
            }

            _restoreRoundMs = Node.Rebuilding ? now + RestoreRoundMs : -1;
            DrainNode(RestorePaceMs);
        }

        if (Node.SyncAllChains && now >= _pullAtMs)
        {
            // An archive pulls, paced, what it missed on air; the want waits in the queue for the duty cycle like any frame.
            _pullAtMs = now + ArchivePullMs;
            if (Node.PullMissing())
            {
                DrainNode();
            }
        }

        _awaited.CheckAcknowledgements(now);
        FeedQueue(now);
        if (_onAir != null || _radio.IsTransmitting)
        {
            return;
        }

        if (now < _airtime.HoldUntilMs)
        {
            _queue.DropDueRelays(now);
            return;
        }

        QueuedFrame? next = _queue.NextDue(now);
        if (next == null)
        {
            return;
        }

        if (_radio.IsChannelBusy)
        {
            // Channel activity: Meshtastic draws the whole contention delay again (RadioLibInterface.cpp:457-464,
            // setTransmitDelay); otherwise back off a random number of slots (mesh-alg.mdx, layer 1).
            next.NotBeforeMs = now + (Policy.RedrawsDelayWhenBusy ? ContentionDelayMs(next, now) : (_context.Next(1 << RoutingPolicy.CwMin) + 1) * _context.SlotMs);
            Counters.LbtDeferrals++;
            return;
        }

        byte[] bytes = FrameCodec.Encode(next.Frame, FrameLimits.LoRa);
        int airtime = TimeOnAir.Milliseconds(_modulation, bytes.Length);
        // Frames for others within their shares: answers (docs/protocol.md §8.6), relays and answers together (§8.7). Past
        // a share every queued frame of that kind is dropped (askers ask again), and the rest of the allowance stays the owner's.
        bool othersSpent = _airtime.OthersSpent(next, airtime, now);
        if (othersSpent || _airtime.AnswersSpent(next, airtime, now))
        {
            _queue.DropForOthers(othersSpent);
            FeedQueue(now);
            return;
        }

        if (_airtime.OverDutyCycle(airtime, now))
        {
            // Over the regional limit (ETSI EN 300 220 via Meshtastic's AirTime.cpp): relays are dropped,
            // own frames wait until the oldest bucket of the hour leaves the window.
            _airtime.HoldForDutyCycle(now);
            Counters.DutyCycleDeferrals++;
            _queue.DropDueRelays(now);
            return;
        }

        if (!_radio.Transmit(bytes))
        {
            next.NotBeforeMs = now + _context.SlotMs;
            return;
        }

        _queue.Remove(next);
        _onAir = next;
        next.AirtimeMs = airtime;
        _airtime.Add(next, now, airtime);
        _channelUse.Add(now, airtime);
        Counters.TxFrames++;
        Counters.TxAirtimeMs += airtime;
        if (next.IsRelay)
        {
            Counters.RelaysSent++;
        }
    }

    /// <summary>Takes the node's queued frames (new entries, receipts, sync answers) into the radio queue.</summary>
    private void DrainNode()
    {
        DrainNode(0);
    }

    /// <summary>
    /// Takes the node's queued frames into the radio queue, the k-th (from 0) sent no sooner than k × <paramref name="paceMs"/>
    /// from now: a restore round's asks, each answered before the next goes (docs/protocol.md §8.3).
    /// </summary>
    private void DrainNode(long paceMs)
    {
        long now = _clock.MonotonicMilliseconds;
        bool[] answers;
        byte[][] frames = Node.TakeOutbox(out answers);
        PacketInfo? pieces = null; // the entry whose pieces are being taken, read from its first piece
        for (int i = 0; i < frames.Length; i++)
        {
            PacketInfo? info;
            if (PacketInfo.TryRead(frames[i], FrameLimits.Ip, out info) != ProtocolError.None)
            {
                continue;
            }

            PacketInfo p = info!;
            PacketInfo? first;
            if (p.TryReadFragmentedEntry(out first))
            {
                pieces = first;
            }

            // The outbox holds an entry's pieces in order, the first carrying its clear header (docs/protocol.md §5.2):
            // every piece of an own DM ends on its delivery receipt, as a single-frame DM does.
            bool piece = pieces != null && p.Frame.Type == FrameType.Fragment && p.MessageId == pieces.MessageId;
            PacketInfo carried = piece ? pieces! : p;
            Frame frame = p.Frame;
            bool checksHop = false;
            if (p.IsDirect && frame.HopLimit > 0 && frame.NextHop == 0)
            {
                // The node named no next hop (an answer to a relayed want names the asker's relay): route it.
                bool check = !frame.WantAck && Policy.ChecksUnretriedHop && p.IsReceipt && p.Author == Node.Id;
                byte nextHop = frame.WantAck ? Policy.OwnNextHop(p.DestinationHint, 0, now) : Policy.UnretriedNextHop(p.DestinationHint, check, now);
                frame = frame.Readdressed(frame.HopLimit, nextHop, Node.Hint);
                checksHop = check && nextHop != p.DestinationHint;
            }

            _duplicates.Hear(p.Key);
            var own = new QueuedFrame(frame, p.Key, false, p.IsDirect, p.DestinationHint, now + (i * paceMs));
            own.ChecksHop = checksHop;
            own.Sequence = carried.Sequence;
            own.EndsOnReceipt = frame.WantAck && carried.IsDirect && carried.Author == Node.Id && (piece || frame.Type == FrameType.Entry);
            own.AirtimeMs = TimeOnAir.Milliseconds(_modulation, frames[i].Length);
            own.IsAnswer = answers[i];
            if (_answering != null && frame.Type == FrameType.Entry && p.IsReceipt && p.Author == Node.Id && p.IsDirect
                && p.DestinationHint == NodeId.HintOf(_answering.Author))
            {
                // Drained while a DM for us is taken in: its delivery receipt (a read receipt is sent only on MarkRead).
                _receipts.RememberReceipt(_answering, own);
            }

            _queue.Hold(own);
        }

        FeedQueue(now);
    }

    /// <summary>An own frame made while receiving (a receipt sent once more) goes behind the held own frames.</summary>
    private void HoldOwn(QueuedFrame own, long now)
    {
        _queue.Hold(own);
        FeedQueue(now);
    }

    /// <summary>Hands held own frames to the radio queue while it has room.</summary>
    private void FeedQueue(long now)
    {
        for (QueuedFrame? own = _queue.TakeHeld(); own != null; own = _queue.TakeHeld())
        {
            long origin = now + Policy.OriginDelayMs(now);
            own.NotBeforeMs = own.NotBeforeMs > origin ? own.NotBeforeMs : origin; // a paced restore ask keeps its later time

            // ReliableRouter::send (ReliableRouter.cpp:17-37): the retransmission timer starts when the frame is handed
            // to the radio queue, and every other wait grows by this frame's airtime.
            _awaited.ExtendAckDeadlines(own.AirtimeMs, own.Key);
            _queue.Enqueue(own);
            if (Policy.FollowsMeshtasticFirmware && own.Frame.WantAck && own.Frame.HopLimit > 0)
            {
                _awaited.StartAwaiting(own, now);
            }
        }
    }

    // An entry answering a relayed want (hop start and hop limit 1, docs/protocol.md §8.4) that names this node to repeat it.
    private static bool IsRelayedAnswerFor(PacketInfo p, byte selfHint)
    {
        return p.Frame.Type == FrameType.Entry && p.Frame.HopStart == RelayedWant.HopLimit && p.Frame.HopLimit == RelayedWant.HopLimit
            && p.Frame.NextHop == selfHint && !(p.IsDirect && p.DestinationHint == selfHint);
    }

    private void QueueRelay(PacketInfo p, double snrDb, long now)
    {
        int delay = Policy.RelayDelayMs(p, snrDb, now);
        if (delay < 0)
        {
            return;
        }

        Frame relayed = p.Frame.Relayed(Node.Hint, Policy.RelayNextHop(p, now));
        var relay = new QueuedFrame(relayed, p.Key, true, p.IsDirect, p.DestinationHint, now + delay);
        relay.Heard = p;
        relay.HeardSnrDb = snrDb;
        if (_queue.Enqueue(relay))
        {
            Counters.RelaysQueued++;
        }
    }

    /// <summary>
    /// The delay setTransmitDelay draws for a frame (RadioLibInterface.cpp:484-511): SNR-weighted for a relay, from
    /// channel utilisation for an own frame.
    /// </summary>
    private int ContentionDelayMs(QueuedFrame q, long now)
    {
        if (q.AnswersRequest)
        {
            return Policy.HandBackDelayMs(q.HeardSnrDb); // the best-hearing answerer still goes first
        }

        int delay = q.IsRelay && q.Heard != null ? Policy.RelayDelayMs(q.Heard, q.HeardSnrDb, now) : Policy.OriginDelayMs(now);
        return delay < 0 ? Policy.OriginDelayMs(now) : delay;
    }
}
