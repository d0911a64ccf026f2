using System.Text.Json;
using MeshMessenger.Cli.Commands;

namespace MeshMessenger.Cli.Tests;

public sealed class EmulateTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _dir = Directory.CreateTempSubdirectory("meshmsg-emulate-").FullName;

    public EmulateTests()
    {
        File.WriteAllText(ScenarioPath, """
            {
              "name": "tiny",
              "seed": 4,
              "nodes": 12,
              "placement": { "kind": "grid", "spacingM": 400 },
              "durationMinutes": 15,
              "traffic": { "dmPerNodePerHour": 8, "channelPostsPerNodePerHour": 2, "friends": 3, "friendRadiusM": 1200, "quietTailMinutes": 3 }
            }
            """);
    }

    private string ScenarioPath => Path.Combine(_dir, "tiny.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Emulate_runs_both_policies_prints_the_table_and_writes_json_and_plots()
    {
        var console = new RecordingConsole();
        string outDir = Path.Combine(_dir, "out");
        Assert.Equal(0, EmulateCommand.Run(ScenarioPath, outDir, json: false, console.Console));
        Assert.Contains("DM delivery %", console.Text);
        Assert.Contains("managed-flooding", console.Text);
        Assert.Contains("learned-routes", console.Text);

        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(["managed-flooding", "learned-routes"], results.RootElement.EnumerateArray().Select(r => r.GetProperty("policy").GetString()));
        Assert.All(results.RootElement.EnumerateArray(), r =>
        {
            Assert.Equal(12, r.GetProperty("nodes").GetInt32());
            Assert.True(r.GetProperty("dmsCreated").GetInt32() > 0);
            Assert.InRange(r.GetProperty("dmDeliveryPercent").GetDouble(), 0, 100);
        });
        AssertPng(Path.Combine(outDir, "map.png"));
        AssertPng(Path.Combine(outDir, "latency.png"));
    }

    [Fact]
    public void Emulate_with_json_prints_only_json()
    {
        var console = new RecordingConsole();
        Assert.Equal(0, EmulateCommand.Run(ScenarioPath, Path.Combine(_dir, "out-json"), json: true, console.Console));
        using JsonDocument printed = JsonDocument.Parse(console.Text);
        Assert.Equal(2, printed.RootElement.GetArrayLength());
    }

    [Fact]
    public void Emulate_with_radio_chip_runs_the_drivers_over_simulated_chips_and_an_unknown_radio_is_refused()
    {
        var console = new RecordingConsole();
        Assert.Equal(0, EmulateCommand.Run(ScenarioPath, Path.Combine(_dir, "out-chip"), json: true, console.Console, radio: "chip"));
        using JsonDocument printed = JsonDocument.Parse(console.Text);
        Assert.All(printed.RootElement.EnumerateArray(), r =>
        {
            Assert.Equal("sx1262", r.GetProperty("radio").GetString());
            Assert.True(r.GetProperty("framesSent").GetInt64() > 0);
        });

        var refused = new RecordingConsole();
        Assert.Equal(1, EmulateCommand.Run(ScenarioPath, Path.Combine(_dir, "out-bad"), json: true, refused.Console, radio: "sx1280"));
        Assert.Contains("radio 'sx1280' is unknown", refused.Text);
    }

    private string PlanPath
    {
        get
        {
            string path = Path.Combine(_dir, "tiny-plan.json");
            File.WriteAllText(path, """
                {
                  "name": "tiny", "scenario": "tiny", "nodes": [6, 10], "pathLoss": ["log-distance"],
                  "loads": [ { "name": "heavy", "messagesPerNodePerHour": 60 } ],
                  "seeds": 2, "minMessagesPerSeed": 30, "minTrafficMinutes": 3
                }
                """);
            return path;
        }
    }

    [Fact]
    public void Sweep_runs_every_point_over_the_seeds_writes_intervals_draws_error_bars_and_rewrites_the_doc_section()
    {
        var console = new RecordingConsole();
        string outDir = Path.Combine(_dir, "sweep");
        string doc = Path.Combine(_dir, "emulator.md");
        File.WriteAllText(doc, $"# doc\n\n{MeshMessenger.Emulator.Metrics.SweepDoc.Begin}\nstale\n{MeshMessenger.Emulator.Metrics.SweepDoc.End}\n\nafter\n");
        Assert.Equal(0, EmulateCommand.RunSweep(new SweepRequest(PlanPath, Parallel: 2, Out: outDir, WriteDoc: doc), json: false, console.Console));
        Assert.Contains("Against managed-flooding, learned-routes wins", console.Text);
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(8, results.RootElement.GetProperty("runs").GetArrayLength()); // 2 counts × 2 seeds × 2 policies
        var points = results.RootElement.GetProperty("points").EnumerateArray().Select(p => $"{p.GetProperty("policy").GetString()} {p.GetProperty("nodes").GetInt32()} n={p.GetProperty("figures").GetProperty("dmDeliveryPercent").GetProperty("n").GetInt32()}").ToList();
        Assert.Equal(["managed-flooding 6 n=2", "learned-routes 6 n=2", "managed-flooding 10 n=2", "learned-routes 10 n=2"], points);
        Assert.Equal(8, Directory.GetFiles(Path.Combine(outDir, "runs"), "*.json").Length);
        foreach (string plot in new[] { "delivery-log-distance-heavy.png", "airtime-log-distance-heavy.png", "map.png" })
        {
            AssertPng(Path.Combine(outDir, plot));
        }

        string written = File.ReadAllText(doc);
        Assert.DoesNotContain("stale", written);
        Assert.Contains($"Generated by `meshmsg emulate sweep --plan {PlanPath} --write-doc {doc}`", written);
        Assert.Contains("| heavy | 10 |", written);
        Assert.EndsWith($"{MeshMessenger.Emulator.Metrics.SweepDoc.End}\n\nafter\n", written);
    }

    [Theory]
    [InlineData("no-such-plan", "6", null, "no sweep plan 'no-such-plan'")]
    [InlineData(null, "6,x", null, "--nodes must be comma-separated")]
    [InlineData(null, "1", null, "--nodes must be comma-separated")]
    [InlineData(null, "6", "x", "--seeds must be a range a-b or a count")]
    public void Bad_input_is_refused_with_exit_code_1_and_a_reason(string? plan, string nodes, string? seeds, string expected)
    {
        var console = new RecordingConsole();
        Assert.Equal(1, EmulateCommand.RunSweep(new SweepRequest(plan ?? PlanPath, nodes, seeds, Out: Path.Combine(_dir, "bad")), json: false, console.Console));
        Assert.Contains(expected, console.Text);
    }

    [Fact]
    public void The_bundled_sweep_plan_covers_light_and_heavy_load_at_30_to_1000_nodes_on_two_path_loss_models_with_10_seeds()
    {
        (MeshMessenger.Emulator.SweepPlan plan, _) = EmulateCommand.LoadSweep(new SweepRequest(EmulateCommand.DefaultPlan));
        Assert.Equal([30, 100, 300, 1000], plan.Nodes);
        Assert.True(plan.PathLoss.Count >= 2);
        Assert.Equal([2.0, 30.0], plan.Loads.Select(l => l.MessagesPerNodePerHour));
        Assert.True(plan.Seeds >= 10 && plan.MinMessagesPerSeed >= 300);
    }

    [Fact]
    public void Sweep_bench_prints_the_wall_time_and_each_points_cost_and_writes_json()
    {
        var console = new RecordingConsole();
        string path = Path.Combine(_dir, "bench-sweep.json");
        Assert.Equal(0, BenchCommand.RunSweep(new SweepRequest(PlanPath, Nodes: "6", Seeds: "1", Parallel: 2), new FileInfo(path), console.Console));
        Assert.Contains("wall time", console.Text);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(2, json.RootElement.GetProperty("runs").GetInt32());
        Assert.True(json.RootElement.GetProperty("wallSeconds").GetDouble() > 0);
        JsonElement point = Assert.Single(json.RootElement.GetProperty("points").EnumerateArray());
        Assert.Equal(100, point.GetProperty("sharePercent").GetDouble(), tolerance: 1e-6);
    }

    [Fact]
    public void Bundled_scenarios_are_found_by_name_and_all_validate()
    {
        foreach (string name in new[] { "village-30", "wipe-30", "sweep", "bench-1000" })
        {
            Assert.Equal(name, EmulateCommand.LoadScenario(name).Name);
        }
    }

    [Fact]
    public void Emulator_bench_prints_speed_and_memory_and_writes_json()
    {
        var console = new RecordingConsole();
        string path = Path.Combine(_dir, "bench-emulator.json");
        Assert.Equal(0, BenchCommand.RunEmulator(ScenarioPath, 20, new FileInfo(path), console.Console));
        Assert.Contains("speed-up over real time", console.Text);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(20, json.RootElement.GetProperty("nodes").GetInt32());
        Assert.True(json.RootElement.GetProperty("speedUp").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("events").GetInt64() > 0);
        Assert.True(json.RootElement.GetProperty("peakMemoryMb").GetDouble() > 0);
    }

    [Fact]
    public void Emulator_bench_refuses_a_node_count_out_of_range()
    {
        var console = new RecordingConsole();
        Assert.Equal(1, BenchCommand.RunEmulator(ScenarioPath, 1, new FileInfo(Path.Combine(_dir, "x.json")), console.Console));
        Assert.Contains("nodes must be", console.Text);
    }

    [Fact]
    public void Restore_against_a_baseline_gives_the_paired_change_and_refuses_a_baseline_that_cannot_pair()
    {
        var console = new RecordingConsole();
        string before = Path.Combine(_dir, "before");
        string after = Path.Combine(_dir, "after");
        Assert.Equal(0, EmulateCommand.RunRestore("wipe-30", "1-2", before, console.Console));
        string baseline = Path.Combine(before, "restore-wipe-30.json");

        // The same code on seeds 2-3: only seed 2 pairs, and the same code gives the same wipe, so the change is zero.
        Assert.Equal(0, EmulateCommand.RunRestore("wipe-30", "2-3", after, console.Console, baseline));
        using JsonDocument paired = JsonDocument.Parse(File.ReadAllText(Path.Combine(after, "restore-wipe-30-paired.json")));
        JsonElement c = Assert.Single(paired.RootElement.EnumerateArray());
        Assert.Equal(1, c.GetProperty("pairs").GetInt32());
        Assert.Equal(0.0, c.GetProperty("restorePercentChange").GetProperty("mean").GetDouble());
        Assert.Equal(0.0, c.GetProperty("airtimeSecondsChange").GetProperty("mean").GetDouble());
        Assert.Contains("paired against", console.Text);

        string notRestore = Path.Combine(_dir, "not-restore.json");
        File.WriteAllText(notRestore, """{"scenario":"wipe-30","runs":[{"seed":1}]}""");
        var refused = new RecordingConsole();
        Assert.Equal(1, EmulateCommand.RunRestore("wipe-30", "1", Path.Combine(_dir, "x"), refused.Console, notRestore));
        Assert.Contains("holds no restore runs", refused.Text);
        Assert.Equal(1, EmulateCommand.RunRestore("wipe-30", "9", Path.Combine(_dir, "y"), refused.Console, baseline));
        Assert.Contains("has none of the seeds 9", refused.Text);
        Assert.Equal(1, EmulateCommand.RunRestore("wipe-gateway-30", "1", Path.Combine(_dir, "z"), refused.Console, baseline));
        Assert.Contains("is a restore of wipe-30, not of wipe-gateway-30", refused.Text);
        Assert.False(Directory.Exists(Path.Combine(_dir, "y")));
    }

    private static void AssertPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 2000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
    }
}
