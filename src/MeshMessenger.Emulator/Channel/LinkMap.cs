namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// Who hears whom at what power: median path loss at each pair's distance plus per-direction shadowing, through
/// the link budget; links weaker than <see cref="FloorDbm"/> are left out. Row a lists the devices that hear a.
/// Devices may move: <see cref="Update"/> recomputes only the pairs that involve a moved device.
/// </summary>
public sealed class LinkMap
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _computedX;
    private readonly double[] _computedY;
    private readonly PathLossModel _model;
    private readonly Shadowing _shadowing;
    private readonly LinkBudget _budget;
    private double[]? _shadowCache;

    /// <summary>A map over positions (copied) with a path-loss model, shadowing and link budget.</summary>
    public LinkMap(IReadOnlyList<double> x, IReadOnlyList<double> y, PathLossModel model, Shadowing shadowing, LinkBudget budget)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        _x = [.. x];
        _y = [.. y];
        _computedX = [.. x];
        _computedY = [.. y];
        _model = model;
        _shadowing = shadowing;
        _budget = budget;
        FloorDbm = budget.SensitivityDbm - 10; // weaker signals neither decode nor matter as interference
        Links = ComputeAll();
    }

    /// <summary>Most devices whose shadowing draws are kept in a table once devices move (32 MB at this size).</summary>
    public const int MaxCachedDevices = 2048;

    /// <summary>Weakest link kept.</summary>
    public double FloorDbm { get; }

    /// <summary>Current links: row a lists (device that hears a, its received power).</summary>
    public (int To, double RssiDbm)[][] Links { get; private set; }

    /// <summary>Devices.</summary>
    public int Count => _x.Length;

    /// <summary>Current position of a device, metres east.</summary>
    public double X(int device) => _x[device];

    /// <summary>Current position of a device, metres north.</summary>
    public double Y(int device) => _y[device];

    /// <summary>Moves a device; call <see cref="Update"/> once after moving a batch.</summary>
    public void Move(int device, double x, double y)
    {
        _x[device] = x;
        _y[device] = y;
    }

    /// <summary>Received power from <paramref name="from"/> at <paramref name="to"/> with the current positions.</summary>
    public double RssiDbm(int from, int to)
    {
        _shadowing.Pair(from, to, out double s, out _);
        return _budget.RssiDbm(_model.LossDb(Distance(from, to)) + s);
    }

    /// <summary>
    /// Recomputes the links of devices that moved at least <paramref name="thresholdM"/> since their links were last
    /// computed (0: every device that moved at all); returns how many. A walker's links are then refreshed every
    /// threshold's worth of walking instead of every step, which is what keeps mobility affordable at 1,000 devices.
    /// </summary>
    public int Refresh(double thresholdM)
    {
        var moved = new bool[_x.Length];
        int count = 0;
        double t2 = thresholdM * thresholdM;
        for (int i = 0; i < moved.Length; i++)
        {
            double dx = _x[i] - _computedX[i];
            double dy = _y[i] - _computedY[i];
            double d2 = (dx * dx) + (dy * dy);
            if (d2 > 0 && d2 >= t2)
            {
                moved[i] = true;
                count++;
            }
        }

        if (count > 0)
        {
            Update(moved);
        }

        return count;
    }

    /// <summary>Recomputes the pairs that involve a device flagged in <paramref name="moved"/>; the other pairs are kept.</summary>
    public void Update(bool[] moved)
    {
        ArgumentNullException.ThrowIfNull(moved);
        int n = _x.Length;

        // Devices that move keep each pair's shadowing draws: keep them in a table (n² doubles, so up to
        // MaxCachedDevices) and a recomputation costs a distance and a logarithm per pair.
        if (_shadowCache is null && n <= MaxCachedDevices)
        {
            var cache = new double[n * n];
            for (int a = 0; a < n; a++)
            {
                for (int b = a + 1; b < n; b++)
                {
                    _shadowing.Pair(a, b, out cache[(a * n) + b], out cache[(b * n) + a]);
                }
            }

            _shadowCache = cache;
        }

        for (int i = 0; i < n; i++)
        {
            if (moved[i])
            {
                _computedX[i] = _x[i];
                _computedY[i] = _y[i];
            }
        }

        var added = new List<(int, double)>?[n];
        for (int m = 0; m < n; m++)
        {
            if (!moved[m])
            {
                continue;
            }

            for (int other = 0; other < n; other++)
            {
                // A pair of two moved devices is done once, from its lower index.
                if (other == m || (moved[other] && other < m))
                {
                    continue;
                }

                AddPair(m, other, added);
            }
        }

        var links = new (int To, double RssiDbm)[n][];
        for (int a = 0; a < n; a++)
        {
            List<(int, double)>? extra = added[a];
            if (moved[a])
            {
                links[a] = extra is null ? [] : [.. extra];
                continue;
            }

            var row = new List<(int, double)>(Links[a].Length + (extra?.Count ?? 0));
            foreach ((int to, double rssi) in Links[a])
            {
                if (!moved[to])
                {
                    row.Add((to, rssi));
                }
            }

            if (extra is not null)
            {
                row.AddRange(extra);
            }

            links[a] = [.. row];
        }

        Links = links;
    }

    private (int To, double RssiDbm)[][] ComputeAll()
    {
        int n = _x.Length;
        var added = new List<(int, double)>?[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                AddPair(i, j, added);
            }
        }

        var links = new (int To, double RssiDbm)[n][];
        for (int a = 0; a < n; a++)
        {
            links[a] = added[a] is { } row ? [.. row] : [];
        }

        return links;
    }

    private void AddPair(int a, int b, List<(int, double)>?[] rows)
    {
        double median = _model.LossDb(Distance(a, b));
        double ab, ba;
        if (_shadowCache is { } cache)
        {
            int n = _x.Length;
            ab = cache[(a * n) + b];
            ba = cache[(b * n) + a];
        }
        else
        {
            _shadowing.Pair(a, b, out ab, out ba);
        }

        double heardAtB = _budget.RssiDbm(median + ab);
        double heardAtA = _budget.RssiDbm(median + ba);
        if (heardAtB >= FloorDbm)
        {
            (rows[a] ??= []).Add((b, heardAtB));
        }

        if (heardAtA >= FloorDbm)
        {
            (rows[b] ??= []).Add((a, heardAtA));
        }
    }

    private double Distance(int a, int b)
    {
        double dx = _x[a] - _x[b];
        double dy = _y[a] - _y[b];
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}
