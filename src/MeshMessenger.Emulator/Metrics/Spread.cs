namespace MeshMessenger.Emulator.Metrics;

/// <summary>Mean, sample standard deviation and the 95 % interval of the mean (Student's t) of n values.</summary>
public sealed record Spread(double Mean, double Sd, double Low95, double High95)
{
    // Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; past 30 the normal 1.96.
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The spread of <paramref name="values"/> (at least one).</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        if (v.Length == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        double mean = v.Average();
        double sd = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        double t = v.Length < 2 ? 0 : (v.Length - 1 <= T975.Length ? T975[v.Length - 2] : 1.96);
        double half = t * sd / Math.Sqrt(v.Length);
        return new Spread(mean, sd, mean - half, mean + half);
    }
}
