namespace MeshMessenger.Gateway.Ingest;

/// <summary>
/// A token bucket per node id: each node may send <c>perMinute</c> frames a minute with bursts up to
/// <c>burst</c>; the rest are dropped and counted. Bounded: beyond <see cref="MaxNodes"/>, buckets that have
/// refilled completely are forgotten (a new bucket starts full, so nothing changes for those nodes), and
/// only if none has, the least recently seen one.
/// </summary>
public sealed class RateLimiter(double perMinute, double burst)
{
    /// <summary>Nodes tracked at most.</summary>
    public const int MaxNodes = 100_000;

    private readonly Dictionary<uint, (double Tokens, long LastMs)> _buckets = [];

    /// <summary>True if <paramref name="node"/> may send one more frame at <paramref name="nowMs"/>.</summary>
    public bool Allow(uint node, long nowMs)
    {
        if (perMinute <= 0)
        {
            return true;
        }

        (double tokens, long last) = _buckets.TryGetValue(node, out var b) ? b : (burst, nowMs);
        tokens = Math.Min(burst, tokens + ((nowMs - last) * perMinute / 60000.0));
        bool allowed = tokens >= 1;
        if (_buckets.Count >= MaxNodes && !_buckets.ContainsKey(node))
        {
            Evict(nowMs);
        }

        _buckets[node] = (allowed ? tokens - 1 : tokens, nowMs);
        return allowed;
    }

    /// <summary>Nodes tracked now.</summary>
    public int Count => _buckets.Count;

    private void Evict(long nowMs)
    {
        // One pass frees every full bucket at once, so a flood of new ids costs O(1) per id on average, not a scan each.
        long refillMs = (long)Math.Ceiling(burst * 60000.0 / perMinute);
        foreach (uint full in _buckets.Where(p => nowMs - p.Value.LastMs >= refillMs).Select(p => p.Key).ToList())
        {
            _buckets.Remove(full);
        }

        if (_buckets.Count >= MaxNodes)
        {
            _buckets.Remove(_buckets.MinBy(p => p.Value.LastMs).Key);
        }
    }
}
