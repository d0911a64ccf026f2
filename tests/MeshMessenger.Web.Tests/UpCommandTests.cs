using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MeshMessenger.Web.Tests;

/// <summary>The README's main command, as a user runs it: <c>meshmsg up</c> in its own process, then Ctrl+C.</summary>
public sealed class UpCommandTests
{
    [Fact]
    public async Task Meshmsg_up_serves_the_web_app_with_live_emulated_traffic_and_real_anchors_and_stops_cleanly_on_ctrl_c()
    {
        (int exitCode, string output, int pid, int web) = await RunUpAsync([], async (http, output) =>
        {
            await Until(() => Task.FromResult(Text(output).Contains("MeshMessenger is up")), "the welcome panel", output);
            Assert.Contains("<title>MeshMessenger</title>", await http.GetStringAsync("/"));

            // --udp-port 0: UDP on a port the system picked, the one the panel names.
            int udp = (await Json(http, "/health")).GetProperty("udpPort").GetInt32();
            Assert.NotEqual(0, udp);
            Assert.Matches($@"Wi-Fi devices \(UDP\)[^\n]*port {udp}\b", Text(output));
            Assert.Equal(12, (await Json(http, "/api/devices")).GetArrayLength());

            // Live traffic: the emulated devices keep writing, so the gateway's entry count grows.
            int entries = (await Json(http, "/health")).GetProperty("entries").GetInt32();
            await Until(async () => (await Json(http, "/health")).GetProperty("entries").GetInt32() > entries, "new entries from the emulated devices", output);
            await Until(async () => (await Json(http, "/api/nodes")).GetArrayLength() == 12, "all twelve devices heard", output);

            // Real anchors: a batch reaches 'final' on the local anvil.
            await Until(async () => FinalBatches(await Json(http, "/api/anchoring")) > 0, "a final anchor", output);
        });

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{output}");
        Assert.NotEqual(0, web);
        Assert.Contains("Stopped the gateway and the dev chain.", output);
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), $"meshmsg-up-{pid}")), "the demo data was left behind");
        Assert.True(PortIsFree(web), "the web port is still taken after exit");
    }

    [Fact]
    public async Task With_data_kept_a_second_meshmsg_up_carries_on_the_same_devices_and_the_same_chain()
    {
        string data = Directory.CreateTempSubdirectory("mm-up-data-").FullName;
        try
        {
            long firstRunBatches = 0;
            (int first, string firstOutput, _, _) = await RunUpAsync(["--data", data], async (http, output) =>
                await Until(async () => (firstRunBatches = FinalBatches(await Json(http, "/api/anchoring"))) > 0, "a final anchor", output));
            Assert.True(first == 0, firstOutput);
            Assert.True(File.Exists(Path.Combine(data, "anvil-state.json")), "the dev chain was not saved");

            (int second, string secondOutput, _, _) = await RunUpAsync(["--data", data], async (http, output) =>
            {
                await Until(async () => FinalBatches(await Json(http, "/api/anchoring")) > firstRunBatches, "a new final anchor on the kept chain", output);
                JsonElement anchoring = await Json(http, "/api/anchoring");
                Assert.Equal(JsonValueKind.Null, anchoring.GetProperty("lastError").ValueKind);
                Assert.DoesNotContain("dropped_fork", await http.GetStringAsync("/metrics"));
            });
            Assert.True(second == 0, secondOutput);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task With_data_kept_a_second_up_is_refused_a_dead_anvil_is_restarted_and_a_SIGKILL_of_up_takes_anvil_with_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // reads /proc
        }

        string data = Directory.CreateTempSubdirectory("mm-up-lock-").FullName;
        string state = Path.Combine(data, "anvil-state.json");
        var output = new StringBuilder();
        using Process up = StartUp(["--data", data], output);
        try
        {
            await Until(() => Task.FromResult(Text(output).Contains("MeshMessenger is up")), "the welcome panel", output);
            int anvil = Assert.Single(AnvilsOn(state));

            // A second `up` on the same folder is refused before it starts a second anvil on the same state file.
            using Process second = StartUp(["--data", data], output: null);
            if (!second.WaitForExit(60_000))
            {
                second.Kill(entireProcessTree: true);
                Assert.Fail("a second `up` on the same data folder kept running");
            }

            string refused = await second.StandardOutput.ReadToEndAsync() + await second.StandardError.ReadToEndAsync();
            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"is in use by process {up.Id}", refused.ReplaceLineEndings(""));
            Assert.Equal([anvil], AnvilsOn(state));

            // anvil dies while up runs: up starts it again on the same state file, and says so.
            Process.GetProcessById(anvil).Kill();
            await Until(() => Task.FromResult(Text(output).Contains("the dev chain answers again")), "anvil restarted", output);
            int restarted = Assert.Single(AnvilsOn(state));
            Assert.NotEqual(anvil, restarted);

            // SIGKILL of up: no shutdown code runs, yet anvil goes too.
            up.Kill();
            await Until(() => Task.FromResult(AnvilsOn(state).Count == 0), "anvil to stop after its parent was killed", output);
        }
        finally
        {
            if (!up.HasExited)
            {
                up.Kill(entireProcessTree: true);
            }

            foreach (int left in AnvilsOn(state))
            {
                Process.GetProcessById(left).Kill();
            }

            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Live anvil processes (zombies aside) whose command line names <paramref name="stateFile"/>, from /proc.</summary>
    private static List<int> AnvilsOn(string stateFile)
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out int pid)
                    && File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0') is [var exe, .. var args] && Path.GetFileName(exe) == "anvil" && args.Contains(stateFile)
                    && File.ReadAllText(Path.Combine(dir, "stat")) is var stat && stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X'))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        return found;
    }

    /// <summary>
    /// `meshmsg up` on web and UDP ports the system picks (0: the welcome panel names them, so no port is probed free
    /// first, which another process could take), 5-second batches, and <paramref name="extra"/>. The embedded MQTT
    /// broker still needs a port known in advance.
    /// </summary>
    private static string[] UpArguments(string[] extra) =>
        [Path.Combine(AppContext.BaseDirectory, "meshmsg.dll"), "up", "--port", "0", "--mqtt-port", $"{FreeTcpPort()}", "--udp-port", "0", "--batch-seconds", "5", .. extra];

    /// <summary>Starts `meshmsg up`; its output goes to <paramref name="output"/> if given, else stays on its streams to read.</summary>
    private static Process StartUp(string[] extra, StringBuilder? output)
    {
        var start = new ProcessStartInfo("dotnet", UpArguments(extra))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["COLUMNS"] = "160" },
        };
        var up = new Process { StartInfo = start };
        up.Start();
        if (output is not null)
        {
            up.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            up.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            up.BeginOutputReadLine();
            up.BeginErrorReadLine();
        }

        return up;
    }

    private static long FinalBatches(JsonElement anchoring) =>
        anchoring.GetProperty("batches").EnumerateArray().Count(b => b.GetProperty("state").GetString() == "final");

    /// <summary>
    /// Runs `meshmsg up` (<see cref="UpArguments"/>), runs <paramref name="whileUp"/> against the web port the welcome
    /// panel names, then sends Ctrl+C (SIGINT).
    /// </summary>
    private static async Task<(int ExitCode, string Output, int Pid, int WebPort)> RunUpAsync(string[] extra, Func<HttpClient, StringBuilder, Task> whileUp)
    {
        var output = new StringBuilder();
        int web = 0;
        var start = new ProcessStartInfo("dotnet", UpArguments(extra))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["COLUMNS"] = "160" },
        };
        using var up = new Process { StartInfo = start };
        up.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        up.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        up.Start();
        up.BeginOutputReadLine();
        up.BeginErrorReadLine();
        try
        {
            await Until(() => Task.FromResult(Text(output).Contains("MeshMessenger is up")), "the welcome panel", output);
            web = int.Parse(Regex.Match(Text(output), @"http://localhost:(\d+)/").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{web}"), Timeout = TimeSpan.FromSeconds(10) };
            await whileUp(http, output);
        }
        finally
        {
            Process.Start("kill", ["-INT", $"{up.Id}"])!.WaitForExit();
            if (!up.WaitForExit(30_000))
            {
                up.Kill(entireProcessTree: true);
            }
        }

        up.WaitForExit();
        return (up.ExitCode, Text(output), up.Id, web);
    }

    [Fact]
    public async Task Meshmsg_up_refuses_a_port_in_use_and_names_the_option_to_change()
    {
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var up = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "meshmsg.dll"), "up", "--port", $"{port}", "--no-anchoring"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string text = await up.StandardOutput.ReadToEndAsync() + await up.StandardError.ReadToEndAsync();
        await up.WaitForExitAsync();
        Assert.Equal(1, up.ExitCode);
        Assert.Contains($"port {port} is in use; choose another with --port", text);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static async Task<JsonElement> Json(HttpClient http, string path) => JsonDocument.Parse(await http.GetStringAsync(path)).RootElement;

    private static async Task Until(Func<Task<bool>> condition, string what, StringBuilder output)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        Assert.Fail($"timed out waiting for {what}\n{Text(output)}");
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
