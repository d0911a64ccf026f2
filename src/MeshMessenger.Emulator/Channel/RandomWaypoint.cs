namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// Random waypoint mobility (Johnson and Maltz, "Dynamic source routing in ad hoc wireless networks", 1996): a
/// moving device walks in a straight line to a uniformly drawn point of the area at a speed drawn uniformly from
/// [min, max], pauses, and draws again. The minimum speed is kept above zero, since with a zero minimum the mean
/// speed decays over the run (Yoon, Liu and Noble, "Random waypoint considered harmful", INFOCOM 2003).
/// Positions advance in simulated time, in steps the caller chooses, and land in the <see cref="LinkMap"/>.
/// </summary>
public sealed class RandomWaypoint
{
    private readonly LinkMap _map;
    private readonly double _minX;
    private readonly double _minY;
    private readonly double _width;
    private readonly double _height;
    private readonly double _speedMin;
    private readonly double _speedMax;
    private readonly long _pauseMs;
    private readonly bool[] _mobile;
    private readonly double[] _targetX;
    private readonly double[] _targetY;
    private readonly double[] _speed;
    private readonly long[] _pausedUntil;
    private readonly Random _random;
    private long _nowMs;

    /// <summary>
    /// Moves the devices of <paramref name="map"/> flagged in <paramref name="mobile"/> within the bounding box of
    /// their starting positions.
    /// </summary>
    public RandomWaypoint(LinkMap map, bool[] mobile, double speedMinMps, double speedMaxMps, double pauseSeconds, int seed)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(mobile);
        _map = map;
        _mobile = mobile;
        int n = map.Count;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            minX = Math.Min(minX, map.X(i));
            minY = Math.Min(minY, map.Y(i));
            maxX = Math.Max(maxX, map.X(i));
            maxY = Math.Max(maxY, map.Y(i));
        }

        (_minX, _minY, _width, _height) = (minX, minY, maxX - minX, maxY - minY);
        _speedMin = speedMinMps;
        _speedMax = speedMaxMps;
        _pauseMs = (long)(pauseSeconds * 1000);
        _targetX = new double[n];
        _targetY = new double[n];
        _speed = new double[n];
        _pausedUntil = new long[n];
        _random = new Random(seed);
        for (int i = 0; i < n; i++)
        {
            if (_mobile[i])
            {
                NextLeg(i);
            }
        }
    }

    /// <summary>Moves every mobile device to where it is at <paramref name="nowMs"/>; returns which ones moved.</summary>
    public bool[] Advance(long nowMs)
    {
        var moved = new bool[_map.Count];
        for (int i = 0; i < moved.Length; i++)
        {
            if (!_mobile[i])
            {
                continue;
            }

            long t = Math.Max(_nowMs, _pausedUntil[i]);
            double x = _map.X(i);
            double y = _map.Y(i);
            while (t < nowMs)
            {
                double dx = _targetX[i] - x;
                double dy = _targetY[i] - y;
                double left = Math.Sqrt((dx * dx) + (dy * dy));
                double reach = _speed[i] * (nowMs - t) / 1000.0;
                moved[i] = true;
                if (reach < left)
                {
                    x += dx * reach / left;
                    y += dy * reach / left;
                    break;
                }

                // Arrived: pause, then the next leg (possibly within this same step).
                t += (long)Math.Ceiling(left / _speed[i] * 1000) + _pauseMs;
                x = _targetX[i];
                y = _targetY[i];
                _pausedUntil[i] = t;
                NextLeg(i);
            }

            if (moved[i])
            {
                _map.Move(i, x, y);
            }
        }

        _nowMs = nowMs;
        return moved;
    }

    private void NextLeg(int i)
    {
        _targetX[i] = _minX + (_random.NextDouble() * _width);
        _targetY[i] = _minY + (_random.NextDouble() * _height);
        _speed[i] = _speedMin + (_random.NextDouble() * (_speedMax - _speedMin));
    }
}
