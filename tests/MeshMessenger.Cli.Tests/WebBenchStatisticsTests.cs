using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Emulator.Metrics;

namespace MeshMessenger.Cli.Tests;

/// <summary>`bench web`'s figures: Student's t interval of the mean, and a goal claimed only when the whole interval is under it.</summary>
public sealed class WebBenchStatisticsTests
{
    [Fact]
    public void The_interval_is_the_mean_plus_or_minus_t_times_the_standard_error()
    {
        Spread s = Spread.Of([1, 2, 3, 4, 5]);
        Assert.Equal(5, s.N);
        Assert.Equal(3, s.Mean, 9);
        Assert.Equal(Math.Sqrt(2.5), s.Sd, 9);
        double half = 2.776 * Math.Sqrt(2.5) / Math.Sqrt(5); // t(0.975, 4) = 2.776
        Assert.Equal(3 - half, s.Low95, 9);
        Assert.Equal(3 + half, s.High95, 9);
        Assert.Equal(1.984, Spread.T(100), 3); // beyond the table: the expansion agrees with the exact value
    }

    [Fact]
    public void A_goal_is_met_only_when_the_whole_interval_is_under_it()
    {
        Assert.True(WebBenchmarkFigure.Of("open", "ms", [400, 410, 420], 1000).GoalMet);
        Assert.False(WebBenchmarkFigure.Of("open", "ms", [600, 900, 1300], 1000).GoalMet); // mean under the goal, interval not
        Assert.False(WebBenchmarkFigure.Of("open", "ms", [500], 1000).GoalMet); // one run has no interval
        Assert.Null(WebBenchmarkFigure.Of("send", "ms", [5, 6]).GoalMet);
    }
}
