namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// A restore study set against an earlier one on the same seeds: per policy, the spread (mean, sd, 95 % interval) of
/// the per-wipe differences, this run minus the baseline, of restore %, restorable %, sync airtime and time to
/// restore. Pairing each wipe with its own baseline removes the spread between seeds (one seed's layout may cap its
/// restore at 70 %, another's at 100 %), so a change of one point can be told from noise with a few hundred seeds
/// where the two unpaired intervals still overlap. <see cref="ReuseSeeds"/> and <see cref="BaselineReuseSeeds"/> list
/// the seeds whose wipe signed a held sequence again or showed a fork: the one outcome no gain in restore % excuses.
/// </summary>
public sealed record RestoreComparison(
    string Policy,
    int Pairs,
    Spread RestorePercentChange,
    Spread RestorablePercentChange,
    Spread AirtimeSecondsChange,
    Spread RestoreSecondsChange,
    IReadOnlyList<int> BaselineReuseSeeds,
    IReadOnlyList<int> ReuseSeeds)
{
    /// <summary>
    /// Pairs <paramref name="runs"/> with <paramref name="baseline"/> by seed, policy and wiped device; runs without a
    /// partner are left out. Throws <see cref="ArgumentException"/> when no run pairs.
    /// </summary>
    public static IReadOnlyList<RestoreComparison> Of(IReadOnlyList<RestoreRun> baseline, IReadOnlyList<RestoreRun> runs)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(runs);
        var before = new Dictionary<(int, string, int, double), WipeReport>();
        foreach (RestoreRun b in baseline)
        {
            before.TryAdd(Key(b), b.Wipe);
        }

        var pairs = runs
            .Where(r => before.ContainsKey(Key(r)))
            .Select(r => (r.Seed, r.Policy, Old: before[Key(r)], New: r.Wipe))
            .ToList();
        if (pairs.Count == 0)
        {
            throw new ArgumentException("no run of the baseline has the seed, policy and wiped device of a run here", nameof(baseline));
        }

        return pairs.GroupBy(p => p.Policy).Select(g => new RestoreComparison(
            g.Key,
            g.Count(),
            Spread.Of(g.Select(p => p.New.CompletenessPercent - p.Old.CompletenessPercent)),
            Spread.Of(g.Select(p => p.New.RestorablePercent - p.Old.RestorablePercent)),
            Spread.Of(g.Select(p => p.New.SyncAirtimeSeconds - p.Old.SyncAirtimeSeconds)),
            Spread.Of(g.Select(p => p.New.RestoreSeconds - p.Old.RestoreSeconds)),
            g.Where(p => Unsafe(p.Old)).Select(p => p.Seed).Distinct().ToList(),
            g.Where(p => Unsafe(p.New)).Select(p => p.Seed).Distinct().ToList())).ToList();
    }

    private static (int, string, int, double) Key(RestoreRun r) => (r.Seed, r.Policy, r.Wipe.Device, r.Wipe.AtMinute);

    private static bool Unsafe(WipeReport w) => w.ReusedSequences > 0 || w.ForksSeenByOthers > 0;
}
