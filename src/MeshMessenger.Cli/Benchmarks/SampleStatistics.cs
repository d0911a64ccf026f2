namespace MeshMessenger.Cli.Benchmarks;

/// <summary>The mean of repeated measurements with its sample standard deviation and 95 % confidence interval (Student's t).</summary>
/// <param name="N">Number of measurements.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StandardDeviation">Sample standard deviation (n − 1 in the denominator); 0 for one measurement.</param>
/// <param name="Low95">Lower end of the 95 % confidence interval of the mean.</param>
/// <param name="High95">Upper end of the 95 % confidence interval of the mean.</param>
public sealed record SampleStatistics(int N, double Mean, double StandardDeviation, double Low95, double High95)
{
    /// <summary>The statistics of <paramref name="samples"/>; with one sample the interval is that sample alone (no spread is known).</summary>
    public static SampleStatistics Of(IReadOnlyList<double> samples)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        int n = samples.Count;
        double mean = samples.Average();
        if (n == 1)
        {
            return new SampleStatistics(1, mean, 0, mean, mean);
        }

        double sd = Math.Sqrt(samples.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        double half = StudentT.Critical95(n - 1) * sd / Math.Sqrt(n);
        return new SampleStatistics(n, mean, sd, mean - half, mean + half);
    }
}
