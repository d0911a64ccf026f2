namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// A whole sweep: per point and policy the spread of every figure over the seeds, per point and judged figure the
/// verdict of each policy against the baseline, and every run's own figures. Deterministic: the same plan gives the
/// same report except the runs' cost fields (wall time, memory).
/// </summary>
public sealed class SweepReport
{
    private SweepReport(SweepPlan plan, IReadOnlyList<string> policies, IReadOnlyList<EmulationResult> runs)
    {
        Plan = plan;
        Policies = policies;
        Runs = runs;
        var points = new List<SweepPoint>();
        foreach (var g in runs.GroupBy(r => (r.Scenario, r.Policy)))
        {
            EmulationResult first = g.First();
            var (pathLoss, load) = Describe(plan, first.Scenario);
            var figures = SweepFigure.All.ToDictionary(f => f.Name, f => Spread.Of(g.Select(f.Read)));
            points.Add(new SweepPoint(pathLoss, load, first.Nodes, first.Policy, first.DurationMinutes, g.Select(r => r.Seed).Order().ToList(), figures));
        }

        Points = points
            .OrderBy(p => plan.PathLoss.IndexOf(p.PathLoss))
            .ThenBy(p => plan.Loads.FindIndex(l => l.Name == p.Load))
            .ThenBy(p => p.Nodes)
            .ThenBy(p => policies.ToList().IndexOf(p.Policy))
            .ToList();
        var cells = new List<SweepCell>();
        foreach (SweepPoint b in Points.Where(p => p.Policy == plan.Baseline))
        {
            foreach (SweepPoint p in Points.Where(p => p.Policy != plan.Baseline && p.PathLoss == b.PathLoss && p.Load == b.Load && p.Nodes == b.Nodes))
            {
                foreach (SweepFigure f in SweepFigure.All.Where(f => f.HigherIsBetter is not null))
                {
                    cells.Add(new SweepCell(b.PathLoss, b.Load, b.Nodes, f.Name, p.Policy, p.Figures[f.Name], b.Policy, b.Figures[f.Name], f.Judge(p.Figures[f.Name], b.Figures[f.Name])));
                }
            }
        }

        Cells = cells;
        MinMeasuredMessages = runs.Count == 0 ? 0 : runs.Min(r => r.DmsCreated + r.PostsCreated);
    }

    /// <summary>What was run.</summary>
    public SweepPlan Plan { get; }

    /// <summary>The policies, baseline included.</summary>
    public IReadOnlyList<string> Policies { get; }

    /// <summary>The fewest measured messages (DMs and posts created) of any one run.</summary>
    public int MinMeasuredMessages { get; }

    /// <summary>Per point and policy: n, mean, sd and 95 % interval of every figure.</summary>
    public IReadOnlyList<SweepPoint> Points { get; }

    /// <summary>Per point, judged figure and non-baseline policy: the verdict against the baseline.</summary>
    public IReadOnlyList<SweepCell> Cells { get; }

    /// <summary>Every run (one per point, policy and seed).</summary>
    public IReadOnlyList<EmulationResult> Runs { get; }

    /// <summary>Summarises <paramref name="runs"/> of <paramref name="plan"/>.</summary>
    public static SweepReport From(SweepPlan plan, IReadOnlyList<string> policies, IReadOnlyList<EmulationResult> runs)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(runs);
        return new SweepReport(plan, policies, runs);
    }

    // Scenario names are "<plan>-<path loss>-<load>-<nodes>" (SweepPlan.PointScenario); path-loss names hold dashes,
    // so match against the plan's lists.
    private static (string PathLoss, string Load) Describe(SweepPlan plan, string scenario)
    {
        foreach (string model in plan.PathLoss)
        {
            foreach (SweepLoad load in plan.Loads)
            {
                if (scenario.StartsWith($"{plan.Name}-{model}-{load.Name}-", StringComparison.Ordinal))
                {
                    return (model, load.Name);
                }
            }
        }

        throw new ArgumentException($"run '{scenario}' is not a point of plan '{plan.Name}'", nameof(scenario));
    }
}
