namespace MeshMessenger.Cli.Benchmarks;

/// <summary>Critical values of Student's t distribution, for confidence intervals of a mean from a few runs.</summary>
public static class StudentT
{
    // Two-sided 95 % (upper 0.975 quantile) for 1 to 30 degrees of freedom, from the standard table
    // (NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2).
    private static readonly double[] Table975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The t value that leaves 2.5 % in each tail with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double Critical95(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= Table975.Length)
        {
            return Table975[degreesOfFreedom - 1];
        }

        // Beyond the table: the Cornish-Fisher expansion of t around the normal quantile (Abramowitz and Stegun
        // 26.7.5), within 0.001 of the exact value from 31 degrees of freedom on.
        const double z = 1.959964;
        double n = degreesOfFreedom;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        return z + ((z3 + z) / (4 * n)) + (((5 * z5) + (16 * z3) + (3 * z)) / (96 * n * n));
    }
}
