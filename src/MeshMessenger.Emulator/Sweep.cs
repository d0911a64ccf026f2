using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator;

/// <summary>Runs one scenario at several node counts under every policy, same seed throughout.</summary>
public static class Sweep
{
    /// <summary>The node counts of the comparison.</summary>
    public static readonly int[] DefaultNodeCounts = [10, 30, 100, 300, 1000];

    /// <summary>Runs every (node count, policy) pair; <paramref name="progress"/> gets a label and the overall fraction done.</summary>
    public static List<EmulationResult> Run(Scenario scenario, IReadOnlyList<int> nodeCounts, Action<string, double>? progress = null)
    {
        var results = new List<EmulationResult>();
        int total = nodeCounts.Count * scenario.Policies.Count;
        int done = 0;
        foreach (int n in nodeCounts)
        {
            Scenario sized = scenario.WithNodes(n);
            foreach (string policy in scenario.Policies)
            {
                string label = $"{n} nodes, {policy}";
                int finished = done;
                results.Add(new Emulation(sized, policy).Run(f => progress?.Invoke(label, (finished + f) / total)));
                done++;
            }
        }

        return results;
    }
}
