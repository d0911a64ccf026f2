using System.CommandLine;
using System.Globalization;
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

    /// <summary>The bundled sweep plan <c>meshmsg emulate sweep</c> runs by default.</summary>
    public const string DefaultPlan = "sweep-plan";

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "A scenario file, or the name of a bundled one (village-30, wipe-30, wipe-gateway-30, wipe-home-gateway-30, sweep, bench-1000)." };
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

        var plan = new Option<string>("--plan") { Description = "A sweep plan file, or the name of a bundled one (sweep-plan).", DefaultValueFactory = _ => DefaultPlan };
        var nodes = new Option<string?>("--nodes") { Description = "Comma-separated node counts (replaces the plan's)." };
        var sweepSeeds = new Option<string?>("--seeds") { Description = "Seeds: a range a-b, or a count from the plan's first seed (replaces the plan's)." };
        var pathLoss = new Option<string?>("--path-loss") { Description = "Comma-separated path-loss models (replaces the plan's), e.g. log-distance,okumura-hata-small-city." };
        var parallel = new Option<int>("--parallel") { Description = "Runs at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var fresh = new Option<bool>("--fresh") { Description = "Run everything again instead of reusing the runs stored under OUT/runs." };
        var writeDoc = new Option<string?>("--write-doc") { Description = "Rewrite the generated results section of this Markdown file (between the sweep-results markers)." };
        var sweepOut = new Option<string>("--out") { Description = "Folder for results.json, the per-run JSON (runs/) and the PNG plots.", DefaultValueFactory = _ => DefaultOut + "/sweep" };
        var sweepJson = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table." };
        var sweep = new Command(
            "sweep",
            "Run the sweep plan: every path-loss model × load × node count, each over several seeds under every policy, several runs at once. " +
            "Each run is stored under OUT/runs as it ends; a rerun reuses them, so an interrupted sweep resumes.\n\n" +
            "Examples:\n  meshmsg emulate sweep --write-doc docs/emulator.md\n  meshmsg emulate sweep --nodes 30,100 --seeds 1-3 --path-loss log-distance")
        {
            plan, nodes, sweepSeeds, pathLoss, parallel, fresh, writeDoc, sweepOut, sweepJson,
        };
        sweep.SetAction(parse => RunSweep(
            new SweepRequest(parse.GetValue(plan)!, parse.GetValue(nodes), parse.GetValue(sweepSeeds), parse.GetValue(pathLoss), parse.GetValue(parallel), parse.GetValue(fresh), parse.GetValue(sweepOut)!, parse.GetValue(writeDoc)),
            parse.GetValue(sweepJson),
            AnsiConsole.Console));
        run.Subcommands.Add(sweep);

        var restoreScenario = new Argument<string>("scenario") { Description = "A scenario with a wipe event (wipe-30, wipe-gateway-30, wipe-home-gateway-30, or a file)." };
        var seeds = new Option<string>("--seeds") { Description = "Seeds: a range a-b or a comma-separated list.", DefaultValueFactory = _ => "1-10" };
        var restoreOut = new Option<string>("--out") { Description = "Folder for restore-<scenario>.json.", DefaultValueFactory = _ => DefaultOut };
        var baseline = new Option<string?>("--baseline") { Description = "An earlier restore-<scenario>.json: also give the paired change against it (per seed, this run minus the baseline), written to restore-<scenario>-paired.json." };
        var restore = new Command("restore", "Run a wipe scenario once per seed and give the restore figures: n, mean ± sd and 95 % interval of restore %, sync airtime and time to restore.\n\nExamples:\n  meshmsg emulate restore wipe-30 --seeds 1-10\n  meshmsg emulate restore wipe-30 --seeds 1-300 --out after --baseline before/restore-wipe-30.json")
        {
            restoreScenario, seeds, restoreOut, baseline,
        };
        restore.SetAction(parse => RunRestore(parse.GetValue(restoreScenario)!, parse.GetValue(seeds)!, parse.GetValue(restoreOut)!, AnsiConsole.Console, parse.GetValue(baseline)));
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

    /// <summary>
    /// Loads the plan of <paramref name="request"/> with its overrides and its base scenario. Throws
    /// <see cref="ScenarioException"/> or <see cref="FormatException"/> naming what is wrong.
    /// </summary>
    public static (SweepPlan Plan, Scenario Base) LoadSweep(SweepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string planPath = File.Exists(request.Plan)
            ? request.Plan
            : Path.Combine(AppContext.BaseDirectory, "ScenarioFiles", request.Plan.EndsWith(".json", StringComparison.Ordinal) ? request.Plan : request.Plan + ".json");
        if (!File.Exists(planPath))
        {
            throw new ScenarioException($"no sweep plan '{request.Plan}'");
        }

        SweepPlan plan = SweepPlan.Load(planPath);
        if (request.Nodes is { } nodeList)
        {
            string why = $"--nodes must be comma-separated counts from 2 to 20000, got '{nodeList}'";
            plan.Nodes = nodeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : throw new FormatException(why)).ToList();
            if (plan.Nodes.Count == 0 || plan.Nodes.Any(c => c < 2 || c > 20_000))
            {
                throw new FormatException(why);
            }
        }

        if (request.Seeds is { } seedText)
        {
            try
            {
                List<int> seeds = seedText.Contains('-', StringComparison.Ordinal) ? ParseSeeds(seedText) : Enumerable.Range(plan.FirstSeed, int.Parse(seedText, NumberStyles.None, CultureInfo.InvariantCulture)).ToList();
                plan.FirstSeed = seeds[0];
                plan.Seeds = seeds.Count;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
            {
                throw new FormatException($"--seeds must be a range a-b or a count of seeds, got '{seedText}'");
            }
        }

        if (request.PathLoss is { } models)
        {
            plan.PathLoss = models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        plan.Validate();
        string sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(planPath))!, plan.Scenario.EndsWith(".json", StringComparison.Ordinal) ? plan.Scenario : plan.Scenario + ".json");
        Scenario baseScenario = LoadScenario(File.Exists(sibling) ? sibling : plan.Scenario);
        if (!baseScenario.Policies.Contains(plan.Baseline))
        {
            throw new ScenarioException($"the base scenario's policies do not include the baseline '{plan.Baseline}'");
        }

        return (plan, baseScenario);
    }

    /// <summary>Runs a sweep plan, prints the table, writes results.json and the plots, and rewrites the doc section if asked.</summary>
    public static int RunSweep(SweepRequest request, bool json, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(request);
        SweepPlan plan;
        Scenario baseScenario;
        try
        {
            (plan, baseScenario) = LoadSweep(request);
            if (request.WriteDoc is { } doc && !File.Exists(doc))
            {
                throw new ScenarioException($"no document at {doc}");
            }
        }
        catch (ScenarioException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        catch (FormatException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        var wall = System.Diagnostics.Stopwatch.StartNew();
        SweepReport report = null!;
        if (json)
        {
            report = Sweep.Run(plan, baseScenario, request.Out, request.Parallel, request.Fresh);
        }
        else
        {
            console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()).Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("sweep", maxValue: 1.0);
                report = Sweep.Run(plan, baseScenario, request.Out, request.Parallel, request.Fresh, (done, total, label) =>
                {
                    task.Description = Markup.Escape($"{done}/{total} {label}");
                    task.Value = (double)done / total;
                });
                task.Value = 1.0;
            });
        }

        Directory.CreateDirectory(request.Out);
        string file = Path.Combine(request.Out, "results.json");
        File.WriteAllText(file, JsonSerializer.Serialize(report, JsonOptions));
        var plots = new List<string>();
        foreach (string model in plan.PathLoss)
        {
            foreach (SweepLoad load in plan.Loads)
            {
                plots.Add(ResultPlots.Delivery(report, model, load.Name, Path.Combine(request.Out, $"delivery-{model}-{load.Name}.png")));
                plots.Add(ResultPlots.Airtime(report, model, load.Name, Path.Combine(request.Out, $"airtime-{model}-{load.Name}.png")));
            }
        }

        plots.Add(ResultPlots.Map(new Emulation(plan.PointScenario(baseScenario, plan.PathLoss[0], plan.Loads[0], plan.Nodes.Max(), plan.FirstSeed), baseScenario.Policies[0]), Path.Combine(request.Out, "map.png")));
        if (request.WriteDoc is { } docPath)
        {
            try
            {
                File.WriteAllText(docPath, SweepDoc.Rewrite(File.ReadAllText(docPath), SweepDoc.Render(report, request.CommandLine())));
            }
            catch (InvalidDataException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {docPath}: {e.Message}");
                return 1;
            }
        }

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            return 0;
        }

        console.Write(SweepTable(report));
        foreach (string line in SweepDoc.Render(report, request.CommandLine()).Split('\n').Where(l => l.StartsWith("Against ", StringComparison.Ordinal)))
        {
            console.WriteLine(line);
        }

        console.MarkupLineInterpolated($"{report.Runs.Count} runs in {wall.Elapsed.TotalSeconds:F0} s wall time; results: [bold]{file}[/]");
        foreach (string plot in plots)
        {
            console.MarkupLineInterpolated($"plot: [bold]{plot}[/]");
        }

        if (request.WriteDoc is { } written)
        {
            console.MarkupLineInterpolated($"rewrote the results section of [bold]{written}[/]");
        }

        return 0;
    }

    /// <summary>Runs a wipe scenario once per seed, prints the per-seed rows and the summary, writes the JSON.</summary>
    public static int RunRestore(string nameOrPath, string seedList, string outDir, IAnsiConsole console, string? baselineFile = null)
    {
        Scenario scenario;
        List<int> seeds;
        IReadOnlyList<RestoreRun>? baseline = null;
        try
        {
            scenario = LoadScenario(nameOrPath);
            seeds = ParseSeeds(seedList);
            if (scenario.Events.All(e => e.Action != ScenarioEventKind.Wipe))
            {
                throw new ScenarioException($"{scenario.Name} has no wipe event");
            }

            if (baselineFile is not null)
            {
                baseline = LoadRestoreRuns(baselineFile, scenario.Name, seeds);
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
        var rows = new Table().AddColumns("seed", "policy", "back / held", "restore %", "restorable %", "missing: nobody / archive / devices", "sync airtime s", "restored in s", "next seq before → after", "forks");
        foreach (RestoreRun r in study.Runs)
        {
            WipeReport w = r.Wipe;
            rows.AddRow($"{r.Seed}", r.Policy, $"{w.MessagesRecovered} / {w.MessagesBefore}", $"{w.CompletenessPercent:F0}", $"{w.RestorablePercent:F0}", $"{w.MissingHeldByNobody} / {w.MissingHeldByArchive} / {w.MissingHeldByDevicesOnly}", $"{w.SyncAirtimeSeconds:F1}", $"{w.RestoreSeconds:F0}", w.HeadRecovered ? $"{w.NextSequenceBefore} → {w.NextSequenceAfter}" + (w.ReusedSequences + w.ReusedUnseen > 0 ? $" (reused {w.ReusedSequences}+{w.ReusedUnseen})" : "") : $"{w.NextSequenceBefore} → read-only", $"{w.ForksSeenByOthers}");
        }

        console.Write(rows);
        foreach (RestoreSummary m in study.Summaries)
        {
            console.MarkupLineInterpolated($"{m.Policy}, n = {m.N}: restore {m.RestorePercent.Mean:F1} ± {m.RestorePercent.Sd:F1} % (95 % interval {m.RestorePercent.Low95:F1}..{m.RestorePercent.High95:F1}, worst {m.WorstRestorePercent:F0} %), restorable {m.RestorablePercent.Mean:F1} ± {m.RestorablePercent.Sd:F1} % ({m.RestorablePercent.Low95:F1}..{m.RestorablePercent.High95:F1}), missing held by nobody / an archive / devices only: {m.MissingHeldByNobody} / {m.MissingHeldByArchive} / {m.MissingHeldByDevicesOnly}, sync airtime {m.AirtimeSeconds.Mean:F0} ± {m.AirtimeSeconds.Sd:F0} s ({m.AirtimeSeconds.Low95:F0}..{m.AirtimeSeconds.High95:F0}), restored in {m.RestoreSeconds.Mean:F0} ± {m.RestoreSeconds.Sd:F0} s ({m.RestoreSeconds.Low95:F0}..{m.RestoreSeconds.High95:F0}), reused sequence: {m.SequenceRegressions}, head unconfirmed (read-only): {m.Unconfirmed}, forks: {m.Forks}, signed again where nobody held the first entry: {m.ReusedUnseen}{(m.WritableSeconds is { } writable ? $", writable again after {writable.Mean:F0} ± {writable.Sd:F0} s ({writable.Low95:F0}..{writable.High95:F0}) in {writable.N} runs" : "")}");
        }

        Directory.CreateDirectory(outDir);
        string file = Path.Combine(outDir, $"restore-{scenario.Name}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(study, JsonOptions));
        console.MarkupLineInterpolated($"results: [bold]{file}[/]");
        if (baseline is null)
        {
            return 0;
        }

        IReadOnlyList<RestoreComparison> paired;
        try
        {
            paired = RestoreComparison.Of(baseline, study.Runs);
        }
        catch (ArgumentException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] --baseline {baselineFile}: {e.Message}");
            return 1;
        }

        foreach (RestoreComparison c in paired)
        {
            console.MarkupLineInterpolated($"{c.Policy}, paired against {baselineFile}, n = {c.Pairs}: restore {Change(c.RestorePercentChange)} points, restorable {Change(c.RestorablePercentChange)} points, sync airtime {Change(c.AirtimeSecondsChange)} s, time to restore {Change(c.RestoreSecondsChange)} s (mean of the per-seed changes ± half the 95 % interval); seeds reusing a held sequence or forking: baseline [[{string.Join(", ", c.BaselineReuseSeeds)}]], now [[{string.Join(", ", c.ReuseSeeds)}]]");
        }

        string pairedFile = Path.Combine(outDir, $"restore-{scenario.Name}-paired.json");
        File.WriteAllText(pairedFile, JsonSerializer.Serialize(paired, JsonOptions));
        console.MarkupLineInterpolated($"paired: [bold]{pairedFile}[/]");
        return 0;
    }

    private static string Change(Spread s) => $"{s.Mean:+0.00;-0.00;0.00} ± {s.HalfWidth:F2}";

    // The runs of an earlier `emulate restore` of the same scenario (its restore-<scenario>.json) sharing a seed with
    // this one, checked before the seeds run; anything else is refused by name.
    private static IReadOnlyList<RestoreRun> LoadRestoreRuns(string file, string scenario, List<int> seeds)
    {
        try
        {
            using FileStream stream = File.OpenRead(file);
            RestoreFile? parsed = JsonSerializer.Deserialize<RestoreFile>(stream, JsonOptions);
            if (parsed?.Runs is not { Count: > 0 } runs || runs.Any(r => r?.Wipe is null || r.Policy is null))
            {
                throw new ScenarioException($"{file} holds no restore runs (expected the restore-<scenario>.json of `meshmsg emulate restore`)");
            }

            if (parsed.Scenario != scenario)
            {
                throw new ScenarioException($"{file} is a restore of {parsed.Scenario ?? "no named scenario"}, not of {scenario}: runs pair only within one scenario");
            }

            if (!runs.Any(r => seeds.Contains(r.Seed)))
            {
                throw new ScenarioException($"{file} has none of the seeds {string.Join(", ", seeds.Take(5))}{(seeds.Count > 5 ? ", …" : "")}: nothing would pair");
            }

            return runs;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ScenarioException($"cannot read the baseline {file}: {e.Message}");
        }
    }

    private sealed record RestoreFile(string? Scenario, List<RestoreRun>? Runs);

    internal static List<int> ParseSeeds(string list)
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

        console.Write(PolicyTable(results));
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

    /// <summary>One row per point, the judged figures as baseline / other policies with the verdict, so a sweep fits a terminal.</summary>
    private static Table SweepTable(SweepReport report)
    {
        SweepFigure[] shown = SweepFigure.All.Where(f => f.InTable).ToArray();
        var table = new Table().Title(Markup.Escape($"sweep: {string.Join(" / ", report.Policies)}, mean ± 95 % half-interval, n = {report.Plan.Seeds} seeds (full figures in results.json)"));
        table.AddColumns(["path loss", "load", "nodes", .. shown.Select(f => Markup.Escape(f.Label))]);
        foreach (SweepPoint b in report.Points.Where(p => p.Policy == report.Plan.Baseline))
        {
            var row = new List<string> { Markup.Escape(b.PathLoss), Markup.Escape(b.Load), $"{b.Nodes}" };
            foreach (SweepFigure f in shown)
            {
                var cells = report.Cells.Where(c => c.PathLoss == b.PathLoss && c.Load == b.Load && c.Nodes == b.Nodes && c.Figure == f.Name).ToList();
                string values = string.Join(" / ", new[] { f.Show(b.Figures[f.Name]) }.Concat(cells.Select(c => f.Show(c.PolicyValue))));
                string marks = string.Join(" ", cells.Select(c => c.Verdict switch { Verdict.Win => "[green]win[/]", Verdict.Loss => "[red]loss[/]", _ => "tie" }));
                row.Add($"{Markup.Escape(values)} {marks}");
            }

            table.AddRow(row.ToArray());
        }

        return table;
    }
}
