using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Ports;
using System.Text.Json;
using MeshMessenger.Cli.Commands;
using MeshMessenger.Device.Provisioning;

namespace MeshMessenger.Cli.Tests;

/// <summary>
/// `meshmsg provision` against the device program running on this machine, over a pseudo-terminal pair made by socat
/// (Debian's package; tests/setup.sh installs it): the device host build on one end, the CLI on the other.
/// </summary>
public sealed class ProvisionSerialTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"meshmsg-provision-{Guid.NewGuid():N}");
    private readonly Process _socat;
    private readonly List<Process> _devices = new();

    public ProvisionSerialTests()
    {
        Directory.CreateDirectory(_dir);
        var start = new ProcessStartInfo("socat") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-d", "-d", $"pty,raw,echo=0,link={DeviceEnd}", $"pty,raw,echo=0,link={HostEnd}" })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            _socat = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("socat is not installed; run tests/setup.sh", e);
        }

        _socat.BeginErrorReadLine();
        var wait = Stopwatch.StartNew();
        while (!(File.Exists(DeviceEnd) && File.Exists(HostEnd)) && wait.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
        }

        Assert.True(File.Exists(HostEnd), "socat made no pseudo-terminal pair");
    }

    private string DeviceEnd => Path.Combine(_dir, "device");

    private string HostEnd => Path.Combine(_dir, "host");

    private string Flash => Path.Combine(_dir, "flash");

    [Fact]
    public void The_device_confirms_the_bundle_keeps_it_across_a_restart_and_refuses_a_corrupted_frame_by_name()
    {
        (string bundle, string node) = MakeBundle("alice", "EU_868", "LongFast");
        var device = StartDevice();
        Assert.Equal("device: awaiting provisioning", device.NextLine());

        var console = new RecordingConsole();
        Assert.Equal(0, ProvisionCommand.Send(HostEnd, bundle, 20, json: true, console.Console));
        using (JsonDocument reply = JsonDocument.Parse(console.Text))
        {
            JsonElement r = reply.RootElement;
            Assert.Equal(("Ok", node, "EU_868", "LongFast", 0, true, false), (r.GetProperty("status").GetString(), r.GetProperty("nodeId").GetString(), r.GetProperty("region").GetString(),
                r.GetProperty("preset").GetString(), r.GetProperty("channels").GetInt32(), r.GetProperty("matchesBundle").GetBoolean(), r.GetProperty("restoring").GetBoolean()));
        }

        Assert.StartsWith($"device: running {node} EU_868 LongFast", device.NextLine());

        // Restarted from its flash, the device runs as the same node without being asked again.
        device.Process.Kill();
        device.Process.WaitForExit();
        var restarted = StartDevice();
        Assert.StartsWith($"device: running {node} EU_868 LongFast", restarted.NextLine());

        // One flipped byte: the device answers BadChecksum and keeps its bundle.
        byte[] corrupt = File.ReadAllBytes(bundle);
        corrupt[60] ^= 0x08;
        ProvisioningReply? refused = ProvisionCommand.Exchange(HostEnd, corrupt, TimeSpan.FromSeconds(20));
        Assert.True(refused is not null, "no reply; the device said: " + restarted.Rest());
        Assert.Equal(ProvisioningStatus.BadChecksum, refused.Status);
        Assert.Equal(node, Protocol.Identity.NodeId.ToText(refused.NodeId));

        // A corrupt bundle file never reaches a device: the CLI checks the frame's CRC itself before sending and names the
        // problem (the device's own BadChecksum refusal is asserted just above, through Exchange).
        string corruptFile = Path.Combine(_dir, "corrupt.mmb");
        File.WriteAllBytes(corruptFile, corrupt);
        var cli = new RecordingConsole();
        Assert.Equal(1, ProvisionCommand.Send(HostEnd, corruptFile, 5, json: false, cli.Console));
        Assert.Contains("BadChecksum", cli.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reply_says_whether_the_device_restores_the_identity_s_chain_or_already_holds_it()
    {
        // A wiped board given its person's phrase with --restore: it says it restores and signs nothing meanwhile.
        (string restore, string node) = MakeBundle("carol", "EU_868", "LongFast", restore: true);
        var device = StartDevice();
        Assert.Equal("device: awaiting provisioning", device.NextLine());
        var console = new RecordingConsole();
        Assert.Equal(0, ProvisionCommand.Send(HostEnd, restore, 20, json: false, console.Console));
        Assert.Contains($"node {node}", console.Text, StringComparison.Ordinal);
        Assert.Contains("restoring this identity's chain", console.Text, StringComparison.Ordinal);
        device.Process.Kill();
        device.Process.WaitForExit();
        DrainDeviceEnd();

        // A board that runs that identity with its chain (provisioned without the flag) keeps its chain and says so.
        File.Delete(Path.Combine(_dir, "carol.mmb"));
        Directory.Delete(Flash, recursive: true);
        (string plain, _) = MakeBundle("carol", "EU_868", "LongFast", keepIdentity: true);
        var board = StartDevice();
        Assert.Equal("device: awaiting provisioning", board.NextLine());
        Assert.Equal(0, ProvisionCommand.Send(HostEnd, plain, 20, json: true, new RecordingConsole().Console));
        Assert.StartsWith($"device: running {node}", board.NextLine());
        (string again, _) = MakeBundle("carol", "EU_868", "LongFast", restore: true, keepIdentity: true);
        var json = new RecordingConsole();
        Assert.Equal(0, ProvisionCommand.Send(HostEnd, again, 20, json: true, json.Console));
        using JsonDocument reply = JsonDocument.Parse(json.Text);
        Assert.Equal((true, false), (reply.RootElement.GetProperty("matchesBundle").GetBoolean(), reply.RootElement.GetProperty("restoring").GetBoolean()));
    }

    [Fact]
    public void Killed_during_the_store_the_device_comes_back_with_the_old_or_the_new_bundle_never_a_torn_one()
    {
        (string first, string firstNode) = MakeBundle("first", "EU_868", "LongFast");
        (string second, string secondNode) = MakeBundle("second", "US", "MediumSlow");
        var device = StartDevice();
        device.NextLine();
        Assert.Equal(0, ProvisionCommand.Send(HostEnd, first, 20, json: false, new RecordingConsole().Console));
        Assert.StartsWith($"device: running {firstNode}", device.NextLine());
        string current = firstNode;
        var outcomes = new HashSet<string>();
        for (int round = 0; round < 12; round++)
        {
            string next = current == firstNode ? second : first;
            byte[] frame = File.ReadAllBytes(next);
            using (var port = new SerialPort(HostEnd, 115200))
            {
                port.Open();
                port.Write(frame, 0, frame.Length);
                Thread.Sleep(round * 10); // from "not yet read" to "stored and running"
            }

            device.Process.Kill(); // SIGKILL
            device.Process.WaitForExit();
            DrainDeviceEnd();
            device = StartDevice();
            string line = device.NextLine();
            Assert.True(line.StartsWith($"device: running {firstNode} EU_868 LongFast", StringComparison.Ordinal)
                || line.StartsWith($"device: running {secondNode} US MediumSlow", StringComparison.Ordinal), line);
            current = line.Contains(firstNode, StringComparison.Ordinal) ? firstNode : secondNode;
            outcomes.Add(current == firstNode ? "first" : "second");
        }

        // Both sides were hit: killed before the store (old bundle) and after it (new bundle).
        Assert.Equal(new HashSet<string> { "first", "second" }, outcomes);
    }

    [Fact]
    public void A_bundle_file_is_owner_only_even_when_it_replaces_a_world_readable_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string identity = Path.Combine(_dir, "owner.json");
        string bundle = Path.Combine(_dir, "owner.mmb");
        Assert.Equal(0, KeygenCommand.Run("owner", identity, false, null, false, new RecordingConsole().Console));
        File.WriteAllText(bundle, "old");
        File.SetUnixFileMode(bundle, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(0, ProvisionCommand.MakeBundle(identity, null, "EU_868", "LongFast", [], "", "", null, "", bundle, true, true, new RecordingConsole().Console));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(bundle));
        Assert.NotNull(ProvisionCommand.ReadBundle(File.ReadAllBytes(bundle), out _));
    }

    private (string Path, string Node) MakeBundle(string name, string region, string preset, bool restore = false, bool keepIdentity = false)
    {
        string identity = Path.Combine(_dir, name + ".json");
        string bundle = Path.Combine(_dir, name + ".mmb");
        if (!keepIdentity)
        {
            Assert.Equal(0, KeygenCommand.Run(name, identity, false, null, false, new RecordingConsole().Console));
        }

        var console = new RecordingConsole();
        Assert.Equal(0, ProvisionCommand.MakeBundle(identity, null, region, preset, [], "", "", null, "", bundle, true, true, console.Console, restore));
        using JsonDocument made = JsonDocument.Parse(console.Text);
        return (bundle, made.RootElement.GetProperty("nodeId").GetString()!);
    }

    // A frame the killed device never read sits in the device end's input queue (socat has forwarded it there); it must
    // not reach the next device, or that one would store it and the outcome would not be the killed device's. After
    // socat has had time to forward what is in flight, flush that end's input (DiscardInBuffer is tcflush(TCIFLUSH))
    // before the next device opens it.
    private void DrainDeviceEnd()
    {
        Thread.Sleep(100);
        using var port = new SerialPort(DeviceEnd, 115200);
        port.Open();
        port.DiscardInBuffer();
    }

    private DeviceProcess StartDevice()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "MeshMessenger.Device.Host.dll"), "--serial", DeviceEnd, "--flash", Flash })
        {
            start.ArgumentList.Add(arg);
        }

        var device = new DeviceProcess(Process.Start(start)!);
        _devices.Add(device.Process);
        return device;
    }

    public void Dispose()
    {
        foreach (Process p in _devices.Append(_socat))
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit();
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            p.Dispose();
        }

        Directory.Delete(_dir, true);
    }

    private sealed class DeviceProcess
    {
        private readonly BlockingCollection<string> _lines = new();

        public DeviceProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _lines.Add(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _lines.Add("stderr: " + e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Rest()
        {
            Thread.Sleep(500);
            return string.Join(" | ", _lines.ToArray()) + (Process.HasExited ? $" (exited {Process.ExitCode})" : " (running)");
        }

        public string NextLine()
        {
            Assert.True(_lines.TryTake(out string? line, TimeSpan.FromSeconds(30)), "the device program printed nothing within 30 s");
            return line!;
        }
    }
}
