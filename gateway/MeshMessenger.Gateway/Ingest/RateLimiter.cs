namespace MeshMessenger.Gateway.Ingest;

/// <summary>
/// A token bucket per node id: each node may send <c>perMinute</c> frames a minute with bursts up to
/// <c>burst</c>; the rest are dropped and counted. Bounded: the least recently seen nodes are forgotten
/// beyond <see cref="MaxNodes"/>.
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
            _buckets.Remove(_buckets.MinBy(p => p.Value.LastMs).Key);
        }

        _buckets[node] = (allowed ? tokens - 1 : tokens, nowMs);
        return allowed;
    }
}
