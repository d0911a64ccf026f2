using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;

namespace MeshMessenger.Emulator;

/// <summary>
/// Runs a <see cref="SweepPlan"/>: every (path loss, load, node count, seed, policy) as its own emulation, several at
/// once, each written to <c>runs/</c> as soon as it ends so an interrupted sweep resumes where it stopped.
/// </summary>
public static class Sweep
{
    private static readonly JsonSerializerOptions RunJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// Runs every run of <paramref name="plan"/> on <paramref name="baseScenario"/> not already stored under
    /// <paramref name="outDir"/>/runs (unless <paramref name="fresh"/>), <paramref name="parallel"/> at a time;
    /// <paramref name="progress"/> gets the runs done, the total and the label of the one that just ended.
    /// </summary>
    public static SweepReport Run(SweepPlan plan, Scenario baseScenario, string outDir, int parallel = 1, bool fresh = false, Action<int, int, string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(baseScenario);
        plan.Validate();
        string runsDir = Path.Combine(outDir, "runs");
        Directory.CreateDirectory(runsDir);
        var jobs = new List<(Scenario Scenario, string Policy, string File, double Cost)>();
        foreach (string pathLoss in plan.PathLoss)
        {
            foreach (SweepLoad load in plan.Loads)
            {
                foreach (int nodes in plan.Nodes)
                {
                    for (int seed = plan.FirstSeed; seed < plan.FirstSeed + plan.Seeds; seed++)
                    {
                        Scenario s = plan.PointScenario(baseScenario, pathLoss, load, nodes, seed);
                        foreach (string policy in s.Policies)
                        {
                            // Relayed frames grow with devices × messages; the largest runs start first so the last
                            // ones to end are short.
                            double cost = nodes * load.MessagesPerNodePerHour * s.DurationMinutes;
                            jobs.Add((s, policy, Path.Combine(runsDir, $"{s.Name}-seed{s.Seed}-{policy}-{Fingerprint(s)}.json"), cost));
                        }
                    }
                }
            }
        }

        var results = new ConcurrentDictionary<int, EmulationResult>();
        int done = 0;
        var pending = new List<int>();
        for (int i = 0; i < jobs.Count; i++)
        {
            if (!fresh && TryLoad(jobs[i].File) is { } stored)
            {
                results[i] = stored;
                done++;
            }
            else
            {
                pending.Add(i);
            }
        }

        if (done > 0)
        {
            progress?.Invoke(done, jobs.Count, $"{done} runs resumed from {runsDir}");
        }

        Parallel.ForEach(
            pending.OrderByDescending(i => jobs[i].Cost),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) },
            i =>
            {
                var job = jobs[i];
                EmulationResult r = new Emulation(job.Scenario, job.Policy).Run();
                string tmp = job.File + ".tmp";
                File.WriteAllText(tmp, JsonSerializer.Serialize(r, RunJson));
                File.Move(tmp, job.File, overwrite: true);
                results[i] = r;
                int now = Interlocked.Increment(ref done);
                progress?.Invoke(now, jobs.Count, $"{job.Scenario.Name} seed {job.Scenario.Seed} {job.Policy}: {r.WallSeconds:F1} s");
            });

        List<EmulationResult> ordered = Enumerable.Range(0, jobs.Count).Select(i => results[i]).ToList();
        return SweepReport.From(plan, baseScenario.Policies, ordered);
    }

    // A stored run is reused only for the very same scenario, policy and code: the file name carries the policy and a
    // hash of the scenario and of the emulator's, firmware's and protocol core's module ids (deterministic builds give
    // a new id only when the code changes).
    private static readonly string CodeId = string.Join(',', new[] { typeof(Sweep), typeof(Firmware.DeviceApp), typeof(Protocol.Frames.FrameCodec) }.Select(t => t.Module.ModuleVersionId));

    private static string Fingerprint(Scenario s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s.ToJson() + CodeId)))[..12];

    private static EmulationResult? TryLoad(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<EmulationResult>(File.ReadAllText(file), RunJson);
        }
        catch (JsonException)
        {
            return null; // a run cut off mid-write is run again
        }
    }
}
