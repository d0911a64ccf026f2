using System.Device.Gpio;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using MeshMessenger.Gateway.Anchoring;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Hardware.Display;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Protocol.Identity;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Display;

/// <summary>
/// Drives the status display on its own thread, so a slow or hung I2C bus never holds up the gateway: opens the
/// display at start (a missing /dev/i2c-N or a device that does not acknowledge is reported in /health as degraded,
/// with the fix, and tried again every minute), updates it once a second, and turns presses of the button (from
/// the board file or Gateway:Display:ButtonPin) into page turns and the QR code.
/// </summary>
public sealed class StatusDisplayService(
    IOptions<GatewayOptions> options,
    IConfiguration configuration,
    GatewayStatus status,
    GatewayCounters counters,
    NodeDirectory directory,
    MqttBridge mqtt,
    AnchoringService anchoring,
    NodeIdentity identity,
    DisplayHealth health,
    Timekeeping.GatewayClock clock,
    ILogger<StatusDisplayService> log) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromMinutes(1);

    private volatile bool _lost;

    /// <summary>The status the display shows now.</summary>
    public DisplayStatus Snapshot()
    {
        GatewayOptions o = options.Value;
        DateTimeOffset hourAgo = clock.GetUtcNow().AddHours(-1);
        SortedDictionary<string, long> all = counters.Snapshot();
        return new DisplayStatus(
            o.Name,
            NodeId.ToText(identity.Id),
            o.Region,
            status.Problems().Count == 0 ? "ok" : "degraded",
            directory.Snapshot().Count(n => n.LastHeard >= hourAgo),
            all.Where(c => c.Key.StartsWith("frames_in_", StringComparison.Ordinal)).Sum(c => c.Value),
            all.Where(c => c.Key.StartsWith("frames_out_", StringComparison.Ordinal) && c.Key != "frames_out_held").Sum(c => c.Value),
            mqtt.State,
            AnchoringState(),
            TimeSource(),
            WebAddress());
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Display.Enabled)
        {
            return Task.CompletedTask;
        }

        return Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Run(CancellationToken stop)
    {
        DisplayOptions o = options.Value.Display;
        OledController chip = o.Controller == "sh1106" ? OledController.Sh1106 : OledController.Ssd1306;
        while (!stop.IsCancellationRequested)
        {
            OledPanel? panel = null;
            GpioController? gpio = null;
            DisplayButton? button = null;
            try
            {
                panel = OledPanel.Open(o.Bus, o.AddressValue, chip);
                var display = new StatusDisplay(panel, TimeProvider.System, TimeSpan.FromSeconds(o.DimSeconds));
                health.Ok();
                _lost = false;
                log.LogInformation("Status display {Controller} at 0x{Address:X2} on I2C bus {Bus}", chip, o.AddressValue, o.Bus);
                (gpio, button) = OpenButton(display, o);
                while (!stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)) && !_lost)
                {
                    display.Update(Snapshot());
                }
            }
            catch (HardwareException e)
            {
                Degrade(e.Message);
            }
            catch (IOException e)
            {
                Degrade($"display: stopped answering at 0x{o.AddressValue:X2} on I2C bus {o.Bus} ({e.Message}): check its wiring and power");
            }
            catch (UnauthorizedAccessException e)
            {
                Degrade($"display: I2C bus {o.Bus} could not be opened ({e.Message}): the gateway's user needs the i2c group");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever else the display or its bus throws, the gateway runs on: the display is optional.
                Degrade($"display: {e.GetType().Name}: {e.Message}");
            }
            finally
            {
                button?.Dispose();
                gpio?.Dispose();
                SwitchOff(panel, stop);
                panel?.Dispose();
            }

            stop.WaitHandle.WaitOne(Retry);
        }
    }

    private (GpioController?, DisplayButton?) OpenButton(StatusDisplay display, DisplayOptions o)
    {
        int pin = o.ButtonPin >= 0 ? o.ButtonPin : ButtonOfBoard();
        if (pin < 0)
        {
            return (null, null);
        }

        GpioController? gpio = null;
        try
        {
            gpio = new GpioController();
            var button = new DisplayButton(gpio, pin, TimeProvider.System);
            button.ShortPressed += () => Press(display.ShortPress);
            button.LongPressed += () => Press(display.LongPress);
            return (gpio, button);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The display still shows its first page and dims; only the button is missing.
            gpio?.Dispose();
            Degrade($"display button: GPIO {pin} could not be opened ({e.Message}): check Gateway:Display:ButtonPin and that the gateway's user is in the gpio group");
            return (null, null);
        }
    }

    // At shutdown the panel goes dark rather than showing figures that no longer move.
    private static void SwitchOff(OledPanel? panel, CancellationToken stop)
    {
        if (panel is null || !stop.IsCancellationRequested)
        {
            return;
        }

        try
        {
            panel.SetOn(false);
        }
        catch (IOException)
        {
            // Gone already: nothing to switch off.
        }
    }

    // Presses arrive on the GPIO driver's thread: a display lost there is reported and left to the loop to reopen.
    private void Press(Action press)
    {
        try
        {
            press();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _lost = true;
            Degrade($"display: stopped answering on a button press ({e.Message})");
        }
    }

    private int ButtonOfBoard()
    {
        RadioOptions radio = options.Value.Radio;
        if (string.IsNullOrEmpty(radio.Board))
        {
            return -1;
        }

        BoardCatalog boards = string.IsNullOrEmpty(radio.BoardsDirectory) ? BoardCatalog.Default() : new BoardCatalog(radio.BoardsDirectory);
        return boards.Load(radio.Board).Button?.Gpio ?? -1;
    }

    private void Degrade(string problem)
    {
        health.Degraded(problem);
        log.LogError("{Problem}", problem);
    }

    private string AnchoringState()
    {
        if (anchoring.Store is null)
        {
            return "off";
        }

        if (anchoring.Problem() is not null)
        {
            return "error";
        }

        int open = anchoring.Store.Unfinished().Count;
        return open == 0 ? "ok" : $"{open} open";
    }

    // Where the gateway's clock comes from. The system clock until a time source of its own reports through
    private string TimeSource() => clock.Source();

    private string WebAddress()
    {
        if (!string.IsNullOrEmpty(options.Value.Display.WebAddress))
        {
            return options.Value.Display.WebAddress;
        }

        string first = (configuration["Urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        // Kestrel's wildcard hosts ("*", "+") are not URI hosts: read them as 0.0.0.0.
        if (!Uri.TryCreate(first.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out Uri? url))
        {
            url = new Uri("http://0.0.0.0:8080");
        }

        string scheme = url.Scheme;
        int port = url.Port;
        string host = url.Host;
        if (host is "0.0.0.0" or "[::]" or "::" or "localhost")
        {
            host = LanAddress() ?? host;
        }

        return $"{scheme}://{host}:{port}";
    }

    // The first IPv4 address of an interface that is up and not loopback: what a phone on the same network reaches.
    private static string? LanAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?.ToString();
}
