using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// The bundled wipe scenarios over seeds 1..10 (docs/emulator.md, "Wipe and restore"): no seed reuses a sequence
/// number or lets others see a fork, and the restore figures stay at what the docs publish. The published goals are
/// 95 % on every seed without a gateway and 100 % with one; where a seed falls short the docs say so, and these
/// bounds are the measured means, so a change that loses history fails here.
/// </summary>
public sealed class RestoreScenarioTests
{
    private static readonly int[] Seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    [Theory]
    [InlineData("wipe-30", 95.0)]
    [InlineData("wipe-gateway-30", 97.0)]
    public void A_wiped_device_gets_its_history_back_and_never_reuses_a_sequence(string name, double meanAtLeast)
    {
        Scenario scenario = Scenario.Load(Path.Combine(AppContext.BaseDirectory, "ScenarioFiles", name + ".json"));
        RestoreStudy study = RestoreStudy.Run(scenario, Seeds);

        Assert.Equal(Seeds.Length, study.Runs.Count);
        Assert.All(study.Runs, r => Assert.True(r.Wipe.NextSequenceAfter >= r.Wipe.NextSequenceBefore, $"seed {r.Seed}: next sequence {r.Wipe.NextSequenceBefore} → {r.Wipe.NextSequenceAfter}"));
        Assert.All(study.Runs, r => Assert.Equal(0, r.Wipe.ForksSeenByOthers));
        Assert.All(study.Runs, r => Assert.True(r.Wipe.MessagesRecovered > 0 && r.Wipe.SyncAirtimeSeconds > 0 && r.Wipe.RestoreSeconds > 0));
        RestoreSummary summary = Assert.Single(study.Summaries);
        Assert.Equal(Seeds.Length, summary.N);
        Assert.True(summary.RestorePercent.Mean >= meanAtLeast, $"{name}: restore {summary.RestorePercent.Mean:F1} % < {meanAtLeast} %");
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
