using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// A wipe scenario run once per seed under each of its policies: every wipe's report, and per policy the mean,
/// sample standard deviation and 95 % interval (Student's t, n − 1 degrees of freedom) of restore %, sync airtime and
/// time to restore. Deterministic: the same scenario and seeds give the same figures.
/// </summary>
public sealed class RestoreStudy
{
    private RestoreStudy(string scenario, IReadOnlyList<int> seeds, IReadOnlyList<RestoreRun> runs)
    {
        Scenario = scenario;
        Seeds = seeds;
        Runs = runs;
        Summaries = runs.GroupBy(r => r.Policy).Select(g => new RestoreSummary(
            g.Key,
            g.Count(),
            Spread.Of(g.Select(r => r.Wipe.CompletenessPercent)),
            Spread.Of(g.Select(r => r.Wipe.SyncAirtimeSeconds)),
            Spread.Of(g.Select(r => r.Wipe.RestoreSeconds)),
            g.Min(r => r.Wipe.CompletenessPercent),
            g.Count(r => r.Wipe.ReusedSequences > 0),
            g.Sum(r => r.Wipe.ForksSeenByOthers),
            g.Count(r => !r.Wipe.HeadRecovered),
            g.Count(r => r.Wipe.ReusedUnseen > 0),
            Spread.Of(g.Select(r => r.Wipe.RestorablePercent)),
            g.Sum(r => r.Wipe.MissingHeldByNobody),
            g.Sum(r => r.Wipe.MissingHeldByArchive),
            g.Sum(r => r.Wipe.MissingHeldByDevicesOnly),
            g.Any(r => r.Wipe.WritableSeconds >= 0) ? Spread.Of(g.Where(r => r.Wipe.WritableSeconds >= 0).Select(r => r.Wipe.WritableSeconds)) : null)).ToList();
    }

    /// <summary>The scenario's name.</summary>
    public string Scenario { get; }

    /// <summary>The seeds run.</summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>One row per seed, policy and wipe.</summary>
    public IReadOnlyList<RestoreRun> Runs { get; }

    /// <summary>Per policy: n, mean ± sd and 95 % intervals.</summary>
    public IReadOnlyList<RestoreSummary> Summaries { get; }

    /// <summary>Runs <paramref name="scenario"/> with each of <paramref name="seeds"/>.</summary>
    public static RestoreStudy Run(Scenario scenario, IReadOnlyList<int> seeds)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(seeds);
        var runs = new List<RestoreRun>();
        foreach (int seed in seeds)
        {
            Scenario copy = scenario.WithSeed(seed);
            foreach (string policy in copy.Policies)
            {
                EmulationResult result = new Emulation(copy, policy).Run();
                runs.AddRange(result.Wipes.Select(w => new RestoreRun(seed, policy, w)));
            }
        }

        return new RestoreStudy(scenario.Name, seeds, runs);
    }
}
