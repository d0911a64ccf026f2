namespace MeshMessenger.Emulator.Engine;

/// <summary>
/// The discrete-event core: actions ordered by time, then by the order they were scheduled, so a run is
/// a pure function of its scenario and seed.
/// </summary>
public sealed class EventQueue
{
    private readonly PriorityQueue<Action, (long Time, long Order)> _queue = new();
    private long _order;

    /// <summary>Simulated time of the event being run, in milliseconds.</summary>
    public long Now { get; private set; }

    /// <summary>Events run so far.</summary>
    public long Processed { get; private set; }

    /// <summary>Events waiting.</summary>
    public int Pending => _queue.Count;

    /// <summary>Schedules <paramref name="action"/> at <paramref name="timeMs"/> (not before now).</summary>
    public void At(long timeMs, Action action) => _queue.Enqueue(action, (Math.Max(timeMs, Now), _order++));

    /// <summary>Runs events up to and including <paramref name="untilMs"/>; false when none are left before it.</summary>
    public bool RunNext(long untilMs)
    {
        if (!_queue.TryPeek(out _, out (long Time, long Order) key) || key.Time > untilMs)
        {
            return false;
        }

        Action action = _queue.Dequeue();
        Now = key.Time;
        Processed++;
        action();
        return true;
    }

    /// <summary>Moves the clock to <paramref name="timeMs"/> after the last event.</summary>
    public void AdvanceTo(long timeMs) => Now = Math.Max(Now, timeMs);
}
