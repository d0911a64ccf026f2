using MeshMessenger.Emulator.Metrics;

namespace MeshMessenger.Emulator.Tests;

public sealed class RestoreComparisonTests
{
    private static RestoreRun Run(int seed, double restore, double airtime, int reused = 0, string policy = "learned-routes") =>
        new(seed, policy, new WipeReport(4, 30, 20, (int)(restore / 5), restore, true, 9, 9, 0, airtime, 300, reused, 0, 0, 0, 0, restore, 200));

    [Fact]
    public void Each_seed_is_set_against_its_own_baseline()
    {
        // Seeds whose restore differs by 20 points between them but each gains exactly 5 (1, 3) or 7 (2): the paired
        // change is 17/3 with sd √(4/3), where the unpaired means alone would carry the 20-point spread between seeds.
        RestoreRun[] before = [Run(1, 70, 100), Run(2, 90, 110), Run(3, 80, 120, reused: 1)];
        RestoreRun[] after = [Run(3, 85, 121), Run(1, 75, 100), Run(2, 97, 108)];

        RestoreComparison c = Assert.Single(RestoreComparison.Of(before, after));

        Assert.Equal(("learned-routes", 3), (c.Policy, c.Pairs));
        Assert.Equal(17.0 / 3, c.RestorePercentChange.Mean, 9);
        Assert.Equal(Math.Sqrt(4.0 / 3), c.RestorePercentChange.Sd, 9);
        Assert.Equal(Spread.Of([5.0, 7.0, 5.0]), c.RestorePercentChange);
        Assert.Equal(Spread.Of([0.0, -2.0, 1.0]), c.AirtimeSecondsChange);
        Assert.Equal([3], c.BaselineReuseSeeds);
        Assert.Empty(c.ReuseSeeds);
    }

    [Fact]
    public void Runs_without_a_partner_are_left_out_and_no_pair_at_all_is_refused()
    {
        RestoreRun[] before = [Run(1, 70, 100), Run(2, 90, 110)];
        RestoreRun[] after = [Run(2, 95, 110, reused: 2), Run(5, 10, 100), Run(1, 70, 100, policy: "managed-flooding")];

        RestoreComparison c = Assert.Single(RestoreComparison.Of(before, after));
        Assert.Equal((1, 5.0), (c.Pairs, c.RestorePercentChange.Mean));
        Assert.Equal([2], c.ReuseSeeds);
        Assert.Throws<ArgumentException>(() => RestoreComparison.Of(before, [Run(7, 50, 100)]));
    }
}
