using System.Collections;
using MeshMessenger.Firmware.Queue;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Firmware.Retransmission;

/// <summary>
/// Own frames sent and awaiting an acknowledgement, a neighbour's repeat (the implicit ACK) or the recipient's delivery
/// receipt, and their retransmissions when none comes in time (at most <see cref="DeviceApp.MaxAwaitingAcks"/>); and own
/// direct frames nothing retries, watched for a neighbour's repeat (at most <see cref="DeviceApp.MaxWatchedFrames"/>).
/// A retransmission goes through the <see cref="TransmitQueue"/> like any frame.
/// </summary>
internal sealed class AwaitedFrames
{
    private readonly MessengerNode _node;
    private readonly RoutingPolicy _policy;
    private readonly TransmitQueue _queue;
    private readonly DeviceCounters _counters;
    private readonly ArrayList _awaiting = new ArrayList();
    private readonly ArrayList _watched = new ArrayList();

    /// <summary>Nothing awaited yet: own frames of <paramref name="node"/>, retried by <paramref name="policy"/>'s rules into <paramref name="queue"/>.</summary>
    public AwaitedFrames(MessengerNode node, RoutingPolicy policy, TransmitQueue queue, DeviceCounters counters)
    {
        _node = node;
        _policy = policy;
        _queue = queue;
        _counters = counters;
    }

    /// <summary>Own frames waiting for an acknowledgement.</summary>
    public int Count => _awaiting.Count;

    /// <summary>The earlier of <paramref name="next"/> and the first acknowledgement deadline.</summary>
    public long EarliestDeadlineMs(long next)
    {
        for (int i = 0; i < _awaiting.Count; i++)
        {
            var a = (QueuedFrame)_awaiting[i]!;
            next = a.AckDeadlineMs < next ? a.AckDeadlineMs : next;
        }

        return next;
    }

    /// <summary>Starts the wait for <paramref name="frame"/>'s acknowledgement: one ack timeout; beyond <see cref="DeviceApp.MaxAwaitingAcks"/> the oldest wait ends.</summary>
    public void StartAwaiting(QueuedFrame frame, long now)
    {
        frame.AckDeadlineMs = now + _policy.AckTimeoutMs(frame.AirtimeMs, now);
        if (_awaiting.Count >= DeviceApp.MaxAwaitingAcks)
        {
            _awaiting.RemoveAt(0);
            _counters.AckWaitDrops++;
        }

        _awaiting.Add(frame);
    }

    /// <summary>Every wait but <paramref name="exceptKey"/>'s grows by <paramref name="airtimeMs"/> (the reference's rule only).</summary>
    public void ExtendAckDeadlines(int airtimeMs, long exceptKey)
    {
        for (int i = 0; _policy.FollowsMeshtasticFirmware && i < _awaiting.Count; i++)
        {
            var a = (QueuedFrame)_awaiting[i]!;
            a.AckDeadlineMs += a.Key == exceptKey ? 0 : airtimeMs;
        }
    }

    /// <summary>
    /// A neighbour repeated one of our frames: the implicit ACK, and for learned routes the proof that this neighbour
    /// hears us. Only a frame still awaited (or, for the proof alone, an own direct frame still watched) counts, and only a copy that is what we sent but for the fields a relay
    /// rewrites (hop limit, next hop, relay byte): a frame carrying our packet header with another body, which anyone
    /// can forge before any signature check, proves nothing and ends nothing. A replay of the real frame with a chosen
    /// relay byte still counts: the payload is signed, the relay byte is not (docs/emulator.md §3.2).
    /// </summary>
    public void OnOwnEcho(PacketInfo p, long now)
    {
        for (int i = 0; i < _awaiting.Count; i++)
        {
            var a = (QueuedFrame)_awaiting[i]!;
            if (a.Key != p.Key || !IsRepeatOf(p.Frame, a.Frame))
            {
                continue;
            }

            if (a.AwaitingReceipt)
            {
                _policy.OnEcho(p, p.Frame.Relay, -1, now); // a further hop heard repeating it: that neighbour hears us (no delay sample)
                return;
            }

            _awaiting.RemoveAt(i);
            _counters.EchoAcks++;
            if (_policy.FollowsMeshtasticFirmware)
            {
                _queue.RemoveQueuedRetransmission(p.Key);
            }

            // A repeat heard while the neighbours were asked came after the ack timeout: no sample of the echo delay.
            _policy.OnEcho(p, p.Frame.Relay, a.Probed ? -1 : now - a.SentAtMs, now);
            WithdrawRequests(a.Sequence);
            AwaitReceipt(a, now);
            return;
        }

        CancelRetransmissionOnLateEcho(p);

        for (int i = _watched.Count - 1; i >= 0 && !_policy.FollowsMeshtasticFirmware; i--)
        {
            var w = (QueuedFrame)_watched[i]!;
            if (w.AckDeadlineMs < now)
            {
                _watched.RemoveAt(i);
            }
            else if (w.Key == p.Key && IsRepeatOf(p.Frame, w.Frame))
            {
                _policy.OnEcho(p, p.Frame.Relay, -1, now); // a frame sent lately, repeated: that neighbour hears us (no delay sample)
                return;
            }
        }

        if (p.IsDirect && _policy.FollowsMeshtasticFirmware)
        {
            // The reference records who repeated any of its packets by header alone, awaited or not (its relayer
            // record feeds next-hop learning, NextHopRouter.cpp:406-427): kept so the yardstick stays the firmware's.
            _policy.OnEcho(p, p.Frame.Relay, 0, now);
        }
    }

    /// <summary>Watches an own direct frame just sent for a neighbour's repeat, for one ack timeout.</summary>
    public void Watch(QueuedFrame sent, long now)
    {
        var w = new QueuedFrame(sent.Frame, sent.Key, false, true, sent.DestinationHint, now);
        w.AckDeadlineMs = now + _policy.AckTimeoutMs(sent.AirtimeMs, now);
        if (_watched.Count >= DeviceApp.MaxWatchedFrames)
        {
            _watched.RemoveAt(0);
        }

        _watched.Add(w);
    }

    /// <summary>Ends the waits past their deadline: a retransmission is queued, a request to the neighbours, a last flood, or the frame is given up.</summary>
    public void CheckAcknowledgements(long now)
    {
        for (int i = _awaiting.Count - 1; i >= 0; i--)
        {
            var a = (QueuedFrame)_awaiting[i]!;
            if (a.AckDeadlineMs > now)
            {
                continue;
            }

            _awaiting.RemoveAt(i);
            if (a.AwaitingReceipt)
            {
                ReceiptLate(a, now);
                continue;
            }

            if (_policy.UsesReceiptRequests && !a.Probed && _policy.AsksBeforeRetransmitting(now) && a.EndsOnReceipt && a.Frame.NextHop == 0 && a.Frame.Type == FrameType.Entry
                && a.Attempt < _policy.MaxRetransmissions)
            {
                // No repeat heard of a flooded copy: where that happens its relays' repeats mostly collided here. Ask the
                // neighbours first, once per message: one that has it answers with an Ack, and only without an answer is
                // it sent again. The answers' window opens when the request is due to leave.
                QueuedFrame probe = ReceiptRequest(a, true, now);
                _queue.Enqueue(probe);
                _counters.RetransmissionProbes++;
                a.Probed = true;
                a.AckDeadlineMs = probe.NotBeforeMs + _policy.ReceiptRequestWaitMs(a.AirtimeMs);
                _awaiting.Add(a);
                continue;
            }

            if (a.Attempt >= _policy.MaxRetransmissions)
            {
                _policy.OnUnacknowledged(a.DestinationHint, a.Frame.NextHop, now);
                _counters.Unacknowledged++;
                continue;
            }

            byte nextHop = a.IsDirect ? _policy.OwnNextHop(a.DestinationHint, a.Attempt + 1, now) : (byte)0;
            QueuedFrame again = Retransmission(a, nextHop, a.Attempt + 1, now);
            _queue.Enqueue(again);
            if (_policy.FollowsMeshtasticFirmware)
            {
                StartAwaiting(again, now); // NextHopRouter::setNextTx after each retransmission (NextHopRouter.cpp:467-469, 484-488)
            }

            _counters.Retransmissions++;
        }
    }

    /// <summary>
    /// A neighbour answered our request about own entry <paramref name="sequence"/>, sent when no repeat of it was heard,
    /// with an Ack: it has the frame, so the retransmission is spared and the wait for the delivery receipt begins. The
    /// Ack is not signed and proves no hop (no route is learned from it); a forged one ends the wait as a replayed repeat
    /// can (docs/emulator.md §3.2), and the message is still flooded once if its receipt does not come.
    /// </summary>
    public void OnProbeAnswered(uint sequence, long now)
    {
        for (int i = 0; i < _awaiting.Count; i++)
        {
            var a = (QueuedFrame)_awaiting[i]!;
            if (a.Probed && !a.AwaitingReceipt && a.EndsOnReceipt && a.Sequence == sequence)
            {
                _awaiting.RemoveAt(i);
                _counters.EchoAcks++;
                a.ProbeAnswered = true;
                WithdrawRequests(sequence);
                AwaitReceipt(a, now);
                return;
            }
        }
    }

    /// <summary>
    /// The recipient's delivery receipt is the end-to-end ACK: it ends the message's retransmissions, the waiting one and
    /// a queued one (ReliableRouter::sniffReceived, ReliableRouter.cpp:149-154 at meshtastic/firmware 77540685, and
    /// NextHopRouter::stopRetransmission, NextHopRouter.cpp:330-343). A recipient does not repeat what is addressed to it,
    /// so without this a message sent straight to its recipient was always retransmitted. A first attempt that named the
    /// recipient itself as the next hop reached it: the recipient hears us.
    /// </summary>
    public void StopDelivered(long now)
    {
        for (int i = _awaiting.Count - 1; i >= 0; i--)
        {
            var a = (QueuedFrame)_awaiting[i]!;
            if (IsDelivered(a))
            {
                _awaiting.RemoveAt(i);
                _counters.ReceiptAcks++;
                if (a.Attempt == 0 && a.IsDirect && a.Frame.NextHop != 0 && a.Frame.NextHop == a.DestinationHint)
                {
                    _policy.OnReached(a.Frame.NextHop, now); // only the recipient was asked to take it, and it did
                }
            }
        }

        for (int i = _queue.Count - 1; i >= 0; i--)
        {
            QueuedFrame q = _queue[i];
            if (!q.IsRelay && (q.Attempt > 0 || q.IsReceiptRequest) && IsDelivered(q))
            {
                _queue.RemoveAt(i);
            }
        }
    }

    /// <summary>A relayed copy of <paramref name="sent"/> (Frame.Relayed): everything but the hop limit, next hop and relay byte unchanged.</summary>
    private static bool IsRepeatOf(Frame heard, Frame sent)
    {
        return heard.Type == sent.Type && heard.HopStart == sent.HopStart && heard.WantAck == sent.WantAck && heard.LocalOnly == sent.LocalOnly
            && ByteArrays.Same(heard.Payload, sent.Payload);
    }

    /// <summary>
    /// A true repeat of an own frame heard after its wait ended, while the retransmission is still queued: the neighbour
    /// took the earlier copy, so the retransmission would only repeat it to nodes that have it. The reference ends a
    /// pending retransmission on any implicit ACK (NextHopRouter::stopRetransmission, NextHopRouter.cpp:330-343); here
    /// the retransmission waits in the queue after the deadline, for up to tens of seconds under load. A late flood
    /// (no delivery receipt in time) stays: a repeat proves a hop, not the delivery.
    /// </summary>
    private void CancelRetransmissionOnLateEcho(PacketInfo p)
    {
        for (int i = _queue.Count - 1; i >= 0 && !_policy.FollowsMeshtasticFirmware; i--)
        {
            QueuedFrame q = _queue[i];
            if (!q.IsRelay && q.Attempt > 0 && !q.LateFlood && q.Key == p.Key && IsRepeatOf(p.Frame, q.Frame))
            {
                _queue.RemoveAt(i);
                _counters.LateEchoCancels++;
            }
        }
    }

    /// <summary>
    /// A neighbour repeated an own direct message (or said it has it): that proves the first hop only. If the policy says
    /// so, the message keeps waiting, now for its delivery receipt (<see cref="ReceiptLate"/> if none comes in time).
    /// </summary>
    private void AwaitReceipt(QueuedFrame a, long now)
    {
        if (!a.IsDirect || !a.Frame.WantAck || a.Frame.Type != FrameType.Entry || a.Attempt >= _policy.MaxRetransmissions || IsDelivered(a))
        {
            return;
        }

        long wait = _policy.ReceiptTimeoutMs(a.DestinationHint, a.Frame.NextHop, a.AirtimeMs, now);
        if (wait >= 0)
        {
            a.AwaitingReceipt = true;
            a.AckDeadlineMs = a.SentAtMs + wait;
            _awaiting.Add(a);
        }
    }

    /// <summary>An own frame sent again to <paramref name="nextHop"/> (0 floods) after one origin wait, keeping what it carries.</summary>
    private QueuedFrame Retransmission(QueuedFrame a, byte nextHop, int attempt, long now)
    {
        var again = new QueuedFrame(a.Frame.Readdressed(a.Frame.HopStart, nextHop, _node.Hint), a.Key, false, a.IsDirect, a.DestinationHint, now + _policy.OriginDelayMs(now));
        again.Attempt = attempt;
        again.AirtimeMs = a.AirtimeMs;
        again.SentAtMs = a.SentAtMs;
        again.Sequence = a.Sequence;
        again.EndsOnReceipt = a.EndsOnReceipt;
        return again;
    }

    /// <summary>
    /// No delivery receipt within the round trip although a neighbour took the message. A directed copy is flooded once,
    /// as a last attempt. A flooded one had every neighbour's chance: the neighbours are asked for the receipt that
    /// passed them; if the message's retransmission was spared because a neighbour said it had it, and that request
    /// brings no receipt either, it is flooded once after all.
    /// </summary>
    private void ReceiptLate(QueuedFrame a, long now)
    {
        if (a.Frame.NextHop == 0 && !a.ReceiptAsked)
        {
            QueuedFrame request = ReceiptRequest(a, false, now);
            _queue.Enqueue(request);
            _counters.ReceiptRequests++;
            a.ReceiptAsked = true;
            if (a.ProbeAnswered)
            {
                a.AckDeadlineMs = request.NotBeforeMs + _policy.ReceiptRequestWaitMs(a.AirtimeMs);
                _awaiting.Add(a);
            }

            return;
        }

        QueuedFrame late = Retransmission(a, 0, _policy.MaxRetransmissions, now);
        late.LateFlood = true;
        _queue.Enqueue(late);
        _counters.EndToEndRetries++;
    }

    /// <summary>
    /// The author's request about <paramref name="a"/> (docs/protocol.md §7.1): hop limit 0, after one origin wait; with
    /// want-ack set (<paramref name="whetherHeard"/>) a neighbour that heard the message answers with an Ack.
    /// </summary>
    private QueuedFrame ReceiptRequest(QueuedFrame a, bool whetherHeard, long now)
    {
        var frame = new Frame(FrameType.ReceiptRequest, 0, 0, whetherHeard, 0, _node.Hint, new EntryReference(_node.Id, a.Sequence).Encode());
        var request = new QueuedFrame(frame, PacketInfo.KeyOfPayload(frame.Payload), false, false, 0, now + _policy.OriginDelayMs(now));
        request.IsReceiptRequest = true;
        request.Sequence = a.Sequence;
        request.EndsOnReceipt = true; // withdrawn once the receipt is in (StopDelivered)
        return request;
    }

    // Own requests about entry `sequence` still queued: no longer needed (a repeat, an Ack or the receipt came).
    private void WithdrawRequests(uint sequence)
    {
        for (int i = _queue.Count - 1; i >= 0; i--)
        {
            QueuedFrame q = _queue[i];
            if (q.IsReceiptRequest && q.Sequence == sequence)
            {
                _queue.RemoveAt(i);
            }
        }
    }

    private bool IsDelivered(QueuedFrame own)
    {
        return own.EndsOnReceipt && _node.Tracker.StateOf(own.Sequence) >= MessageState.Delivered;
    }
}
