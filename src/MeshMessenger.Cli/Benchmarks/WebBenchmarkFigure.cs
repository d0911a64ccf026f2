using MeshMessenger.Emulator.Metrics;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>One figure of <c>meshmsg bench web</c>: every run's value, their statistics and the goal, if the figure has one.</summary>
/// <param name="Name">What was measured, in words.</param>
/// <param name="Unit">"bytes" or "ms".</param>
/// <param name="Statistics">Mean, spread and 95 % interval over the runs.</param>
/// <param name="Goal">The most the figure may be, or null if it has no goal.</param>
/// <param name="GoalMet">True only when the whole 95 % interval is at or under the goal (at least two runs); null without a goal.</param>
/// <param name="Samples">Every run's value, in run order.</param>
public sealed record WebBenchmarkFigure(string Name, string Unit, Spread Statistics, double? Goal, bool? GoalMet, List<double> Samples)
{
    /// <summary>The figure of <paramref name="samples"/> against an optional goal.</summary>
    public static WebBenchmarkFigure Of(string name, string unit, List<double> samples, double? goal = null)
    {
        Spread statistics = Spread.Of(samples);
        bool? met = goal is { } g ? statistics.N >= 2 && statistics.High95 <= g : null;
        return new WebBenchmarkFigure(name, unit, statistics, goal, met, samples);
    }
}
