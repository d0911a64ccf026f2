using System.Text.Json;
using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator.Tests;

public sealed class SweepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("meshmsg-sweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Scenario Base() => new()
    {
        Name = "base",
        Placement = new PlacementSpec { Kind = PlacementKind.Random, SpacingM = 350 },
        Traffic = new TrafficSpec { Friends = 3, FriendRadiusM = 1200, QuietTailMinutes = 2 },
    };

    private static SweepPlan Tiny() => new()
    {
        Name = "tiny",
        Nodes = [10],
        PathLoss = ["log-distance"],
        Loads = [new SweepLoad { Name = "heavy", MessagesPerNodePerHour = 60 }],
        Seeds = 2,
        FirstSeed = 1,
        MinMessagesPerSeed = 40,
        MinTrafficMinutes = 3,
    };

    private static string Figures(SweepReport r) => JsonSerializer.Serialize(r.Points);

    [Fact]
    public void A_tiny_sweep_gives_every_figure_with_n_mean_sd_and_interval_for_each_policy()
    {
        SweepReport report = Sweep.Run(Tiny(), Base(), _dir, parallel: 2);

        Assert.Equal(4, report.Runs.Count); // 2 seeds × 2 policies
        Assert.Equal(["managed-flooding", "learned-routes"], report.Points.Select(p => p.Policy));
        foreach (SweepPoint p in report.Points)
        {
            Assert.Equal([1, 2], p.Seeds);
            Assert.Equal(SweepFigure.All.Select(f => f.Name), p.Figures.Keys);
            foreach (Spread s in p.Figures.Values)
            {
                Assert.Equal(2, s.N);
                Assert.True(s.Low95 <= s.Mean && s.Mean <= s.High95);
            }
        }

        Assert.True(report.MinMeasuredMessages >= 40, $"{report.MinMeasuredMessages} measured messages");
        Assert.Equal(SweepFigure.All.Count(f => f.HigherIsBetter is not null), report.Cells.Count);

        // Positions and traffic are the same for both policies of a seed.
        foreach (var seed in report.Runs.GroupBy(r => r.Seed))
        {
            Assert.Single(seed.Select(r => (r.MeanNeighbours, r.DmsCreated, r.PostsCreated)).Distinct());
        }

        // results.json carries n, mean, sd and the interval of every figure, and the verdicts by name.
        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        JsonElement delivery = json.RootElement.GetProperty("points")[0].GetProperty("figures").GetProperty("dmDeliveryPercent");
        foreach (string field in new[] { "n", "mean", "sd", "low95", "high95" })
        {
            Assert.True(delivery.TryGetProperty(field, out _), field);
        }

        Assert.Contains(json.RootElement.GetProperty("cells")[0].GetProperty("verdict").GetString(), new[] { "Tie", "Win", "Loss" });
        string md = SweepDoc.Render(report, "meshmsg emulate sweep --plan tiny");
        Assert.Contains("| heavy | 10 |", md);
        Assert.Contains("learned-routes wins", md);
    }

    [Fact]
    public void The_same_seeds_give_the_same_figures_and_stored_runs_are_reused()
    {
        SweepReport first = Sweep.Run(Tiny(), Base(), Path.Combine(_dir, "a"));
        SweepReport again = Sweep.Run(Tiny(), Base(), Path.Combine(_dir, "b"));
        Assert.Equal(Figures(first), Figures(again));

        // A rerun into the same folder runs nothing: every run is read back from runs/.
        int runsDone = 0;
        SweepReport resumed = Sweep.Run(Tiny(), Base(), Path.Combine(_dir, "a"), progress: (_, _, label) => runsDone += label.Contains("resumed", StringComparison.Ordinal) ? 0 : 1);
        Assert.Equal(0, runsDone);
        Assert.Equal(Figures(first), Figures(resumed));

        // Another seed is another run.
        SweepPlan other = Tiny();
        other.FirstSeed = 5;
        Assert.NotEqual(Figures(first), Figures(Sweep.Run(other, Base(), Path.Combine(_dir, "c"))));
    }

    [Fact]
    public void Each_seed_carries_the_measured_messages_the_plan_asks_for()
    {
        var plan = new SweepPlan();
        foreach (int nodes in plan.Nodes)
        {
            foreach (SweepLoad load in plan.Loads)
            {
                double expected = nodes * load.MessagesPerNodePerHour * plan.TrafficMinutes(nodes, load) / 60;
                Assert.True(expected >= 1.25 * plan.MinMessagesPerSeed, $"{nodes} {load.Name}: {expected}");
            }
        }

        Assert.Throws<ScenarioException>(() => new SweepPlan { PathLoss = ["no-such-model"] }.Validate());
        Assert.Throws<ScenarioException>(() => new SweepPlan { Seeds = 0 }.Validate());
    }

    [Fact]
    public void Measured_frames_are_read_from_the_clear_entry_header_and_other_frames_are_not()
    {
        var scenario = new Scenario { Nodes = 10, DurationMinutes = 8, Placement = new PlacementSpec { Kind = PlacementKind.Grid, SpacingM = 300 }, Traffic = new TrafficSpec { DmPerNodePerHour = 30, ChannelPostsPerNodePerHour = 6, Friends = 3, FriendRadiusM = 900, ReadShare = 1, QuietTailMinutes = 2 } };
        var frames = new List<byte[]>();
        var emulation = new Emulation(scenario, "managed-flooding") { Transmitted = (_, frame, _) => frames.Add(frame) };
        EmulationResult r = emulation.Run();
        var entries = new HashSet<(uint, uint)>();
        foreach (byte[] frame in frames)
        {
            bool measured = MeasuredFrame.TryReadEntry(frame, frame.Length, out uint author, out uint sequence);
            Assert.Equal(Protocol.ProtocolError.None, Firmware.Routing.PacketInfo.TryRead(frame, Protocol.Frames.FrameLimits.Ip, out Firmware.Routing.PacketInfo? info));
            Assert.Equal(info!.Frame.Type == Protocol.Frames.FrameType.Entry, measured);
            if (measured)
            {
                Assert.Equal((info.Author, info.Sequence), (author, sequence));
                entries.Add((author, sequence));
            }
        }

        // Receipts are entries too but not measured messages: usefulness (receptions of the measured messages only)
        // leaves them out, as it leaves out every frame that is not an entry.
        Assert.True(entries.Count > r.DmsCreated + r.PostsCreated, $"{entries.Count} entries on air, {r.DmsCreated + r.PostsCreated} measured");
        Assert.True(r.UsefulnessPercent is > 0 and < 100);
        Assert.False(MeasuredFrame.TryReadEntry([0x21, 0, 0, 0], 4, out _, out _)); // a header without a payload
        Assert.False(MeasuredFrame.TryReadEntry([0x21, 0, 0, 0, 0, 1, 2], 7, out _, out _)); // a truncated entry header
    }
}
