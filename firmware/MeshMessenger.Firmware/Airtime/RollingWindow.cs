namespace MeshMessenger.Firmware.Airtime;

/// <summary>
/// Busy milliseconds over a rolling window kept as fixed buckets, the way Meshtastic keeps channel
/// utilisation (60 s as 6 × 10 s) and TX air utilisation (1 h as 60 × 1 min) in AirTime.cpp.
/// Fixed memory; time only moves forward.
/// </summary>
public sealed class RollingWindow
{
    private readonly long[] _buckets;
    private readonly long _bucketMs;
    private long _currentBucket;

    /// <summary>A window of <paramref name="bucketCount"/> buckets of <paramref name="bucketMs"/> ms.</summary>
    public RollingWindow(int bucketCount, long bucketMs)
    {
        _buckets = new long[bucketCount];
        _bucketMs = bucketMs;
    }

    /// <summary>Bucket length in milliseconds: busy time leaves the window a bucket at a time.</summary>
    public long BucketMs => _bucketMs;

    /// <summary>Window length in milliseconds.</summary>
    public long WindowMs => _buckets.Length * _bucketMs;

    /// <summary>Adds busy time that starts at <paramref name="startMs"/>, split across buckets.</summary>
    public void Add(long startMs, long durationMs)
    {
        long t = startMs;
        long left = durationMs;
        while (left > 0)
        {
            long bucket = t / _bucketMs;
            Advance(bucket);
            long room = (bucket + 1) * _bucketMs - t;
            long take = left < room ? left : room;
            _buckets[(int)(bucket % _buckets.Length)] += take;
            t += take;
            left -= take;
        }
    }

    /// <summary>Busy milliseconds in the window that ends at <paramref name="nowMs"/>.</summary>
    public long BusyMs(long nowMs)
    {
        Advance(nowMs / _bucketMs);
        long sum = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            sum += _buckets[i];
        }

        return sum;
    }

    /// <summary>Busy share of the window, 0..1.</summary>
    public double Utilisation(long nowMs)
    {
        return (double)BusyMs(nowMs) / WindowMs;
    }

    private void Advance(long bucket)
    {
        if (bucket <= _currentBucket)
        {
            return;
        }

        long steps = bucket - _currentBucket;
        if (steps > _buckets.Length)
        {
            steps = _buckets.Length;
        }

        for (long i = 1; i <= steps; i++)
        {
            _buckets[(int)((_currentBucket + i) % _buckets.Length)] = 0;
        }

        _currentBucket = bucket;
    }
}
