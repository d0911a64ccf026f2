namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// A figure a sweep summarises over seeds: its results.json name, a label, which direction is better (null: not
/// judged) and how to read it from one run. The published table shows the judged ones with <see cref="InTable"/>.
/// </summary>
public sealed class SweepFigure
{
    private SweepFigure(string name, string label, bool? higherIsBetter, double scale, string format, bool inTable, Func<EmulationResult, double> read)
    {
        Name = name;
        Label = label;
        HigherIsBetter = higherIsBetter;
        Scale = scale;
        Format = format;
        InTable = inTable;
        Read = read;
    }

    /// <summary>Every figure, in table order.</summary>
    public static IReadOnlyList<SweepFigure> All { get; } =
    [
        new("dmDeliveryPercent", "DM delivery %", true, 1, "F1", true, r => r.DmDeliveryPercent),
        new("dmAcknowledgedPercent", "DM acknowledged %", true, 1, "F1", true, r => r.DmAcknowledgedPercent),
        new("reachabilityPercent", "post reachability %", true, 1, "F1", true, r => r.ReachabilityPercent),
        new("airtimePerDeliveredMs", "airtime per delivered message, s", false, 0.001, "F2", true, r => r.AirtimePerDeliveredMs),
        new("collisionPercent", "collision %", false, 1, "F1", true, r => r.CollisionPercent),
        new("usefulnessPercent", "usefulness %", true, 1, "F1", true, r => r.UsefulnessPercent),
        new("meanDelayMs", "mean delay, s", false, 0.001, "F1", false, r => r.MeanDelayMs),
        new("p95DelayMs", "p95 delay, s", false, 0.001, "F1", false, r => r.P95DelayMs),
        new("channelUtilisationPercent", "channel utilisation %", false, 1, "F1", false, r => r.ChannelUtilisationPercent),
        new("txAirUtilisationPercent", "TX air utilisation %", false, 1, "F2", false, r => r.TxAirUtilisationPercent),
        new("queueDrops", "queue-full drops", false, 1, "F0", false, r => r.QueueDrops),
        new("measuredMessages", "measured messages", null, 1, "F0", false, r => r.DmsCreated + r.PostsCreated),
        new("meanNeighbours", "mean neighbours", null, 1, "F1", false, r => r.MeanNeighbours),
    ];

    /// <summary>The name in results.json (the <see cref="EmulationResult"/> property's where there is one).</summary>
    public string Name { get; }

    /// <summary>Column label, with the unit shown.</summary>
    public string Label { get; }

    /// <summary>True if more is better, false if less is, null if the figure is not judged.</summary>
    public bool? HigherIsBetter { get; }

    /// <summary>Factor from the stored unit to the shown one (ms → s).</summary>
    public double Scale { get; }

    /// <summary>Numeric format of the shown value.</summary>
    public string Format { get; }

    /// <summary>True if the published table has a column for it.</summary>
    public bool InTable { get; }

    /// <summary>Reads the figure from one run.</summary>
    public Func<EmulationResult, double> Read { get; }

    /// <summary>The figure with <paramref name="name"/>.</summary>
    public static SweepFigure Named(string name) => All.First(f => f.Name == name);

    /// <summary>
    /// Judges <paramref name="policy"/> against <paramref name="baseline"/>: a win or a loss only when the 95 % intervals
    /// do not overlap, otherwise a tie. Figures that are not judged are always a tie.
    /// </summary>
    public Verdict Judge(Spread policy, Spread baseline)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(baseline);
        if (HigherIsBetter is not { } higher || !policy.ApartFrom(baseline))
        {
            return Verdict.Tie;
        }

        return (policy.Mean > baseline.Mean) == higher ? Verdict.Win : Verdict.Loss;
    }

    /// <summary>The value as shown: mean ± half the 95 % interval, in the shown unit.</summary>
    public string Show(Spread s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return $"{(s.Mean * Scale).ToString(Format, c)} ± {(s.HalfWidth * Scale).ToString(Format, c)}";
    }
}
