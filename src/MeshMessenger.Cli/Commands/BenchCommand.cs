using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Emulator;
using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Payments;
using MeshMessenger.Emulator.Scenarios;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary><c>meshmsg bench ...</c>: benchmark commands that print figures and write JSON under results/.</summary>
public static class BenchCommand
{
    public const string DefaultCryptoJson = "results/bench-crypto.json";

    public const string DefaultProtocolJson = "results/bench-protocol.json";

    public const string DefaultEmulatorJson = "results/bench-emulator.json";

    public const string DefaultWebJson = "results/web-bench.json";

    public const string DefaultPaymentsJson = "results/payments-bench.json";

    /// <summary>Where <c>meshmsg bench chip-mode</c> writes its figures.</summary>
    public const string DefaultChipModeJson = "results/bench-chip-mode.json";

    /// <summary>Where <c>meshmsg bench sweep</c> writes its figures.</summary>
    public const string DefaultSweepJson = "results/bench-sweep.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var printJson = new Option<bool>("--json") { Description = "Print the figures as JSON on standard output instead of a table (the file is written either way)." };
        var json = new Option<FileInfo>("--out")
        {
            Description = "Where to write the figures as JSON.",
            DefaultValueFactory = _ => new FileInfo(DefaultCryptoJson),
        };
        var seconds = new Option<double>("--seconds")
        {
            Description = "Time spent measuring each operation of each implementation (after a warm-up of a quarter of it).",
            DefaultValueFactory = _ => 1.0,
        };
        seconds.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (value <= 0 || value > 600)
            {
                result.AddError("--seconds must be more than 0 and at most 600.");
            }
        });

        var crypto = new Command(
            "crypto",
            "Operations per second, single-threaded, for Ed25519 sign and verify, X25519, ChaCha20-Poly1305 seal and open of a 200-byte message " +
            "and SHA-512: MeshMessenger's managed subset code, BouncyCastle and NSec (libsodium) side by side, with the ratios.\n\n" +
            "Examples:\n  meshmsg bench crypto\n  meshmsg bench crypto --seconds 3 --out results/crypto-pi.json");
        crypto.Options.Add(json);
        crypto.Options.Add(seconds);
        crypto.Options.Add(printJson);
        crypto.SetAction(parse => Report(parse.GetValue(printJson), parse.GetValue(json)!, console => RunCrypto(parse.GetValue(seconds), parse.GetValue(json)!, console)));

        var protocolJson = new Option<FileInfo>("--out")
        {
            Description = "Where to write the figures as JSON.",
            DefaultValueFactory = _ => new FileInfo(DefaultProtocolJson),
        };
        var protocol = new Command(
            "protocol",
            "Operations per second, single-threaded, of the protocol core: composing a direct message, checking a received frame " +
            "(what a relay or gateway does before storing), opening it, and accepting a chain into a store.\n\n" +
            "Examples:\n  meshmsg bench protocol\n  meshmsg bench protocol --seconds 3 --out results/protocol-pi.json");
        protocol.Options.Add(protocolJson);
        protocol.Options.Add(seconds);
        protocol.Options.Add(printJson);
        protocol.SetAction(parse => Report(parse.GetValue(printJson), parse.GetValue(protocolJson)!, console => RunProtocol(parse.GetValue(seconds), parse.GetValue(protocolJson)!, console)));

        var emulatorJson = new Option<FileInfo>("--out")
        {
            Description = "Where to write the figures as JSON.",
            DefaultValueFactory = _ => new FileInfo(DefaultEmulatorJson),
        };
        var emulatorScenario = new Option<string>("--scenario")
        {
            Description = "Scenario file or bundled name to run.",
            DefaultValueFactory = _ => "bench-1000",
        };
        var emulatorNodes = new Option<int?>("--nodes") { Description = "Replace the scenario's node count." };
        var emulator = new Command(
            "emulator",
            "How fast the emulator runs a large mesh: by default 1,000 devices on LongFast for one simulated hour with one routing " +
            "policy. Prints wall time, speed-up over real time, events per second and peak memory.\n\n" +
            "Examples:\n  meshmsg bench emulator\n  meshmsg bench emulator --nodes 300 --out results/emulator-300.json")
        {
            emulatorJson, emulatorScenario, emulatorNodes,
        };
        emulator.Options.Add(printJson);
        emulator.SetAction(parse => Report(parse.GetValue(printJson), parse.GetValue(emulatorJson)!, console => RunEmulator(parse.GetValue(emulatorScenario)!, parse.GetValue(emulatorNodes), parse.GetValue(emulatorJson)!, console)));

        var anchoringJson = new Option<FileInfo>("--out") { Description = "Where to write the figures as JSON.", DefaultValueFactory = _ => new FileInfo("results/bench-anchoring.json") };
        var anchoringRpc = new Option<string?>("--rpc") { Description = "A dev chain (id 31337) to anchor on; default: start the anvil that tests/setup.sh installs." };
        var anchoringLeaves = new Option<int>("--leaves") { Description = "Leaves in the Merkle measurement and the largest batch.", DefaultValueFactory = _ => 1_000_000 };
        var anchoring = new Command(
            "anchoring",
            "Merkle build and proof time for a million checkpoints, and gas per message for batches of 1, 100, 10,000 and 1,000,000 from real receipts.\n\n" +
            "Examples:\n  meshmsg bench anchoring\n  meshmsg bench anchoring --leaves 100000 --rpc http://127.0.0.1:8545")
        {
            anchoringJson, anchoringRpc, anchoringLeaves,
        };
        anchoring.Options.Add(printJson);
        anchoring.SetAction(parse => Report(parse.GetValue(printJson), parse.GetValue(anchoringJson)!, console => RunAnchoring(parse.GetValue(anchoringLeaves), parse.GetValue(anchoringRpc), parse.GetValue(anchoringJson)!, console)));

        var webJson = new Option<FileInfo>("--out") { Description = "Where to write the figures as JSON.", DefaultValueFactory = _ => new FileInfo(DefaultWebJson) };
        var webRuns = BoundedOption("--runs", "Runs, each in a fresh browser context with a fresh identity (2 to 100: the interval needs a spread).", 10, 2, 100);
        var webMessages = BoundedOption("--messages", "Direct messages in the conversation that is opened.", 1000, 1, 10_000);
        var web = new Command(
            "web",
            "The web app's browser node in Debian's chromium (headless) against a gateway started in this process: the first load's " +
            "compressed bytes by file, navigation to an interactive page, compose-and-send until the gateway stored the message, and " +
            "opening a conversation of 1,000 direct messages verified in the browser. Mean, standard deviation and 95 % interval " +
            "(Student's t) over the runs, against the goals: first load at most 3 MB, the conversation open within 1 s.\n\n" +
            "Examples:\n  meshmsg bench web\n  meshmsg bench web --runs 20 --out results/web-bench-pi.json")
        {
            webJson, webRuns, webMessages,
        };
        web.Options.Add(printJson);
        web.SetAction(parse => Report(parse.GetValue(printJson), parse.GetValue(webJson)!, console => RunWeb(parse.GetValue(webRuns), parse.GetValue(webMessages), parse.GetValue(webJson)!, console)));

        var paymentsJson = new Option<FileInfo>("--out") { Description = "Where to write the figures as JSON.", DefaultValueFactory = _ => new FileInfo(DefaultPaymentsJson) };
        var paymentsRuns = BoundedOption("--runs", "Seeds per payment type (2 to 100: the interval needs a spread).", 10, 2, 100);
        var paymentsSeed = new Option<int>("--seed") { Description = "The first seed; the runs use consecutive seeds.", DefaultValueFactory = _ => 1 };
        var payments = new Command(
            "payments",
            "A tip over the emulated mesh from a device three LoRa hops from the only gateway (LongFast, learned routes), against a real " +
            "anvil (Ether, ERC-20) and litecoind regtest (P2WPKH): bytes and time on air per part (reads, request entry and its fragments, " +
            "statuses, tip entry, the author's check, hop acks) and the simulated time from the tap to the author's feed showing the tip " +
            "confirmed. Mean, standard deviation and 95 % interval (Student's t) over the seeds.\n\n" +
            "Examples:\n  meshmsg bench payments\n  meshmsg bench payments --runs 20 --seed 100 --out results/payments-bench.json")
        {
            paymentsJson, paymentsRuns, paymentsSeed,
        };
        payments.Options.Add(printJson);
        payments.SetAction(parse => Report(parse.GetValue(printJson), parse.GetValue(paymentsJson)!, console => RunPayments(parse.GetValue(paymentsRuns), parse.GetValue(paymentsSeed), parse.GetValue(paymentsJson)!, console)));

        var chipJson = new Option<FileInfo>("--out") { Description = "Where to write the figures as JSON.", DefaultValueFactory = _ => new FileInfo(DefaultChipModeJson) };
        var chipScenario = new Option<string>("--scenario") { Description = "Scenario file or bundled name to run.", DefaultValueFactory = _ => "village-30" };
        var chipRuns = new Option<int>("--runs") { Description = "Seeds to run (the scenario's seed and the ones after it).", DefaultValueFactory = _ => 5 };
        var chipMode = new Command(
            "chip-mode",
            "The emulator's chip mode against its modelled channel: the same scenario and seeds with every device's radio the medium, " +
            "then the firmware's DriverRadioPort over the SX1262 and the SX1276 drivers over simulated chips. Prints delivery, airtime " +
            "and the chip mode's slowdown, each as mean ± sd over the seeds.\n\n" +
            "Examples:\n  meshmsg bench chip-mode\n  meshmsg bench chip-mode --runs 10 --scenario wipe-30")
        {
            chipJson, chipScenario, chipRuns,
        };
        chipMode.Options.Add(printJson);
        chipMode.SetAction(parse => Report(parse.GetValue(printJson), parse.GetValue(chipJson)!, console => RunChipMode(parse.GetValue(chipScenario)!, parse.GetValue(chipRuns), parse.GetValue(chipJson)!, console)));

        var sweepJson = new Option<FileInfo>("--out")
        {
            Description = "Where to write the figures as JSON (the runs go to a bench-sweep folder beside it).",
            DefaultValueFactory = _ => new FileInfo(DefaultSweepJson),
        };
        var sweepPlan = new Option<string>("--plan") { Description = "A sweep plan file, or the name of a bundled one.", DefaultValueFactory = _ => EmulateCommand.DefaultPlan };
        var sweepNodes = new Option<string?>("--nodes") { Description = "Comma-separated node counts (replaces the plan's)." };
        var sweepSeeds = new Option<string?>("--seeds") { Description = "Seeds: a range a-b, or a count (replaces the plan's)." };
        var sweepParallel = new Option<int>("--parallel") { Description = "Runs at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var sweepBench = new Command(
            "sweep",
            "Wall time of the whole `meshmsg emulate sweep` on this machine, run from scratch (no stored runs reused), and each point's share of it.\n\n" +
            "Examples:\n  meshmsg bench sweep\n  meshmsg bench sweep --nodes 30,100 --seeds 3")
        {
            sweepJson, sweepPlan, sweepNodes, sweepSeeds, sweepParallel,
        };
        sweepBench.Options.Add(printJson);
        sweepBench.SetAction(parse => Report(parse.GetValue(printJson), parse.GetValue(sweepJson)!, console => RunSweep(
            new SweepRequest(parse.GetValue(sweepPlan)!, parse.GetValue(sweepNodes), parse.GetValue(sweepSeeds), Parallel: parse.GetValue(sweepParallel), Fresh: true),
            parse.GetValue(sweepJson)!,
            console)));

        var bench = new Command("bench", "Benchmarks that print figures and write JSON under results/ (--out FILE to choose, --json to print it).");
        bench.Subcommands.Add(anchoring);
        bench.Subcommands.Add(crypto);
        bench.Subcommands.Add(protocol);
        bench.Subcommands.Add(emulator);
        bench.Subcommands.Add(web);
        bench.Subcommands.Add(payments);
        bench.Subcommands.Add(chipMode);
        bench.Subcommands.Add(sweepBench);
        return bench;
    }

    // An int option refused outside min..max, by a message naming the range.
    private static Option<int> BoundedOption(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < min || result.GetValueOrDefault<int>() > max)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {min:N0} to {max:N0}."));
            }
        });
        return option;
    }

    /// <summary>Runs a benchmark; with <paramref name="json"/> its table and progress go nowhere and the JSON file it wrote is printed instead.</summary>
    private static int Report(bool json, FileInfo file, Func<IAnsiConsole, int> run)
    {
        if (!json)
        {
            return run(AnsiConsole.Console);
        }

        int code = run(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No }));
        if (File.Exists(file.FullName))
        {
            Console.Out.WriteLine(File.ReadAllText(file.FullName));
        }

        return code;
    }

    public static int RunProtocol(double seconds, FileInfo json, IAnsiConsole console)
    {
        ProtocolBenchmarkReport report = null!;
        console.Status().Start("measuring", context =>
        {
            report = new ProtocolBenchmark(TimeSpan.FromSeconds(seconds)).Run(step => context.Status($"measuring {Markup.Escape(step)}"));
        });

        var table = new Table()
            .Title($"protocol core, one thread ({Markup.Escape(report.Runtime)}, {report.ProcessorCount} cores)")
            .AddColumns("operation", "per second");
        foreach (ProtocolBenchmarkRow row in report.Rows)
        {
            table.AddRow(Markup.Escape(row.Operation), Rate(row.PerSecond));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"a signed, sealed direct message carries {report.SingleFrameTextBytes} bytes of text in a {report.DirectMessageFrameBytes}-byte LoRa frame");
        json.Directory?.Create();
        File.WriteAllText(json.FullName, JsonSerializer.Serialize(report, JsonOptions));
        console.MarkupLineInterpolated($"figures written to [bold]{json.FullName}[/]");
        return 0;
    }

    public static int RunChipMode(string scenarioName, int runs, FileInfo json, IAnsiConsole console)
    {
        Scenario scenario;
        try
        {
            scenario = EmulateCommand.LoadScenario(scenarioName);
            if (runs is < 1 or > 100)
            {
                throw new ScenarioException($"--runs must be 1..100, got {runs}");
            }
        }
        catch (ScenarioException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        string policy = scenario.Policies[0];
        DateTimeOffset started = DateTimeOffset.UtcNow;
        string[] radios = ["medium", "sx1262", "sx1276"];
        var results = radios.ToDictionary(r => r, _ => new List<EmulationResult>());
        int[] seeds = Enumerable.Range(scenario.Seed, runs).ToArray();
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(ctx =>
        {
            ProgressTask task = ctx.AddTask(Markup.Escape($"{scenario.Name}, {runs} seeds × 3 radios"), maxValue: runs * radios.Length);
            foreach (int seed in seeds)
            {
                foreach (string radio in radios)
                {
                    Scenario s = EmulateCommand.LoadScenario(scenarioName);
                    s.Seed = seed;
                    s.Radio = radio;
                    results[radio].Add(new Emulation(s, policy).Run());
                    task.Increment(1);
                }
            }
        });

        List<EmulationResult> medium = results["medium"];
        var figures = radios.Select(r =>
        {
            List<EmulationResult> x = results[r];
            return new ChipModeRadioFigures(
                r,
                Spread.Of(x.Select(e => e.DmDeliveryPercent).ToList()),
                Spread.Of(x.Select(e => e.ReachabilityPercent).ToList()),
                Spread.Of(x.Select(e => e.TotalAirtimeSeconds).ToList()),
                Spread.Of(x.Select(e => (double)e.FramesSent).ToList()),
                Spread.Of(x.Select(e => e.WallSeconds).ToList()),
                Spread.Of(x.Select((e, i) => e.WallSeconds / Math.Max(1e-6, medium[i].WallSeconds)).ToList()));
        }).ToList();
        var report = new ChipModeBenchmarkReport(
            started,
            Environment.MachineName,
            Environment.ProcessorCount,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            scenario.Name,
            policy,
            medium[0].Nodes,
            scenario.DurationMinutes,
            seeds,
            figures);
        static string F(Spread s, string format)
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            return Markup.Escape($"{s.Mean.ToString(format, c)} ± {s.Sd.ToString(format, c)} [{s.Low95.ToString(format, c)}, {s.High95.ToString(format, c)}]");
        }

        var table = new Table()
            .Title($"chip mode against the medium: {Markup.Escape(scenario.Name)}, {policy}, n = {runs} seeds, mean ± sd [[95 % interval]] ({Markup.Escape(report.Runtime)}, {report.ProcessorCount} cores)")
            .AddColumns("radio", "DM delivery %", "post reach %", "airtime s", "frames", "wall s", "slowdown ×");
        foreach (ChipModeRadioFigures f in figures)
        {
            table.AddRow(f.Radio, F(f.DmDeliveryPercent, "F1"), F(f.ReachabilityPercent, "F1"), F(f.TotalAirtimeSeconds, "F0"), F(f.FramesSent, "F0"), F(f.WallSeconds, "F2"), F(f.SlowdownOverMedium, "F1"));
        }

        console.Write(table);
        json.Directory?.Create();
        File.WriteAllText(json.FullName, JsonSerializer.Serialize(report, JsonOptions));
        console.MarkupLineInterpolated($"figures written to [bold]{json.FullName}[/]");
        return 0;
    }

    public static int RunEmulator(string scenarioName, int? nodes, FileInfo json, IAnsiConsole console)
    {
        Scenario scenario;
        try
        {
            scenario = EmulateCommand.LoadScenario(scenarioName);
            if (nodes is { } count)
            {
                scenario = scenario.WithNodes(count);
                scenario.Validate();
            }
        }
        catch (ScenarioException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        string policy = scenario.Policies[0];
        DateTimeOffset started = DateTimeOffset.UtcNow;
        EmulationResult result = null!;
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(ctx =>
        {
            ProgressTask task = ctx.AddTask(Markup.Escape($"{scenario.Nodes} devices, {policy}"), maxValue: 1.0);
            result = new Emulation(scenario, policy).Run(f => task.Value = f);
            task.Value = 1.0;
        });

        var report = new EmulatorBenchmarkReport(
            started,
            Environment.MachineName,
            Environment.ProcessorCount,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            scenario.Name,
            policy,
            result.Nodes,
            result.Preset,
            result.DurationMinutes,
            result.WallSeconds,
            result.SpeedUp,
            result.Events,
            result.EventsPerSecond,
            result.FramesSent,
            result.SignaturesVerified,
            result.PeakMemoryMb,
            result.DmDeliveryPercent);
        var table = new Table()
            .Title($"emulator, {report.Nodes} devices on {Markup.Escape(report.Preset)}, {report.SimulatedMinutes:F0} simulated minutes ({Markup.Escape(report.Runtime)}, {report.ProcessorCount} cores)")
            .AddColumns("figure", "value");
        table.AddRow("wall time", $"{report.WallSeconds:F1} s");
        table.AddRow("speed-up over real time", $"{report.SpeedUp:F0}×");
        table.AddRow("events / events per second", $"{Rate(report.Events)} / {Rate(report.EventsPerSecond)}");
        table.AddRow("frames sent", Rate(report.FramesSent));
        table.AddRow("signatures verified", Rate(report.SignaturesVerified));
        table.AddRow("peak memory (process working set)", $"{report.PeakMemoryMb:F0} MB");
        table.AddRow("DM delivery", $"{report.DmDeliveryPercent:F1} %");
        console.Write(table);
        json.Directory?.Create();
        File.WriteAllText(json.FullName, JsonSerializer.Serialize(report, JsonOptions));
        console.MarkupLineInterpolated($"figures written to [bold]{json.FullName}[/]");
        return 0;
    }

    /// <summary>Runs the sweep of <paramref name="request"/> from scratch, prints its wall time and each point's cost, writes the JSON.</summary>
    public static int RunSweep(SweepRequest request, FileInfo json, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(json);
        SweepPlan plan;
        Scenario baseScenario;
        try
        {
            (plan, baseScenario) = EmulateCommand.LoadSweep(request);
        }
        catch (Exception e) when (e is ScenarioException or FormatException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        DateTimeOffset started = DateTimeOffset.UtcNow;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        SweepReport sweep = null!;
        string runsDir = Path.Combine(json.DirectoryName ?? ".", "bench-sweep");
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(ctx =>
        {
            ProgressTask task = ctx.AddTask("sweep", maxValue: 1.0);
            sweep = Sweep.Run(plan, baseScenario, runsDir, request.Parallel, fresh: true, (done, total, label) =>
            {
                task.Description = Markup.Escape($"{done}/{total} {label}");
                task.Value = (double)done / total;
            });
            task.Value = 1.0;
        });
        double wallSeconds = wall.Elapsed.TotalSeconds;
        double runSeconds = sweep.Runs.Sum(r => r.WallSeconds);
        var points = sweep.Runs
            .GroupBy(r => r.Scenario)
            .Select(g => new SweepPointCost(g.Key, g.First().Nodes, g.First().DurationMinutes, g.Count(), g.Sum(r => r.WallSeconds), g.Sum(r => r.Events), runSeconds <= 0 ? 0 : 100 * g.Sum(r => r.WallSeconds) / runSeconds))
            .OrderByDescending(p => p.RunSeconds)
            .ToList();
        var report = new SweepBenchmarkReport(started, Environment.MachineName, Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, request.CommandLine(), request.Parallel, sweep.Runs.Count, wallSeconds, runSeconds, sweep.Runs.Sum(r => r.Events), points);
        var table = new Table()
            .Title(Markup.Escape($"{report.Command}: {report.Runs} runs in {report.WallSeconds:F0} s wall time, {report.Parallel} at once ({report.Runtime}, {report.ProcessorCount} cores)"))
            .AddColumns("point", "nodes", "simulated min", "runs", "run time s", "events", "share %");
        foreach (SweepPointCost p in points)
        {
            table.AddRow(Markup.Escape(p.Point), $"{p.Nodes}", $"{p.SimulatedMinutes:F0}", $"{p.Runs}", $"{p.RunSeconds:F1}", Rate(p.Events), $"{p.SharePercent:F1}");
        }

        console.Write(table);
        json.Directory?.Create();
        File.WriteAllText(json.FullName, JsonSerializer.Serialize(report, JsonOptions));
        console.MarkupLineInterpolated($"figures written to [bold]{json.FullName}[/]");
        return 0;
    }

    public static int RunPayments(int runs, int seed, FileInfo json, IAnsiConsole console)
    {
        PaymentsBenchmarkReport report = null!;
        console.Status().Start("measuring", context =>
        {
            report = PaymentsBenchmark.RunAsync([PaymentKind.Ether, PaymentKind.Erc20, PaymentKind.Litecoin], runs, seed, step => context.Status(Markup.Escape(step))).GetAwaiter().GetResult();
        });

        foreach (PaymentTypeFigures type in report.Types)
        {
            var table = new Table()
                .Title($"{Markup.Escape(type.Type)} tip, {report.PayerHopsToGateway} hops to the gateway, {Markup.Escape(report.Preset)}, a block every {type.BlockSeconds:F0} s (n = {type.Seeds.Count} seeds)")
                .AddColumns("part", "frames on air", "bytes on air", "time on air, ms (mean ± sd [[95 % interval]])");
            foreach (PaymentPartFigure part in type.Parts)
            {
                table.AddRow(Markup.Escape(part.Part), $"{part.Frames.Mean:F1}", $"{part.Bytes.Mean:F0}", Stat(part.AirtimeMs, "F0"));
            }

            table.AddRow("[bold]total[/]", string.Empty, Stat(type.TotalBytes, "F0"), Stat(type.TotalAirtimeMs, "F0"));
            table.AddRow("tap → Accepted, s", string.Empty, string.Empty, Stat(type.TapToAcceptedSeconds, "F1"));
            table.AddRow("tap → tip confirmed in the author's feed, s", string.Empty, string.Empty, Stat(type.TapToConfirmedSeconds, "F1"));
            console.Write(table);
        }

        json.Directory?.Create();
        File.WriteAllText(json.FullName, JsonSerializer.Serialize(report, JsonOptions));
        console.MarkupLineInterpolated($"figures written to [bold]{json.FullName}[/]");
        return 0;
    }

    private static string Stat(Spread s, string format) => Markup.Escape(
        $"{s.Mean.ToString(format, CultureInfo.InvariantCulture)} ± {s.Sd.ToString(format, CultureInfo.InvariantCulture)} [{s.Low95.ToString(format, CultureInfo.InvariantCulture)}, {s.High95.ToString(format, CultureInfo.InvariantCulture)}]");

    public static int RunAnchoring(int leaves, string? rpc, FileInfo json, IAnsiConsole console)
    {
        if (leaves < 1 || leaves > 10_000_000)
        {
            console.MarkupLine("[red]error:[/] --leaves must be 1 to 10,000,000");
            return 2;
        }

        int[] sizes = new[] { 1, 100, 10_000, 1_000_000 }.Where(s => s <= leaves).ToArray();
        AnchoringBenchmarkReport report = null!;
        console.Status().Start("measuring", context =>
        {
            report = AnchoringBenchmark.RunAsync(leaves, sizes, rpc, step => context.Status(Markup.Escape(step))).GetAwaiter().GetResult();
        });

        var table = new Table().Title($"anchoring ({report.ProcessorCount} cores)").AddColumns("figure", "value");
        table.AddRow($"Merkle tree of {report.MerkleLeaves:N0} checkpoints", $"{report.MerkleBuildSeconds:F2} s");
        table.AddRow("inclusion proof (build + verify)", $"{report.ProofMicroseconds:F1} µs, {report.ProofHashes} hashes = {report.ProofBytes} bytes");
        foreach (AnchoringGasRow row in report.Gas)
        {
            table.AddRow($"gas, batch of {row.BatchSize:N0}", $"{row.GasUsed:N0} per anchor, {row.GasPerMessage:N4} per message");
        }

        table.AddRow("chain", Markup.Escape(report.Chain));
        console.Write(table);
        json.Directory?.Create();
        File.WriteAllText(json.FullName, JsonSerializer.Serialize(report, JsonOptions));
        console.MarkupLineInterpolated($"figures written to [bold]{json.FullName}[/]");
        return 0;
    }

    public static int RunCrypto(double seconds, FileInfo json, IAnsiConsole console)
    {
        CryptoBenchmarkReport report = null!;
        console.Status().Start("measuring", context =>
        {
            report = new CryptoBenchmark(TimeSpan.FromSeconds(seconds)).Run(step => context.Status($"measuring {Markup.Escape(step)}"));
        });

        var table = new Table()
            .Title($"operations per second, one thread ({Markup.Escape(report.Runtime)}, {report.ProcessorCount} cores)")
            .AddColumns("operation", "managed", "BouncyCastle", "NSec (libsodium)", "managed / BC", "managed / NSec");
        foreach (CryptoBenchmarkRow row in report.Rows)
        {
            table.AddRow(
                Markup.Escape(row.Operation),
                Rate(row.Managed),
                Rate(row.BouncyCastle),
                Rate(row.NSec),
                Ratio(row.ManagedVsBouncyCastle),
                Ratio(row.ManagedVsNSec));
        }

        console.Write(table);

        json.Directory?.Create();
        File.WriteAllText(json.FullName, JsonSerializer.Serialize(report, JsonOptions));
        console.MarkupLineInterpolated($"figures written to [bold]{json.FullName}[/]");
        return 0;
    }

    public static int RunWeb(int runs, int messages, FileInfo json, IAnsiConsole console)
    {
        WebBenchmarkReport report;
        try
        {
            report = console.Status().Start("starting", context =>
                new WebBenchmark(runs, messages).RunAsync(step => context.Status(Markup.Escape(step))).GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is FileNotFoundException or TimeoutException or InvalidOperationException or Microsoft.Playwright.PlaywrightException or HttpRequestException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        var table = new Table()
            .Title($"web app in {Markup.Escape(report.Browser)}, driven through {Markup.Escape(report.Driver)} ({report.ProcessorCount} cores)")
            .AddColumns("figure", "n", "mean", "std dev", "95 % interval", "goal", "met");
        foreach (WebBenchmarkFigure figure in report.Figures)
        {
            Spread s = figure.Statistics;
            table.AddRow(
                Markup.Escape(figure.Name),
                s.N.ToString(CultureInfo.InvariantCulture),
                Amount(s.Mean, figure.Unit),
                Amount(s.Sd, figure.Unit),
                $"{Amount(s.Low95, figure.Unit)} to {Amount(s.High95, figure.Unit)}",
                figure.Goal is { } goal ? "≤ " + Amount(goal, figure.Unit) : "",
                figure.GoalMet switch { true => "[green]yes[/]", false => "[red]no[/]", null => "" });
        }

        console.Write(table);
        foreach (WebBenchmarkSignatures restored in report.RestoreSignatures)
        {
            console.MarkupLineInterpolated($"restore run {restored.Run}: {restored.EntriesReceived} entries received, signatures verified: {restored.WebCrypto} by WebCrypto, {restored.Managed} managed");
        }

        var parts = new Table().Title("first load by part (compressed, mean)").AddColumns("part", "bytes", "files");
        foreach (WebLoadPart part in report.FirstLoad)
        {
            parts.AddRow(Markup.Escape(part.Part), Amount(part.MeanBytes, "bytes"), part.Files.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(parts);
        json.Directory?.Create();
        File.WriteAllText(json.FullName, JsonSerializer.Serialize(report, JsonOptions));
        console.MarkupLineInterpolated($"figures written to [bold]{json.FullName}[/]");
        return 0;
    }

    private static string Amount(double value, string unit) => unit == "bytes"
        ? (value / 1_000_000).ToString("0.000", CultureInfo.InvariantCulture) + " MB"
        : value.ToString("N1", CultureInfo.InvariantCulture) + " ms";

    private static string Rate(double opsPerSecond) => opsPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
