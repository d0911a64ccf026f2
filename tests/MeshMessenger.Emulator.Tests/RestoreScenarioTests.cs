using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// The bundled wipe scenarios over seeds 1..11 (docs/emulator.md, "Wipe and restore"). The goals: 95 % of the wiped
/// device's history back on every seed without a gateway, 100 % with one, never a reused sequence number, no fork seen.
/// Every seed is held to its goal except the seeds the docs list as short of it, which are held to their measured
/// figure, so a change that loses history fails here and one that reaches a goal shows up as a seed to move.
/// Run time: about 10 s for the two scenarios.
/// </summary>
public sealed class RestoreScenarioTests
{
    private static readonly int[] Seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    [Theory]
    [InlineData("wipe-30", 95.0, new[] { 2, 5, 8, 11 }, new[] { 69.0, 92.0, 90.0, 94.0 })]
    [InlineData("wipe-gateway-30", 100.0, new[] { 8, 9, 11 }, new[] { 90.0, 90.0, 88.0 })]
    public void A_wiped_device_gets_its_history_back_and_never_reuses_a_sequence(string name, double goal, int[] shortSeeds, double[] shortFloors)
    {
        Scenario scenario = Scenario.Load(Path.Combine(AppContext.BaseDirectory, "ScenarioFiles", name + ".json"));
        RestoreStudy study = RestoreStudy.Run(scenario, Seeds);

        Assert.Equal(Seeds.Length, study.Runs.Count);
        Assert.All(study.Runs, r => Assert.True(r.Wipe.NextSequenceAfter >= r.Wipe.NextSequenceBefore, $"seed {r.Seed}: next sequence {r.Wipe.NextSequenceBefore} → {r.Wipe.NextSequenceAfter}"));
        Assert.All(study.Runs, r => Assert.Equal(0, r.Wipe.ForksSeenByOthers));
        Assert.All(study.Runs, r => Assert.True(r.Wipe.MessagesRecovered > 0 && r.Wipe.SyncAirtimeSeconds > 0 && r.Wipe.RestoreSeconds > 0));
        Assert.All(study.Runs, r =>
        {
            int known = Array.IndexOf(shortSeeds, r.Seed);
            double floor = known < 0 ? goal : shortFloors[known];
            Assert.True(r.Wipe.CompletenessPercent >= floor, $"{name} seed {r.Seed}: restore {r.Wipe.CompletenessPercent:F1} % < {floor} %");
        });
        Assert.True(study.Runs.Count(r => r.Wipe.CompletenessPercent >= goal) >= Seeds.Length - shortSeeds.Length);
        RestoreSummary summary = Assert.Single(study.Summaries);
        Assert.Equal(Seeds.Length, summary.N);
        Assert.True(summary.RestorePercent.Low95 <= summary.RestorePercent.Mean && summary.RestorePercent.Mean <= summary.RestorePercent.High95);
    }

    [Fact]
    public void A_gateway_index_outside_the_scenario_is_refused()
    {
        Scenario scenario = Scenario.Load(Path.Combine(AppContext.BaseDirectory, "ScenarioFiles", "wipe-gateway-30.json"));
        scenario.Gateways.Add(30);
        Assert.Throws<ScenarioException>(scenario.Validate);
    }
}
