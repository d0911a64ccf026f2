namespace MeshMessenger.Emulator.Payments;

/// <summary>
/// Runs async wallet code inside the discrete-event loop: continuations are queued, not run on the thread pool, and the
/// emulation drains the queue after every event on its own thread, so the payment flow stays deterministic and sees
/// the simulated clock stand still while it runs.
/// </summary>
internal sealed class QueueSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _gate = new();

    /// <summary>True when continuations are queued.</summary>
    public bool HasWork
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count > 0;
            }
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            _queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("the emulation runs continuations in order; Send would block it");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs queued continuations (and those they queue) until none are left.</summary>
    public void Drain()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) next;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    return;
                }

                next = _queue.Dequeue();
            }

            next.Callback(next.State);
        }
    }
}
