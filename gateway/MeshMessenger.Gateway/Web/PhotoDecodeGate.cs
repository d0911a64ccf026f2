using MeshMessenger.Gateway.Ingest;

namespace MeshMessenger.Gateway.Web;

/// <summary>
/// Bounds photo decoding to <see cref="MaxConcurrent"/> at a time, so concurrent uploads cannot exhaust memory.
/// An upload waits at most <see cref="MaxWait"/> for a slot; then it is refused (503 with Retry-After) rather than queued
/// without bound. Every decode started is counted in /metrics as <c>meshmsg_gateway_web_photo_decodes_total</c>.
/// </summary>
public sealed class PhotoDecodeGate(GatewayCounters counters)
{
    /// <summary>Photos decoded at the same time, at most.</summary>
    public const int MaxConcurrent = 2;

    /// <summary>How long an upload waits for a free slot.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    /// <summary>The counter in /metrics (without its prefix and suffix).</summary>
    public const string DecodesCounter = "web_photo_decodes";

    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);

    /// <summary>Takes a slot, waiting at most <see cref="MaxWait"/>; null when none came free. Dispose the slot to give it back.</summary>
    public async Task<IDisposable?> TryEnterAsync(CancellationToken ct)
    {
        return await _slots.WaitAsync(MaxWait, ct).ConfigureAwait(false) ? new Slot(_slots) : null;
    }

    /// <summary>Decodes and shrinks <paramref name="upload"/> (<see cref="PhotoShrinker.Shrink(byte[], out string)"/>) while holding a slot the caller took.</summary>
    public ShrunkPhoto? Shrink(byte[] upload, out string refusal)
    {
        counters.Add(DecodesCounter);
        return PhotoShrinker.Shrink(upload, out refusal);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
