using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator.Tests;

/// <summary>
/// The bundled wipe scenarios over seeds 1..20 on the default channel (docs/emulator.md, "Wipe and restore"). The goals:
/// 95 % of the wiped device's history back without a gateway, 100 % with one, never a reused sequence number another
/// device holds, no fork seen. Every seed is checked for reuse and forks. Restore % of one seed swings by 20–30 points
/// whenever routing timing changes, so it is held in aggregate: the 20-seed mean at least about 3 points below the
/// measured mean (about one and a half standard errors), and at least the measured number of seeds at the goal less two. A sequence signed
/// again whose first entry nobody else holds (it never left the wiped device) is allowed on at most the seeds counted.
/// Run time: about 20 s for the two scenarios.
/// </summary>
public sealed class RestoreScenarioTests
{
    private static readonly int[] Seeds = Enumerable.Range(1, 20).ToArray();

    // Figures from `meshmsg emulate restore wipe-30 --seeds 1-20` and the same with wipe-gateway-30 (n = 20):
    // wipe-30 93.1 ± 9.6 % (standard error 2.1; floor 90, about 3 points below), 12 seeds at 95 %, every head unconfirmed
    // (no archive in reach, docs/protocol.md §8.3); wipe-gateway-30 96.5 ± 5.3 % (standard error 1.2; floor 93.5, 3
    // points below), 13 seeds at 100 %, 3 heads unconfirmed (1, 4, 9; the archive is below the sensitivity on 1 and 9),
    // at most 5 held. On wipe-gateway-30 seed 3 an own sequence that never left the device is signed again unseen
    // (docs/protocol.md §8.3, "What no rule can cover"); at most 2 seeds held.
    [Theory]
    [InlineData("wipe-30", 95.0, 90.0, 10, 0, 20)]
    [InlineData("wipe-gateway-30", 100.0, 93.5, 11, 2, 5)]
    public void A_wiped_device_gets_its_history_back_and_never_reuses_a_sequence(string name, double goal, double meanFloor, int seedsAtGoal, int maxUnseenReuseSeeds, int maxReadOnly)
    {
        Scenario scenario = Scenario.Load(Path.Combine(AppContext.BaseDirectory, "ScenarioFiles", name + ".json"));
        RestoreStudy study = RestoreStudy.Run(scenario, Seeds);

        Assert.Equal(Seeds.Length, study.Runs.Count);
        Assert.All(study.Runs, r => Assert.Equal(0, r.Wipe.ReusedSequences));
        Assert.All(study.Runs, r => Assert.Equal(0, r.Wipe.ForksSeenByOthers));
        int[] unseen = study.Runs.Where(r => r.Wipe.ReusedUnseen > 0).Select(r => r.Seed).ToArray();
        Assert.True(unseen.Length <= maxUnseenReuseSeeds, $"{name}: seeds {string.Join(", ", unseen)} signed again an entry nobody else held");
        Assert.All(study.Runs, r => Assert.True(r.Wipe.MessagesRecovered > 0 && r.Wipe.SyncAirtimeSeconds > 0 && r.Wipe.RestoreSeconds > 0));

        // Every missing message is classed once, by who else holds it; what nobody holds is not counted as restorable.
        Assert.All(study.Runs, r => Assert.Equal(r.Wipe.MessagesBefore - r.Wipe.MessagesRecovered, r.Wipe.MissingHeldByNobody + r.Wipe.MissingHeldByArchive + r.Wipe.MissingHeldByDevicesOnly));
        Assert.All(study.Runs, r => Assert.True(r.Wipe.RestorablePercent >= r.Wipe.CompletenessPercent && r.Wipe.RestorablePercent <= 100.0));
        Assert.All(study.Runs, r => Assert.True(scenario.Gateways.Count > 0 || r.Wipe.MissingHeldByArchive == 0));

        double mean = study.Runs.Average(r => r.Wipe.CompletenessPercent);
        Assert.True(mean >= meanFloor, $"{name}: mean restore {mean:F1} % < {meanFloor} %");
        int atGoal = study.Runs.Count(r => r.Wipe.CompletenessPercent >= goal);
        Assert.True(atGoal >= seedsAtGoal, $"{name}: {atGoal} seeds at {goal} %, fewer than {seedsAtGoal}");
        int readOnly = study.Runs.Count(r => !r.Wipe.HeadRecovered);
        Assert.True(readOnly <= maxReadOnly, $"{name}: {readOnly} heads unconfirmed, more than {maxReadOnly}");
        RestoreSummary summary = Assert.Single(study.Summaries);
        Assert.Equal(Seeds.Length, summary.N);
        Assert.Equal(0, summary.SequenceRegressions);
        Assert.True(summary.RestorePercent.Low95 <= summary.RestorePercent.Mean && summary.RestorePercent.Mean <= summary.RestorePercent.High95);
    }

    // Seeds 1-100 of both wipe scenarios: no sequence is signed again that another device holds, and no fork is seen.
    // Over seeds 1-300 on this build, wipe-gateway-30 seed 203 still does (docs/protocol.md §8.3, "What this rule does
    // not cover either"), so this guards the cases the rule covers, not the uncoverable one.
    [Theory]
    [InlineData("wipe-30")]
    [InlineData("wipe-gateway-30")]
    public void Over_a_hundred_seeds_no_held_sequence_is_signed_again(string name)
    {
        Scenario scenario = Scenario.Load(Path.Combine(AppContext.BaseDirectory, "ScenarioFiles", name + ".json"));
        RestoreStudy study = RestoreStudy.Run(scenario, Enumerable.Range(1, 100).ToArray());

        Assert.Equal(100, study.Runs.Count);
        int[] reused = study.Runs.Where(r => r.Wipe.ReusedSequences > 0).Select(r => r.Seed).ToArray();
        Assert.True(reused.Length == 0, $"{name}: seeds {string.Join(", ", reused)} signed again a sequence another device held");
        Assert.All(study.Runs, r => Assert.Equal(0, r.Wipe.ForksSeenByOthers));
    }

    [Fact]
    public void A_gateway_index_outside_the_scenario_is_refused()
    {
        Scenario scenario = Scenario.Load(Path.Combine(AppContext.BaseDirectory, "ScenarioFiles", "wipe-gateway-30.json"));
        scenario.Gateways.Add(30);
        Assert.Throws<ScenarioException>(scenario.Validate);
    }
}
