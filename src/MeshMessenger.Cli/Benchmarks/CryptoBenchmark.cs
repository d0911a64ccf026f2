using System.Runtime.InteropServices;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// Measures operations per second, single-threaded, for every operation of every suite (<see cref="OperationTimer"/>).
/// </summary>
public sealed class CryptoBenchmark(TimeSpan perMeasurement)
{
    public CryptoBenchmarkReport Run(Action<string>? progress = null)
    {
        var inputs = new BenchmarkInputs();
        using var nsec = new NSecCryptoSuite(inputs);
        CryptoSuite[] suites = [new ManagedCryptoSuite(inputs), new BouncyCastleCryptoSuite(inputs), nsec];
        foreach (CryptoSuite suite in suites)
        {
            suite.SelfCheck();
        }

        var started = DateTimeOffset.UtcNow;
        var rows = new List<CryptoBenchmarkRow>();
        foreach (string operation in CryptoSuite.Operations)
        {
            var rates = new double[suites.Length];
            for (int i = 0; i < suites.Length; i++)
            {
                progress?.Invoke($"{operation}: {suites[i].Name}");
                rates[i] = Measure(suites[i].Operation(operation));
            }

            rows.Add(new CryptoBenchmarkRow(operation, rates[0], rates[1], rates[2]));
        }

        return new CryptoBenchmarkReport(
            started,
            $"{RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}",
            Environment.ProcessorCount,
            RuntimeInformation.FrameworkDescription,
            perMeasurement.TotalSeconds,
            rows);
    }

    private double Measure(Action operation) => OperationTimer.Rate(operation, perMeasurement);
}
