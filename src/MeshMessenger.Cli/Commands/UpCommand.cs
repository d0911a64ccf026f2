using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Gateway;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary>
/// <c>meshmsg up</c>: the whole system from one command. A gateway on its embedded defaults (embedded MQTT
/// broker, SQLite, a local anvil dev chain installed on first use, anchoring every minute) with a dozen
/// emulated devices chatting, and the web app. Ctrl+C stops everything and removes the demo data.
/// </summary>
public static class UpCommand
{
    public static Command Create()
    {
        var devices = new Option<int>("--devices") { Description = "Emulated devices chatting around the gateway.", DefaultValueFactory = _ => 12 };
        var port = new Option<int>("--port") { Description = "Web app and API port (0: any free port, printed once up).", DefaultValueFactory = _ => 8080 };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "Embedded MQTT broker port.", DefaultValueFactory = _ => 1883 };
        var udpPort = new Option<int>("--udp-port") { Description = "UDP port for Wi-Fi devices (0: any free port, printed once up).", DefaultValueFactory = _ => 4403 };
        var batchSeconds = new Option<double>("--batch-seconds") { Description = "Close an anchoring batch after this many seconds.", DefaultValueFactory = _ => 60 };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Keep the gateway's data and the dev chain here, to carry on next time (default: a temporary folder, removed on exit)." };
        var noAnchoring = new Option<bool>("--no-anchoring") { Description = "Run without the local dev chain." };
        var command = new Command(
            "up",
            "Run the whole system: a gateway with its embedded MQTT broker, SQLite store, a local Ethereum dev chain (anvil, installed with npm " +
            "on first use) that anchors every minute, a dozen emulated devices chatting, and the web app. Ctrl+C stops everything cleanly.\n\n" +
            "Examples:\n  meshmsg up\n  meshmsg up --devices 30 --port 8090\n  meshmsg up --data ./demo-data --no-anchoring")
        {
            devices, port, mqttPort, udpPort, batchSeconds, data, noAnchoring,
        };
        command.SetAction((parse, ct) => RunAsync(
            new UpSettings(parse.GetValue(devices), parse.GetValue(port), parse.GetValue(mqttPort), parse.GetValue(udpPort), parse.GetValue(batchSeconds), parse.GetValue(data)?.FullName, !parse.GetValue(noAnchoring)),
            AnsiConsole.Console));
        return command;
    }

    public static async Task<int> RunAsync(UpSettings settings, IAnsiConsole console)
    {
        if (settings.Devices is < 0 or > 1000 || settings.BatchSeconds <= 0)
        {
            console.MarkupLine("[red]error:[/] --devices is 0 to 1000 and --batch-seconds is positive");
            return 2;
        }

        // --port and --udp-port take 0 (the system picks a free one as it binds, and up prints it); --mqtt-port does not:
        // the emulated devices dial the broker at the configured port (Gateway:Mqtt:Port is 1 to 65535).
        foreach ((string name, int value, int lowest) in new[] { ("--port", settings.Port, 0), ("--mqtt-port", settings.MqttPort, 1), ("--udp-port", settings.UdpPort, 0) })
        {
            if (value < lowest || value > IPEndPoint.MaxPort)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {name} is {lowest} to {IPEndPoint.MaxPort}, not {value}");
                return 2;
            }
        }

        foreach ((string name, int value, ProtocolType protocol) in new[] { ("--port", settings.Port, ProtocolType.Tcp), ("--mqtt-port", settings.MqttPort, ProtocolType.Tcp), ("--udp-port", settings.UdpPort, ProtocolType.Udp) })
        {
            if (value != 0 && !PortIsFree(value, protocol)) // 0: the system picks a free one as it binds
            {
                console.MarkupLineInterpolated($"[red]error:[/] port {value} is in use; choose another with {name}");
                return 1;
            }
        }

        string dataDirectory = settings.DataDirectory ?? Path.Combine(Path.GetTempPath(), $"meshmsg-up-{Environment.ProcessId}");
        DataDirectoryLock dataLock;
        try
        {
            // Before anvil starts: a second `up` on this folder would start a second anvil on its state file.
            dataLock = DataDirectoryLock.Acquire(dataDirectory);
        }
        catch (DataDirectoryInUseException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }

        LocalDevChain? chain = null;
        try
        {
            if (settings.Anchoring)
            {
                try
                {
                    chain = console.Status().Start("Starting the local dev chain…", ctx =>
                    {
                        string anvil = LocalDevChain.EnsureInstalled(message => ctx.Status(Markup.Escape(message)));
                        // With --data the chain is kept next to the gateway's store: its anchors must stay on the chain they name.
                        return LocalDevChain.Start(anvil, blockSeconds: 2, settings.DataDirectory is null ? null : Path.Combine(dataDirectory, "anvil-state.json"));
                    });
                }
                catch (InvalidOperationException e)
                {
                    console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                    return 1;
                }

                chain.KeepRunning(message => console.MarkupLineInterpolated($"[yellow]dev chain:[/] {message}"));

                // anvil's funded dev account; the gateway accepts the well-known keys on chain 31337 only.
                Environment.SetEnvironmentVariable(AnchoringKey.EnvironmentVariable, Convert.ToHexStringLower(LocalDevChain.Account0Key));
            }

            WebApplication app;
            try
            {
                app = GatewayHost.Build([.. GatewayArguments(settings, dataDirectory, chain)]);
            }
            catch (ConfigurationException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return 2;
            }

            await using (app)
            {
                try
                {
                    await app.StartAsync();
                }
                catch (IOException e)
                {
                    console.MarkupLineInterpolated($"[red]error:[/] {e.Message}"); // a port taken since the check above
                    return 1;
                }

                // The ports bound, which differ from the settings where they asked for 0 (any).
                int web = new Uri(app.Services.GetRequiredService<GatewayStatus>().Urls()[0]).Port;
                int udp = app.Services.GetRequiredService<MeshMessenger.Gateway.Links.UdpLink>().BoundPort;
                PrintWelcome(console, settings with { Port = web, UdpPort = udp }, dataDirectory, chain);
                await app.WaitForShutdownAsync(); // Ctrl+C or SIGTERM
            }

            console.MarkupLine("Stopped the gateway" + (chain is null ? "." : " and the dev chain."));
            return 0;
        }
        finally
        {
            chain?.Dispose();
            dataLock.Dispose();
            if (settings.DataDirectory is null)
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    /// <summary>The gateway settings <c>up</c> stands for (docs/gateway.md lists them all).</summary>
    public static IEnumerable<string> GatewayArguments(UpSettings settings, string dataDirectory, LocalDevChain? chain)
    {
        string S(double v) => v.ToString(CultureInfo.InvariantCulture);
        yield return $"--Urls=http://0.0.0.0:{settings.Port}";
        yield return "--Logging:LogLevel:Default=Warning";
        yield return "--Gateway:Name=meshmsg-up";
        yield return $"--Gateway:DataDirectory={dataDirectory}";
        yield return $"--Gateway:Emulate:Devices={settings.Devices}";
        yield return "--Gateway:Emulate:MessagesPerMinute=12";
        yield return $"--Gateway:Emulate:Seed={(settings.DataDirectory is null ? Environment.TickCount & 0xFFFF : 1)}"; // kept data: the same devices carry on
        yield return "--Gateway:Mqtt:Mode=embedded";
        yield return $"--Gateway:Mqtt:Port={settings.MqttPort}";
        yield return $"--Gateway:Udp:Port={settings.UdpPort}";
        if (settings.UdpPort == 0)
        {
            yield return "--Gateway:Udp:AnyPort=true"; // --udp-port 0: any free port (Udp:Port 0 alone turns UDP off)
        }

        yield return $"--Gateway:Anchoring:Enabled={chain is not null}";
        if (chain is not null)
        {
            yield return $"--Gateway:Anchoring:Rpc={chain.Url}";
            yield return "--Gateway:Anchoring:ChainId=31337";
            yield return $"--Gateway:Anchoring:BatchMinutes={S(settings.BatchSeconds / 60)}";
            yield return "--Gateway:Anchoring:PollSeconds=2";
        }
    }

    private static void PrintWelcome(IAnsiConsole console, UpSettings settings, string dataDirectory, LocalDevChain? chain)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("what").AddColumn("where");
        table.AddRow("[bold]Web app[/]", $"[link]http://localhost:{settings.Port}/[/]");
        foreach (string address in LanAddresses())
        {
            table.AddRow("  on your network", $"http://{address}:{settings.Port}/");
        }

        table.AddRow("Emulated devices", settings.Devices.ToString(CultureInfo.InvariantCulture));
        table.AddRow("MQTT broker (embedded)", $"mqtt://127.0.0.1:{settings.MqttPort} (loopback only)  topics mm/1/EU_868/e/#; anyone on this machine may read, publishing needs user meshmsg and the password in {Markup.Escape(Path.Combine(dataDirectory, MeshMessenger.Gateway.Mqtt.BridgeLogin.PasswordFileName))}");
        table.AddRow("Wi-Fi devices (UDP)", $"port {settings.UdpPort}");
        table.AddRow("Anchoring", chain is null ? "off" : $"anvil at {chain.Url} (chain 31337), a batch every {settings.BatchSeconds:0.#} s");
        table.AddRow("Data", Markup.Escape(dataDirectory) + (settings.DataDirectory is null ? " (removed on exit)" : ""));
        table.AddRow("Health, metrics", $"http://localhost:{settings.Port}/health, /metrics");
        console.Write(new Panel(table).Header("MeshMessenger is up").BorderColor(Color.Green));
        console.MarkupLine("Open the web app: make your identity in the browser (its keys stay there) or try a demo device, and watch the mesh. [bold]Ctrl+C[/] stops everything.");
    }

    private static IEnumerable<string> LanAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.Address.ToString())
            .Take(3);

    private static bool PortIsFree(int port, ProtocolType protocol)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, protocol == ProtocolType.Udp ? SocketType.Dgram : SocketType.Stream, protocol);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
