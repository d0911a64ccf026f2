using System.Text.Json;
using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator;

/// <summary>
/// What <c>meshmsg emulate sweep</c> runs (ScenarioFiles/sweep-plan.json): every path-loss model × load × node count,
/// each point under every policy of the base scenario with the same seeds, so positions and traffic are identical
/// across policies for a seed. The run length is scaled per point so that each seed carries at least
/// <see cref="MinMessagesPerSeed"/> measured messages (docs/emulator.md §7).
/// </summary>
public sealed class SweepPlan
{
    /// <summary>Name used in results.</summary>
    public string Name { get; set; } = "sweep";

    /// <summary>The base scenario (a bundled name or a path); its node count, path loss, traffic rates and duration are replaced.</summary>
    public string Scenario { get; set; } = "sweep";

    /// <summary>Node counts.</summary>
    public List<int> Nodes { get; set; } = [30, 100, 300, 1000];

    /// <summary>Path-loss model names, as the scenario's <c>pathLoss.model</c> accepts them.</summary>
    public List<string> PathLoss { get; set; } = ["log-distance", "okumura-hata-small-city"];

    /// <summary>Offered loads.</summary>
    public List<SweepLoad> Loads { get; set; } =
    [
        new() { Name = "light", MessagesPerNodePerHour = 2 },
        new() { Name = "heavy", MessagesPerNodePerHour = 30 },
    ];

    /// <summary>Share of the messages that are channel posts; the rest are DMs.</summary>
    public double PostShare { get; set; } = 0.1;

    /// <summary>Seeds run per point: <see cref="FirstSeed"/> and the next ones.</summary>
    public int Seeds { get; set; } = 10;

    /// <summary>The first seed.</summary>
    public int FirstSeed { get; set; } = 1;

    /// <summary>Measured messages each seed must carry; the traffic window is sized for 1.25 times this on average.</summary>
    public int MinMessagesPerSeed { get; set; } = 300;

    /// <summary>The shortest traffic window, so the channel reaches its steady state at every point.</summary>
    public double MinTrafficMinutes { get; set; } = 10;

    /// <summary>The yardstick policy the others are compared with.</summary>
    public string Baseline { get; set; } = "managed-flooding";

    /// <summary>Loads and checks a plan file; errors name the field.</summary>
    public static SweepPlan Load(string path)
    {
        SweepPlan plan = ScenarioJson.Read<SweepPlan>(path);
        plan.Validate();
        return plan;
    }

    /// <summary>The plan as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ScenarioJson.Options);

    /// <summary>Throws <see cref="ScenarioException"/> naming the first bad field.</summary>
    public void Validate()
    {
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ScenarioException(message);
            }
        }

        Check(Nodes.Count >= 1 && Nodes.All(n => n is >= 2 and <= 20_000), "nodes must list counts from 2 to 20000");
        Check(PathLoss.Count >= 1 && PathLoss.Distinct().Count() == PathLoss.Count, "pathLoss must list distinct model names");
        Check(Loads.Count >= 1 && Loads.All(l => l.MessagesPerNodePerHour is > 0 and <= 3600 && l.Name.Length > 0) && Loads.Select(l => l.Name).Distinct().Count() == Loads.Count, "loads must have distinct names and rates above 0 and at most 3600 per device per hour");
        foreach (string model in PathLoss)
        {
            _ = Channel.PathLossModel.Create(model, 868, 1.5); // throws ScenarioException naming the unknown model
        }

        Check(PostShare is >= 0 and <= 1, "postShare must be 0..1");
        Check(Seeds is >= 1 and <= 1000, "seeds must be 1..1000");
        Check(MinMessagesPerSeed is >= 1 and <= 1_000_000, "minMessagesPerSeed must be 1..1000000");
        Check(MinTrafficMinutes is > 0 and <= 24 * 60, "minTrafficMinutes must be more than 0 and at most a day");
    }

    /// <summary>Traffic minutes for <paramref name="nodes"/> devices at <paramref name="load"/>: 1.25 × the messages needed, at least the minimum, whole minutes.</summary>
    public double TrafficMinutes(int nodes, SweepLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        double needed = 60.0 * 1.25 * MinMessagesPerSeed / (nodes * load.MessagesPerNodePerHour);
        return Math.Ceiling(Math.Max(MinTrafficMinutes, needed));
    }

    /// <summary>The scenario of one point and seed, from <paramref name="baseScenario"/>.</summary>
    public Scenario PointScenario(Scenario baseScenario, string pathLoss, SweepLoad load, int nodes, int seed)
    {
        ArgumentNullException.ThrowIfNull(baseScenario);
        ArgumentNullException.ThrowIfNull(load);
        Scenario s = baseScenario.WithNodes(nodes).WithSeed(seed);
        s.Name = $"{Name}-{pathLoss}-{load.Name}-{nodes}";
        s.PathLoss.Model = pathLoss;
        s.Traffic.DmPerNodePerHour = load.MessagesPerNodePerHour * (1 - PostShare);
        s.Traffic.ChannelPostsPerNodePerHour = load.MessagesPerNodePerHour * PostShare;
        s.DurationMinutes = TrafficMinutes(nodes, load) + s.Traffic.QuietTailMinutes;
        s.Validate();
        return s;
    }
}
