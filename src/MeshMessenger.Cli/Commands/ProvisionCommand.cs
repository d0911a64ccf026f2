using System.CommandLine;
using System.Diagnostics;
using System.IO.Ports;
using System.Text.Json;
using MeshMessenger.Cli.Host;
using MeshMessenger.Cli.Terminal;
using MeshMessenger.Device.Provisioning;
using MeshMessenger.Protocol.Identity;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary>
/// <c>meshmsg provision bundle</c> writes a provisioning bundle file (the provisioning request frame itself, so the file
/// is versioned and checksummed as it will travel); <c>meshmsg provision --port DEV BUNDLE</c> sends it to a device's
/// serial port and prints what the device confirmed (docs/firmware.md, "Provisioning").
/// </summary>
public static class ProvisionCommand
{
    public static Command Create()
    {
        var identity = new Option<string>("--identity") { Description = "Identity file whose recovery phrase the device gets.", DefaultValueFactory = _ => IdentityFile.DefaultPath };
        var name = new Option<string?>("--name") { Description = "The device's display name (default: the identity file's)." };
        var region = new Option<string>("--region") { Description = "Regulatory region (Meshtastic's names: EU_868, US, ...).", Required = true };
        var preset = new Option<string>("--preset") { Description = "Modem preset (LongFast, MediumSlow, ...).", DefaultValueFactory = _ => "LongFast" };
        var channel = new Option<string[]>("--channel") { Description = "A channel invite (MMC1:...); repeat for more (at most 8).", AllowMultipleArgumentsPerToken = false };
        var ssid = new Option<string>("--wifi-ssid") { Description = "Wi-Fi network to join.", DefaultValueFactory = _ => "" };
        var password = new Option<string>("--wifi-password") { Description = "Wi-Fi password.", DefaultValueFactory = _ => "" };
        var gatewayNode = new Option<string?>("--gateway-node") { Description = "The gateway's node id (8 hex digits)." };
        var gatewayAddress = new Option<string>("--gateway-address") { Description = "Where the gateway listens (host:port).", DefaultValueFactory = _ => "" };
        var output = new Option<string>("--out") { Description = "Bundle file to write (it holds the recovery phrase: kept private, mode 600).", Required = true };
        var restore = new Option<bool>("--restore")
        {
            Description = "The identity already has a chain (a wiped or replaced board of someone who used it before): the device asks its neighbours for the chain and sends nothing until its head is confirmed, so it never signs a sequence twice. Without it the device starts a new chain.",
        };
        var force = new Option<bool>("--force") { Description = "Replace an existing bundle file." };
        var bundleJson = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var bundle = new Command(
            "bundle",
            "Make a provisioning bundle file from an identity file and options.\n\n" +
            "Examples:\n" +
            "  meshmsg provision bundle --region EU_868 --preset LongFast --out device.mmb\n" +
            "  meshmsg provision bundle --identity alice.json --region EU_868 --restore --out alice-wiped-board.mmb\n" +
            "  meshmsg provision bundle --identity alice.json --region US --channel MMC1:... --wifi-ssid home --wifi-password secret --gateway-node 0c80b9c4 --gateway-address 192.168.1.10:4403 --out alice.mmb")
        {
            identity, name, region, preset, channel, ssid, password, gatewayNode, gatewayAddress, restore, output, force, bundleJson,
        };
        bundle.SetAction(parse => MakeBundle(
            parse.GetValue(identity)!, parse.GetValue(name), parse.GetValue(region)!, parse.GetValue(preset)!, parse.GetValue(channel) ?? [],
            parse.GetValue(ssid)!, parse.GetValue(password)!, parse.GetValue(gatewayNode), parse.GetValue(gatewayAddress)!, parse.GetValue(output)!,
            parse.GetValue(force), parse.GetValue(bundleJson), AnsiConsole.Console, parse.GetValue(restore)));

        var port = new Option<string?>("--port") { Description = "The device's serial port (/dev/ttyUSB0, /dev/ttyACM0, COM3)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the device's reply.", DefaultValueFactory = _ => 10 };
        var file = new Argument<string?>("BUNDLE") { Description = "A bundle file from `meshmsg provision bundle`.", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print what the device confirmed as JSON." };
        var command = new Command(
            "provision",
            "Provision a device over its serial port: send a bundle and print what the device stored.\n\n" +
            "Examples:\n" +
            "  meshmsg provision --port /dev/ttyUSB0 device.mmb\n" +
            "  meshmsg provision --port /dev/ttyACM0 device.mmb --timeout 20 --json\n" +
            "  meshmsg provision bundle --region EU_868 --out device.mmb")
        {
            port, timeout, file, json, bundle,
        };
        command.SetAction(parse =>
        {
            string? dev = parse.GetValue(port);
            string? path = parse.GetValue(file);
            if (dev is null || path is null)
            {
                AnsiConsole.Console.MarkupLine("[red]error:[/] give the device's port and a bundle file: meshmsg provision --port DEV BUNDLE");
                return 2;
            }

            return Send(dev, path, parse.GetValue(timeout), parse.GetValue(json), AnsiConsole.Console);
        });
        return command;
    }

    /// <summary>
    /// Writes a bundle file; 0 on success, 1 with a message naming the bad input. <paramref name="restore"/> sets the
    /// bundle's restore flag (docs/firmware.md, "Restoring an identity").
    /// </summary>
    public static int MakeBundle(string identityPath, string? name, string region, string preset, string[] channels, string ssid, string password, string? gatewayNode, string gatewayAddress, string output, bool force, bool json, IAnsiConsole console, bool restore = false)
    {
        IdentityFile file;
        try
        {
            (file, _) = IdentityFile.Load(identityPath);
        }
        catch (IdentityFileException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        uint gateway = 0;
        if (gatewayNode is not null && !NodeId.TryParse(gatewayNode, out gateway))
        {
            console.MarkupLineInterpolated($"[red]error:[/] --gateway-node {gatewayNode} is not a node id (8 hex digits)");
            return 1;
        }

        var bundle = new ProvisioningBundle(file.BackupCode, name ?? file.Name, region, preset, channels, ssid, password, gateway, gatewayAddress, restore);
        byte[] payload = bundle.Encode();
        BundleField bad = ProvisioningBundle.TryDecode(payload, 0, payload.Length, out ProvisioningBundle? valid);
        if (bad != BundleField.None || valid is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] the bundle's {bad} field is not valid ({ProvisioningBundle.RuleOf(bad)})");
            return 1;
        }

        if (payload.Length > ProvisioningFrame.MaxPayload)
        {
            console.MarkupLineInterpolated($"[red]error:[/] the bundle is {payload.Length} bytes; a device takes at most {ProvisioningFrame.MaxPayload}");
            return 1;
        }

        if (File.Exists(output) && !force)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {output} already exists; pass --force to replace it");
            return 1;
        }

        byte[] frame = ProvisioningFrame.Encode(ProvisioningFrame.RequestType, payload, 0, payload.Length);
        try
        {
            // The frame carries the recovery phrase: the file is created owner-only (0600) from its first byte, never
            // written world-readable and narrowed afterwards. A replaced file (--force) is deleted first, because the
            // create mode applies only to a file that is created.
            File.Delete(output);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(output, options);
            stream.Write(frame, 0, frame.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        string node = NodeId.ToText(valid.RestoreIdentity()!.Id);
        if (json)
        {
            RawOutput.Line(console, JsonSerializer.Serialize(new { bundle = Path.GetFullPath(output), nodeId = node, region = valid.Region, preset = valid.Preset, channels = valid.Channels.Length, restore = valid.RestoreChain, bytes = frame.Length }));
            return 0;
        }

        string start = valid.RestoreChain ? " The device restores the identity's chain from its neighbours before it sends anything." : " The device starts a new chain for the identity.";
        console.MarkupLineInterpolated($"Wrote {Path.GetFullPath(output)} ({frame.Length} bytes): node [bold]{node}[/], {valid.Region} {valid.Preset}, {valid.Channels.Length} channel(s).{start} It holds the recovery phrase: keep it private.");
        return 0;
    }

    /// <summary>Sends a bundle file and prints the device's reply; 0 only if the device stored it and confirms the same node, region, preset and channels.</summary>
    public static int Send(string portName, string path, double timeoutSeconds, bool json, IAnsiConsole console)
    {
        byte[] frame;
        try
        {
            frame = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot read {path}: {e.Message}");
            return 1;
        }

        ProvisioningBundle? expected = ReadBundle(frame, out string? problem);
        if (expected is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {path} is not a provisioning bundle ({problem}); make one with `meshmsg provision bundle`");
            return 1;
        }

        ProvisioningReply? reply;
        try
        {
            reply = Exchange(portName, frame, TimeSpan.FromSeconds(timeoutSeconds));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot use {portName}: {e.Message}");
            return 1;
        }

        if (reply is null)
        {
            console.MarkupLineInterpolated($"[red]error:[/] timeout: no reply from {portName} within {timeoutSeconds} s (is the device program running, at 115200 baud?)");
            return 1;
        }

        string expectedNode = NodeId.ToText(expected.RestoreIdentity()!.Id);
        bool matches = reply.Status == ProvisioningStatus.Ok && NodeId.ToText(reply.NodeId) == expectedNode && reply.Region == expected.Region
            && reply.Preset == expected.Preset && reply.ChannelCount == expected.Channels.Length;
        if (json)
        {
            RawOutput.Line(console, JsonSerializer.Serialize(new
            {
                status = reply.Status.ToString(), field = reply.Field.ToString(), nodeId = NodeId.ToText(reply.NodeId), region = reply.Region,
                preset = reply.Preset, channels = reply.ChannelCount, restoring = reply.Restoring, matchesBundle = matches,
            }));
        }
        else if (reply.Status == ProvisioningStatus.Ok)
        {
            console.MarkupLineInterpolated($"Device stored the bundle: node [bold]{NodeId.ToText(reply.NodeId)}[/], {reply.Region} {reply.Preset}, {reply.ChannelCount} channel(s)");
            if (reply.Restoring)
            {
                console.MarkupLine("It is restoring this identity's chain from its neighbours: it signs nothing (no message, post or receipt) until the restore ends (docs/firmware.md, \"Restoring an identity\").");
            }
            else if (expected.RestoreChain && matches)
            {
                console.MarkupLine("It already holds this identity's chain, so it carries the chain on without restoring.");
            }
        }

        if (reply.Status != ProvisioningStatus.Ok)
        {
            string field = reply.Status == ProvisioningStatus.BadBundleField ? $" ({reply.Field})" : "";
            console.MarkupLineInterpolated($"[red]error:[/] the device refused the bundle: {reply.Status}{field}");
            return 1;
        }

        if (!matches)
        {
            console.MarkupLineInterpolated($"[red]error:[/] the device confirmed something else than the bundle (expected node {expectedNode}, {expected.Region} {expected.Preset}, {expected.Channels.Length} channel(s))");
            return 1;
        }

        return 0;
    }

    /// <summary>The bundle a request frame carries, or null with the reason.</summary>
    public static ProvisioningBundle? ReadBundle(byte[] frame, out string? problem)
    {
        var receiver = new FrameReceiver();
        FrameEvent e = FrameEvent.None;
        for (int i = 0; i < frame.Length && e == FrameEvent.None; i++)
        {
            e = receiver.Feed(frame[i], 0);
        }

        if (e == FrameEvent.Rejected)
        {
            problem = receiver.Rejection.ToString();
            return null;
        }

        if (e != FrameEvent.Frame || receiver.FrameType != ProvisioningFrame.RequestType)
        {
            problem = "not a whole request frame";
            return null;
        }

        BundleField bad = ProvisioningBundle.TryDecode(receiver.Buffer, ProvisioningFrame.HeaderSize, receiver.PayloadLength, out ProvisioningBundle? bundle);
        problem = bad == BundleField.None ? null : $"bad {bad} field";
        return bundle;
    }

    /// <summary>Writes <paramref name="frame"/> to the port and returns the first reply frame, or null on timeout.</summary>
    public static ProvisioningReply? Exchange(string portName, byte[] frame, TimeSpan timeout)
    {
        // No read timeout: on Linux a timed-out Read cancels a request queued for a background I/O thread, and under load
        // that can throw or drop bytes. Reading only what BytesToRead says has arrived never blocks.
        using var port = new SerialPort(portName, 115200, Parity.None, 8, StopBits.One) { WriteTimeout = 2000 };
        port.Open();
        port.DiscardInBuffer();
        port.Write(frame, 0, frame.Length);
        var receiver = new FrameReceiver();
        var buffer = new byte[256];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            int available = port.BytesToRead;
            if (available == 0)
            {
                Thread.Sleep(10);
                continue;
            }

            int n = port.Read(buffer, 0, Math.Min(available, buffer.Length));

            for (int i = 0; i < n; i++)
            {
                if (receiver.Feed(buffer[i], clock.ElapsedMilliseconds) == FrameEvent.Frame && receiver.FrameType == ProvisioningFrame.ReplyType)
                {
                    return ProvisioningReply.TryDecode(receiver.Buffer, ProvisioningFrame.HeaderSize, receiver.PayloadLength);
                }
            }
        }

        return null;
    }
}
