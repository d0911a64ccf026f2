namespace MeshMessenger.Gateway.Links;

/// <summary>Bytes a proven peer may be sent: refills at a steady rate up to a burst (the classic token bucket). Not thread-safe: its owner holds a lock.</summary>
internal sealed class TokenBucket(int tokens, long now)
{
    private double _tokens = tokens;
    private long _refilledAt = now;

    /// <summary>Takes <paramref name="bytes"/> tokens if that many are there at <paramref name="now"/> (milliseconds); false, and nothing taken, if not.</summary>
    public bool TryTake(int bytes, long now, int perSecond, int burst)
    {
        _tokens = Math.Min(burst, _tokens + ((now - _refilledAt) * perSecond / 1000.0));
        _refilledAt = now;
        if (_tokens < bytes)
        {
            return false;
        }

        _tokens -= bytes;
        return true;
    }
}
