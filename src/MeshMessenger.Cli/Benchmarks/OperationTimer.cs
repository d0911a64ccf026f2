using System.Diagnostics;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// Operations per second of one action, single-threaded: a warm-up of a quarter of the budget (JIT tiering,
/// caches), then batches that double in size (up to 4,096) until the budget is spent; the rate is the
/// iterations divided by the elapsed time of the timed batches only.
/// </summary>
public static class OperationTimer
{
    public static double Rate(Action operation, TimeSpan budget)
    {
        RunFor(operation, budget / 4);
        (long iterations, TimeSpan elapsed) = RunFor(operation, budget);
        return iterations / elapsed.TotalSeconds;
    }

    private static (long Iterations, TimeSpan Elapsed) RunFor(Action operation, TimeSpan budget)
    {
        long iterations = 0;
        long batch = 1;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget)
        {
            for (long i = 0; i < batch; i++)
            {
                operation();
            }

            iterations += batch;
            batch = Math.Min(batch * 2, 4096);
        }

        return (iterations, clock.Elapsed);
    }
}
