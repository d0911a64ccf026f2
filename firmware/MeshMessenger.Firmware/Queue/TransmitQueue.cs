using System.Collections;
using MeshMessenger.Firmware.Routing;

namespace MeshMessenger.Firmware.Queue;

/// <summary>
/// The radio queue and its bounds: frames waiting for the radio (at most the policy's
/// <see cref="RoutingPolicy.QueueCapacity"/>, never more than <see cref="DeviceApp.MaxQueueLength"/>), and own frames
/// held outside it while it is full (at most <see cref="DeviceApp.MaxHeldFrames"/>). Which frame is due and what leaves
/// the queue (when it is full, when the shares for others' frames are spent, when the duty cycle holds the radio) is
/// decided here; whether the channel and the airtime let the due frame go is the device app's.
/// </summary>
internal sealed class TransmitQueue
{
    private readonly RoutingPolicy _policy;
    private readonly DeviceCounters _counters;
    private readonly ArrayList _queue = new ArrayList();
    private readonly ArrayList _held = new ArrayList();
    private readonly int _queueCapacity;

    /// <summary>An empty queue within <paramref name="policy"/>'s capacity, counting its drops in <paramref name="counters"/>.</summary>
    public TransmitQueue(RoutingPolicy policy, DeviceCounters counters)
    {
        _policy = policy;
        _counters = counters;
        _queueCapacity = policy.QueueCapacity < DeviceApp.MaxQueueLength ? policy.QueueCapacity : DeviceApp.MaxQueueLength;
    }

    /// <summary>Frames waiting for the radio.</summary>
    public int Count => _queue.Count;

    /// <summary>Own frames held back until the radio queue has room.</summary>
    public int HeldCount => _held.Count;

    /// <summary>The frame at <paramref name="index"/> in queue order.</summary>
    public QueuedFrame this[int index] => (QueuedFrame)_queue[index]!;

    /// <summary>Takes the frame at <paramref name="index"/> off the queue.</summary>
    public void RemoveAt(int index)
    {
        _queue.RemoveAt(index);
    }

    /// <summary>Takes <paramref name="frame"/> off the queue (sent, or a relay cancelled).</summary>
    public void Remove(QueuedFrame frame)
    {
        _queue.Remove(frame);
    }

    /// <summary>The earlier of <paramref name="next"/> and the time the first queued frame is due, none before <paramref name="holdUntilMs"/>.</summary>
    public long EarliestDueMs(long next, long holdUntilMs)
    {
        for (int i = 0; i < _queue.Count; i++)
        {
            var q = (QueuedFrame)_queue[i]!;
            long due = q.NotBeforeMs > holdUntilMs ? q.NotBeforeMs : holdUntilMs;
            next = due < next ? due : next;
        }

        return next;
    }

    /// <summary>The frame to send next at <paramref name="now"/>, else null.</summary>
    public QueuedFrame? NextDue(long now)
    {
        // Meshtastic: the queue is in its order (priority, then relays before own frames) and the first frame whose
        // contention delay has passed goes. Otherwise the earliest due frame goes.
        QueuedFrame? next = null;
        for (int i = 0; i < _queue.Count && (next == null || !_policy.FollowsMeshtasticFirmware); i++)
        {
            var q = (QueuedFrame)_queue[i]!;
            if (q.NotBeforeMs <= now && (next == null || q.NotBeforeMs < next.NotBeforeMs))
            {
                next = q;
            }
        }

        return next;
    }

    /// <summary>Holds an own frame until the radio queue has room; beyond <see cref="DeviceApp.MaxHeldFrames"/> one held frame is dropped.</summary>
    public void Hold(QueuedFrame own)
    {
        if (_held.Count >= DeviceApp.MaxHeldFrames)
        {
            // The oldest answer goes first: a flood of questions must not push out the owner's own frames.
            _held.RemoveAt(OldestAnswer(_held));
            _counters.QueueDrops++;
        }

        _held.Add(own);
    }

    /// <summary>The oldest held own frame, taken off the held list, if the radio queue has room for it; else null.</summary>
    public QueuedFrame? TakeHeld()
    {
        if (_held.Count == 0 || _queue.Count >= _queueCapacity)
        {
            return null;
        }

        var own = (QueuedFrame)_held[0]!;
        _held.RemoveAt(0);
        return own;
    }

    /// <summary>Adds a frame within the policy's queue capacity; false if the frame itself was refused.</summary>
    public bool Enqueue(QueuedFrame frame)
    {
        if (!_policy.FollowsMeshtasticFirmware)
        {
            return EnqueueRelaysFirstDropped(frame);
        }

        if (_queue.Count >= _queueCapacity)
        {
            // Full: the last frame (lowest priority, own before relays) makes room only for a strictly higher priority.
            _counters.QueueDrops++;
            if (((QueuedFrame)_queue[_queue.Count - 1]!).Priority >= frame.Priority)
            {
                return false;
            }

            _queue.RemoveAt(_queue.Count - 1);
        }

        // std::upper_bound: after every frame that does not go after it, so equal frames keep their arrival order.
        int at = _queue.Count;
        for (int i = 0; i < _queue.Count && at == _queue.Count; i++)
        {
            at = frame.GoesBefore((QueuedFrame)_queue[i]!) ? i : at;
        }

        _queue.Insert(at, frame);
        return true;
    }

    /// <summary>Frames for others leave the queue, their share spent: answers, and relays too if <paramref name="relaysToo"/>; the owner's frames keep the rest.</summary>
    public void DropForOthers(bool relaysToo)
    {
        for (int i = _queue.Count - 1; i >= 0; i--)
        {
            var q = (QueuedFrame)_queue[i]!;
            if (q.IsAnswer)
            {
                _queue.RemoveAt(i);
                _counters.SyncAnswersDropped++;
            }
            else if (relaysToo && q.IsRelay)
            {
                _queue.RemoveAt(i);
                _counters.RelayShareDrops++;
            }
        }
    }

    /// <summary>Over the regional duty cycle the relays already due are dropped; own frames wait for the hold to end.</summary>
    public void DropDueRelays(long now)
    {
        for (int i = _queue.Count - 1; i >= 0; i--)
        {
            var q = (QueuedFrame)_queue[i]!;
            if (q.IsRelay && q.NotBeforeMs <= now)
            {
                _queue.RemoveAt(i);
                _counters.DutyCycleDrops++;
            }
        }
    }

    /// <summary>An implicit ACK also takes a queued retransmission off the queue (NextHopRouter::stopRetransmission, NextHopRouter.cpp:330-343).</summary>
    public void RemoveQueuedRetransmission(long key)
    {
        for (int i = _queue.Count - 1; i >= 0; i--)
        {
            var q = (QueuedFrame)_queue[i]!;
            if (!q.IsRelay && q.Key == key && q.Attempt > 0)
            {
                _queue.RemoveAt(i);
            }
        }
    }

    /// <summary>The queued relay of the frame with duplicate key <paramref name="key"/>, else null.</summary>
    public QueuedFrame? FindQueuedRelay(long key)
    {
        for (int i = 0; i < _queue.Count; i++)
        {
            var q = (QueuedFrame)_queue[i]!;
            if (q.IsRelay && q.Key == key)
            {
                return q;
            }
        }

        return null;
    }

    /// <summary>Our own rule: when full, the oldest relay is dropped before an own frame; arrival order.</summary>
    private bool EnqueueRelaysFirstDropped(QueuedFrame frame)
    {
        if (_queue.Count >= _queueCapacity)
        {
            int victim = -1;
            for (int i = 0; i < _queue.Count && victim < 0; i++)
            {
                victim = ((QueuedFrame)_queue[i]!).IsRelay ? i : -1;
            }

            if (victim < 0 && frame.IsRelay)
            {
                _counters.QueueDrops++;
                return false;
            }

            _queue.RemoveAt(victim < 0 ? 0 : victim);
            _counters.QueueDrops++;
        }

        _queue.Add(frame);
        return true;
    }

    // The index of the oldest answer in a list of queued frames, else 0 (the oldest frame).
    private static int OldestAnswer(ArrayList frames)
    {
        for (int i = 0; i < frames.Count; i++)
        {
            if (((QueuedFrame)frames[i]!).IsAnswer)
            {
                return i;
            }
        }

        return 0;
    }
}
