namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// n values summarised: mean, sample standard deviation (n − 1) and the 95 % interval of the mean,
/// mean ± t(0.975, n − 1)·sd/√n (Student's t). One value gives a zero-width interval.
/// </summary>
public sealed record Spread(int N, double Mean, double Sd, double Low95, double High95)
{
    // Two-sided 95 % (0.975 quantile) of Student's t for 1..30 degrees of freedom (NIST/SEMATECH e-Handbook of
    // Statistical Methods, table 1.3.6.7.2); past 30 the Cornish-Fisher expansion below.
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>Half the width of the 95 % interval.</summary>
    public double HalfWidth => (High95 - Low95) / 2;

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
        double half = v.Length < 2 ? 0 : T(v.Length - 1) * sd / Math.Sqrt(v.Length);
        return new Spread(v.Length, mean, sd, mean - half, mean + half);
    }

    /// <summary>The 0.975 quantile of Student's t with <paramref name="df"/> degrees of freedom (df ≥ 1).</summary>
    public static double T(int df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 1);
        if (df <= T975.Length)
        {
            return T975[df - 1];
        }

        // Cornish-Fisher expansion of t about the normal quantile z (Abramowitz & Stegun 26.7.5); within 0.001 of the
        // exact value from 31 degrees of freedom on.
        const double z = 1.959963985;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        return z + ((z3 + z) / (4.0 * df)) + (((5 * z5) + (16 * z3) + (3 * z)) / (96.0 * df * df))
            + (((3 * z7) + (19 * z5) + (17 * z3) - (15 * z)) / (384.0 * df * df * df));
    }

    /// <summary>True when the two 95 % intervals share no point.</summary>
    public bool ApartFrom(Spread other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return High95 < other.Low95 || other.High95 < Low95;
    }
}
