namespace MeshMessenger.Gateway.Ingest;

/// <summary>
/// A token bucket per key (a link address, or a hosted node): each key may spend <c>perMinute</c> tokens a
/// minute with bursts up to <c>burst</c>. Checking and spending are separate so that a caller can decide what a
/// frame costs after it has verified it. Bounded: beyond <see cref="MaxKeys"/>, buckets that have refilled
/// completely are forgotten (a new bucket starts full, so nothing changes for those keys), and only if none has,
/// the least recently used one. Not thread-safe: one owner (the ingest writer, or a caller holding a lock).
/// </summary>
public sealed class RateLimiter(double perMinute, double burst)
{
    /// <summary>Keys tracked at most.</summary>
    public const int MaxKeys = 100_000;

    private readonly Dictionary<string, (double Tokens, long LastMs)> _buckets = new(StringComparer.Ordinal);

    /// <summary>False when the limiter is off (a rate of 0): every check passes and nothing is tracked.</summary>
    public bool Enabled => perMinute > 0;

    /// <summary>Keys tracked now.</summary>
    public int Count => _buckets.Count;

    /// <summary>True if <paramref name="key"/> has a whole token at <paramref name="nowMs"/>; spends nothing.</summary>
    public bool HasToken(string key, long nowMs) => !Enabled || Tokens(key, nowMs) >= 1;

    /// <summary>Spends one token of <paramref name="key"/> (the balance may go below one, never below zero).</summary>
    public void Spend(string key, long nowMs)
    {
        if (!Enabled)
        {
            return;
        }

        double tokens = Tokens(key, nowMs);
        if (_buckets.Count >= MaxKeys && !_buckets.ContainsKey(key))
        {
            Evict(nowMs);
        }

        _buckets[key] = (Math.Max(0, tokens - 1), nowMs);
    }

    /// <summary>True, and one token spent, if <paramref name="key"/> may act once more at <paramref name="nowMs"/>.</summary>
    public bool Allow(string key, long nowMs)
    {
        if (!HasToken(key, nowMs))
        {
            return false;
        }

        Spend(key, nowMs);
        return true;
    }

    /// <summary>How long until <paramref name="key"/> has a whole token again (zero if it has one now).</summary>
    public TimeSpan RetryAfter(string key, long nowMs)
    {
        double missing = 1 - Tokens(key, nowMs);
        return !Enabled || missing <= 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(missing * 60000.0 / perMinute));
    }

    private double Tokens(string key, long nowMs) =>
        _buckets.TryGetValue(key, out var b) ? Math.Min(burst, b.Tokens + ((nowMs - b.LastMs) * perMinute / 60000.0)) : burst;

    private void Evict(long nowMs)
    {
        // One pass frees every full bucket at once, so a flood of new keys costs O(1) per key on average, not a scan each.
        long refillMs = (long)Math.Ceiling(burst * 60000.0 / perMinute);
        foreach (string full in _buckets.Where(p => nowMs - p.Value.LastMs >= refillMs).Select(p => p.Key).ToList())
        {
            _buckets.Remove(full);
        }

        if (_buckets.Count >= MaxKeys)
        {
            _buckets.Remove(_buckets.MinBy(p => p.Value.LastMs).Key);
        }
    }
}
