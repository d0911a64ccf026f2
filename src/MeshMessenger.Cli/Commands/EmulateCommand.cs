using System.CommandLine;
using System.Text.Json;
using MeshMessenger.Emulator;
using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Plots;
using MeshMessenger.Emulator.Scenarios;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary><c>meshmsg emulate</c>: run a scenario of virtual devices, or sweep node counts, and compare routing policies.</summary>
public static class EmulateCommand
{
    public const string DefaultOut = "results/emulator";

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "A scenario file, or the name of a bundled one (village-30, wipe-30, sweep, bench-1000)." };
        var output = new Option<string>("--out") { Description = "Folder for results.json and the PNG plots.", DefaultValueFactory = _ => DefaultOut };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };
        var radio = new Option<string?>("--radio") { Description = "medium (the modelled channel), or chip mode: chip (= sx1262), sx1262 or sx1276 — the firmware over the real driver over a simulated chip's SPI bytes. Overrides the scenario's radio field." };
        var run = new Command(
            "emulate",
            "Run a scenario: thousands of virtual devices running the firmware over a modelled LoRa channel, once per routing policy, same seed.\n\n" +
            "Examples:\n  meshmsg emulate village-30\n  meshmsg emulate village-30 --radio chip\n  meshmsg emulate wipe-30\n  meshmsg emulate my-scenario.json --out results/mine\n  meshmsg emulate sweep --nodes 10,30,100,300,1000")
        {
            scenario, output, json, radio,
        };
        run.SetAction(parse => Run(parse.GetValue(scenario)!, parse.GetValue(output)!, parse.GetValue(json), AnsiConsole.Console, parse.GetValue(radio)));

        var sweepScenario = new Option<string>("--scenario") { Description = "Base scenario (its node count is replaced).", DefaultValueFactory = _ => "sweep" };
        var nodes = new Option<string>("--nodes") { Description = "Comma-separated node counts.", DefaultValueFactory = _ => string.Join(',', Sweep.DefaultNodeCounts) };
        var sweepOut = new Option<string>("--out") { Description = "Folder for results.json and the PNG plots.", DefaultValueFactory = _ => DefaultOut + "/sweep" };
        var sweepJson = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };
        var sweep = new Command("sweep", "Run the base scenario at several node counts under both policies and draw the comparison.\n\nExample:\n  meshmsg emulate sweep --nodes 10,30,100")
        {
            sweepScenario, nodes, sweepOut, sweepJson,
        };
        sweep.SetAction(parse => RunSweep(parse.GetValue(sweepScenario)!, parse.GetValue(nodes)!, parse.GetValue(sweepOut)!, parse.GetValue(sweepJson), AnsiConsole.Console));
        run.Subcommands.Add(sweep);

        var restoreScenario = new Argument<string>("scenario") { Description = "A scenario with a wipe event (wipe-30, wipe-gateway-30, or a file)." };
        var seeds = new Option<string>("--seeds") { Description = "Seeds: a range a-b or a comma-separated list.", DefaultValueFactory = _ => "1-10" };
        var restoreOut = new Option<string>("--out") { Description = "Folder for restore-<scenario>.json.", DefaultValueFactory = _ => DefaultOut };
        var restore = new Command("restore", "Run a wipe scenario once per seed and give the restore figures: n, mean ± sd and 95 % interval of restore %, sync airtime and time to restore.\n\nExample:\n  meshmsg emulate restore wipe-30 --seeds 1-10")
        {
            restoreScenario, seeds, restoreOut,
        };
        restore.SetAction(parse => RunRestore(parse.GetValue(restoreScenario)!, parse.GetValue(seeds)!, parse.GetValue(restoreOut)!, AnsiConsole.Console));
        run.Subcommands.Add(restore);
        return run;
    }

    /// <summary>Finds a scenario by path or bundled name.</summary>
    public static Scenario LoadScenario(string nameOrPath)
    {
        if (File.Exists(nameOrPath))
        {
            return Scenario.Load(nameOrPath);
        }

        string bundled = Path.Combine(AppContext.BaseDirectory, "ScenarioFiles", nameOrPath.EndsWith(".json", StringComparison.Ordinal) ? nameOrPath : nameOrPath + ".json");
        if (File.Exists(bundled))
        {
            return Scenario.Load(bundled);
        }

        string names = string.Join(", ", Directory.Exists(Path.GetDirectoryName(bundled)) ? Directory.GetFiles(Path.GetDirectoryName(bundled)!, "*.json").Select(Path.GetFileNameWithoutExtension) : []);
        throw new ScenarioException($"no scenario file '{nameOrPath}' (bundled: {names})");
    }

    public static int Run(string nameOrPath, string outDir, bool json, IAnsiConsole console, string? radio = null)
    {
        Scenario scenario;
        try
        {
            scenario = LoadScenario(nameOrPath);
            if (radio is not null)
            {
                scenario.Radio = radio == "chip" ? "sx1262" : radio;
                scenario.Validate();
            }
        }
        catch (ScenarioException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        var results = new List<EmulationResult>();
        Emulation? last = null;
        Progress(console, json, scenario.Policies, (policy, report) =>
        {
            last = new Emulation(scenario, policy);
            results.Add(last.Run(report));
        });

        Directory.CreateDirectory(outDir);
        string file = Path.Combine(outDir, "results.json");
        File.WriteAllText(file, JsonSerializer.Serialize(results, JsonOptions));
        var plots = new List<string>
        {
            ResultPlots.Map(last!, Path.Combine(outDir, "map.png")),
            ResultPlots.Latency(results, Path.Combine(outDir, "latency.png")),
        };
        Report(console, json, results, file, plots);
        return 0;
    }

    public static int RunSweep(string nameOrPath, string nodeList, string outDir, bool json, IAnsiConsole console)
    {
        Scenario scenario;
        int[] counts;
        try
        {
            scenario = LoadScenario(nameOrPath);
            counts = nodeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            if (counts.Length == 0 || counts.Any(c => c < 2 || c > 20_000))
            {
                throw new FormatException();
            }
        }
        catch (ScenarioException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        catch (FormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] --nodes must be comma-separated counts from 2 to 20000, got '{nodeList}'");
            return 1;
        }

        List<EmulationResult> results = [];
        if (json)
        {
            results = Sweep.Run(scenario, counts);
        }
        else
        {
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("sweep", maxValue: 1.0);
                results = Sweep.Run(scenario, counts, (label, fraction) =>
                {
                    task.Description = Markup.Escape(label);
                    task.Value = fraction;
                });
                task.Value = 1.0;
            });
        }

        Directory.CreateDirectory(outDir);
        string file = Path.Combine(outDir, "results.json");
        File.WriteAllText(file, JsonSerializer.Serialize(results, JsonOptions));
        int largest = counts.Max();
        var plots = new List<string>
        {
            ResultPlots.Delivery(results, Path.Combine(outDir, "delivery.png")),
            ResultPlots.Airtime(results, Path.Combine(outDir, "airtime.png")),
            ResultPlots.Latency(results.Where(r => r.Nodes == largest).ToList(), Path.Combine(outDir, "latency.png")),
            ResultPlots.Map(new Emulation(scenario.WithNodes(largest), scenario.Policies[0]), Path.Combine(outDir, "map.png")),
        };
        Report(console, json, results, file, plots);
        return 0;
    }

    /// <summary>Runs a wipe scenario once per seed, prints the per-seed rows and the summary, writes the JSON.</summary>
    public static int RunRestore(string nameOrPath, string seedList, string outDir, IAnsiConsole console)
    {
        Scenario scenario;
        List<int> seeds;
        try
        {
            scenario = LoadScenario(nameOrPath);
            seeds = ParseSeeds(seedList);
            if (scenario.Events.All(e => e.Action != ScenarioEventKind.Wipe))
            {
                throw new ScenarioException($"{scenario.Name} has no wipe event");
            }
        }
        catch (ScenarioException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        catch (FormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] --seeds must be a range a-b or a comma-separated list of seeds, got '{seedList}'");
            return 1;
        }

        RestoreStudy study = RestoreStudy.Run(scenario, seeds);
        var rows = new Table().AddColumns("seed", "policy", "back / held", "restore %", "sync airtime s", "restored in s", "next seq before → after", "forks");
        foreach (RestoreRun r in study.Runs)
        {
            WipeReport w = r.Wipe;
            rows.AddRow($"{r.Seed}", r.Policy, $"{w.MessagesRecovered} / {w.MessagesBefore}", $"{w.CompletenessPercent:F0}", $"{w.SyncAirtimeSeconds:F1}", $"{w.RestoreSeconds:F0}", $"{w.NextSequenceBefore} → {w.NextSequenceAfter}", $"{w.ForksSeenByOthers}");
        }

        console.Write(rows);
        foreach (RestoreSummary m in study.Summaries)
        {
            console.MarkupLineInterpolated($"{m.Policy}, n = {m.N}: restore {m.RestorePercent.Mean:F1} ± {m.RestorePercent.Sd:F1} % (95 % interval {m.RestorePercent.Low95:F1}..{m.RestorePercent.High95:F1}, worst {m.WorstRestorePercent:F0} %), sync airtime {m.AirtimeSeconds.Mean:F0} ± {m.AirtimeSeconds.Sd:F0} s ({m.AirtimeSeconds.Low95:F0}..{m.AirtimeSeconds.High95:F0}), restored in {m.RestoreSeconds.Mean:F0} ± {m.RestoreSeconds.Sd:F0} s ({m.RestoreSeconds.Low95:F0}..{m.RestoreSeconds.High95:F0}), next sequence lower than before: {m.SequenceRegressions}, forks: {m.Forks}");
        }

        Directory.CreateDirectory(outDir);
        string file = Path.Combine(outDir, $"restore-{scenario.Name}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(study, JsonOptions));
        console.MarkupLineInterpolated($"results: [bold]{file}[/]");
        return 0;
    }

    private static List<int> ParseSeeds(string list)
    {
        string[] range = list.Split('-', StringSplitOptions.TrimEntries);
        List<int> seeds = range.Length == 2
            ? Enumerable.Range(int.Parse(range[0]), int.Parse(range[1]) - int.Parse(range[0]) + 1).ToList()
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
        if (seeds.Count == 0 || seeds.Count > 1000)
        {
            throw new FormatException();
        }

        return seeds;
    }

    private static void Progress(IAnsiConsole console, bool quiet, List<string> policies, Action<string, Action<double>> work)
    {
        if (quiet)
        {
            foreach (string policy in policies)
            {
                work(policy, _ => { });
            }

            return;
        }

        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(ctx =>
        {
            foreach (string policy in policies)
            {
                ProgressTask task = ctx.AddTask(Markup.Escape(policy), maxValue: 1.0);
                work(policy, f => task.Value = f);
                task.Value = 1.0;
            }
        });
    }

    private static void Report(IAnsiConsole console, bool json, List<EmulationResult> results, string file, List<string> plots)
    {
        if (json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(results, JsonOptions));
            return;
        }

        console.Write(results.Select(r => r.Nodes).Distinct().Count() > 1 ? SweepTable(results) : PolicyTable(results));
        foreach (WipeReport w in results.SelectMany(r => r.Wipes))
        {
            console.MarkupLineInterpolated($"wipe of device {w.Device} at minute {w.AtMinute}: {w.MessagesRecovered} of {w.MessagesBefore} messages rebuilt ({w.CompletenessPercent:F0} %), head recovered: {w.HeadRecovered}, next sequence {w.NextSequenceAfter} (was {w.NextSequenceBefore}), forks seen by others: {w.ForksSeenByOthers}, sync airtime {w.SyncAirtimeSeconds:F1} s, restored in {w.RestoreSeconds:F0} s");
        }

        console.MarkupLineInterpolated($"results: [bold]{file}[/]");
        foreach (string plot in plots)
        {
            console.MarkupLineInterpolated($"plot: [bold]{plot}[/]");
        }
    }

    /// <summary>One column per policy, one row per metric: the detail of a single scenario.</summary>
    private static Table PolicyTable(List<EmulationResult> results)
    {
        var table = new Table().Title("emulation results (Meshtasticator's metric names where they overlap)");
        table.AddColumn("metric");
        foreach (EmulationResult r in results)
        {
            table.AddColumn(new TableColumn(Markup.Escape(r.Policy)).RightAligned());
        }

        void Row(string metric, Func<EmulationResult, string> value) => table.AddRow([metric, .. results.Select(value)]);
        Row("devices (mean neighbours)", r => $"{r.Nodes} ({r.MeanNeighbours:F1})");
        Row("DM delivery %", r => $"{r.DmDeliveryPercent:F1}");
        Row("DM acknowledged % (sender saw Delivered)", r => $"{r.DmAcknowledgedPercent:F1}");
        Row("post reachability %", r => $"{r.ReachabilityPercent:F1}");
        Row("usefulness %", r => $"{r.UsefulnessPercent:F1}");
        Row("collision %", r => $"{r.CollisionPercent:F1}");
        Row("mean / p95 delay s", r => $"{r.MeanDelayMs / 1000:F1} / {r.P95DelayMs / 1000:F1}");
        Row("TX air util % / channel util %", r => $"{r.TxAirUtilisationPercent:F2} / {r.ChannelUtilisationPercent:F1}");
        Row("airtime per delivered message s", r => $"{r.AirtimePerDeliveredMs / 1000:F2}");
        Row("frames (relays, retransmissions)", r => $"{r.FramesSent} ({r.RelaysSent}, {r.Retransmissions})");
        Row("duty-cycle holds / LBT deferrals", r => $"{r.DutyCycleHolds} / {r.LbtDeferrals}");
        Row("queue-full drops", r => $"{r.QueueDrops}");
        Row("speed-up over real time", r => $"{r.SpeedUp:F0}×");
        return table;
    }

    /// <summary>One row per run, the headline metrics only, so a sweep fits a terminal.</summary>
    private static Table SweepTable(List<EmulationResult> results)
    {
        var table = new Table().Title("sweep (full figures in results.json)")
            .AddColumns("policy", "nodes", "DM %", "acked %", "reach %", "useful %", "coll %", "p95 s", "air/msg s", "ChUtil %");
        foreach (EmulationResult r in results)
        {
            table.AddRow(
                Markup.Escape(r.Policy),
                $"{r.Nodes}",
                $"{r.DmDeliveryPercent:F1}",
                $"{r.DmAcknowledgedPercent:F1}",
                $"{r.ReachabilityPercent:F1}",
                $"{r.UsefulnessPercent:F1}",
                $"{r.CollisionPercent:F1}",
                $"{r.P95DelayMs / 1000:F1}",
                $"{r.AirtimePerDeliveredMs / 1000:F2}",
                $"{r.ChannelUtilisationPercent:F1}");
        }

        return table;
    }
}
