using System.CommandLine;
using System.Text.Json;
using MeshMessenger.Cli.Terminal;
using MeshMessenger.Gateway.Hardware;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Hardware.Linux;
using MeshMessenger.Gateway.Hardware.Power;
using MeshMessenger.Gateway.Hardware.Wiring;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;
using Spectre.Console;
using Region = MeshMessenger.Radio.LoRa.Region;

namespace MeshMessenger.Cli.Commands;

/// <summary><c>meshmsg hardware ...</c>: supported boards, their wiring and parts, power budgets, and a radio check on a Pi.</summary>
public static class HardwareCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var boards = new Command("boards", "List the supported boards (pin files in hardware/boards).\n\nExample:\n  meshmsg hardware boards --json") { json };
        boards.SetAction(parse => Boards(BoardCatalog.Default(), parse.GetValue(json), AnsiConsole.Console));

        var name = new Argument<string>("board") { Description = "Board name, e.g. waveshare-sx1262-hat (see `meshmsg hardware boards`)." };
        var showJson = new Option<bool>("--json") { Description = "Print the pin file as JSON." };
        var show = new Command("show", "A board's pin table, config.txt lines and bill of materials.\n\nExample:\n  meshmsg hardware show adafruit-rfm9x-bonnet") { name, showJson };
        show.SetAction(parse => Show(BoardCatalog.Default(), parse.GetValue(name)!, parse.GetValue(showJson), AnsiConsole.Console));

        var wiringName = new Argument<string>("board") { Description = "Board name." };
        var output = new Option<string>("--out") { Description = "Where to write the SVG.", DefaultValueFactory = _ => "wiring.svg" };
        var wiring = new Command("wiring", "Draw a board's wiring as SVG from its pin file.\n\nExample:\n  meshmsg hardware wiring meshadv-mini-sx1262-hat --out meshadv.svg") { wiringName, output };
        wiring.SetAction(parse => Wiring(BoardCatalog.Default(), parse.GetValue(wiringName)!, parse.GetValue(output)!, AnsiConsole.Console));

        var powerName = new Argument<string>("board") { Description = "Board name." };
        var preset = new Option<string>("--preset") { Description = "Modem preset.", DefaultValueFactory = _ => "LongFast" };
        var sent = new Option<double>("--sent") { Description = "Frames sent per hour (own messages, receipts, relays).", DefaultValueFactory = _ => 20 };
        var heard = new Option<double>("--heard") { Description = "Frames heard per hour.", DefaultValueFactory = _ => 200 };
        var bytes = new Option<int>("--bytes") { Description = "Average frame size in bytes.", DefaultValueFactory = _ => 160 };
        var active = new Option<double?>("--active-seconds") { Description = "Host time awake per frame sent or heard (default 0.5 s on an ESP32, 0.01 s on a Pi)." };
        var battery = new Option<double?>("--battery-mah") { Description = "Battery capacity (default: the board's usual battery)." };
        var powerJson = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var power = new Command(
            "power",
            "Average current and battery life from datasheet currents and the airtime model.\n\nExamples:\n  meshmsg hardware power heltec-wifi-lora-32-v3\n  meshmsg hardware power lilygo-t-beam-sx1276 --sent 60 --heard 600 --battery-mah 3400")
        {
            powerName, preset, sent, heard, bytes, active, battery, powerJson,
        };
        power.SetAction(parse => Power(
            BoardCatalog.Default(),
            parse.GetValue(powerName)!,
            parse.GetValue(preset)!,
            parse.GetValue(sent),
            parse.GetValue(heard),
            parse.GetValue(bytes),
            parse.GetValue(active),
            parse.GetValue(battery),
            parse.GetValue(powerJson),
            AnsiConsole.Console));

        var checkName = new Argument<string>("board") { Description = "Board name." };
        var region = new Option<string>("--region") { Description = "Region (frequency plan).", DefaultValueFactory = _ => "EU_868" };
        var checkPreset = new Option<string>("--preset") { Description = "Modem preset.", DefaultValueFactory = _ => "LongFast" };
        var checkJson = new Option<bool>("--json") { Description = "Print the outcome as JSON." };
        var check = new Command(
            "check",
            "On a Raspberry Pi: open the board's radio, initialise it and listen for 10 s. Says exactly what is wrong if it cannot.\n\nExample:\n  meshmsg hardware check waveshare-sx1262-hat --region US")
        {
            checkName, region, checkPreset, checkJson,
        };
        check.SetAction(parse => Check(BoardCatalog.Default(), parse.GetValue(checkName)!, parse.GetValue(region)!, parse.GetValue(checkPreset)!, "/dev", AnsiConsole.Console, parse.GetValue(checkJson)));

        return new Command("hardware", "Supported boards: pins, wiring, parts, power; check a radio on a Pi.") { boards, show, wiring, power, check };
    }

    public static int Boards(BoardCatalog catalog, bool json, IAnsiConsole console)
    {
        List<BoardProfile> all;
        try
        {
            all = catalog.Names().Select(catalog.Load).ToList();
        }
        catch (BoardFileException e)
        {
            return Fail(console, e.Message);
        }

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(all.Select(b => new { b.Name, b.Title, b.Host, b.Chip }), JsonOptions));
            return 0;
        }

        var table = new Table().Title("supported boards").AddColumns("name", "board", "chip", "runs");
        foreach (BoardProfile b in all)
        {
            table.AddRow(Markup.Escape(b.Name), Markup.Escape(b.Title), b.Chip, b.IsRaspberryPi ? "gateway" : "firmware");
        }

        console.Write(table);
        return 0;
    }

    public static int Show(BoardCatalog catalog, string name, bool json, IAnsiConsole console)
    {
        BoardProfile board;
        try
        {
            board = catalog.Load(name);
        }
        catch (BoardFileException e)
        {
            return Fail(console, e.Message);
        }

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(board, JsonOptions));
            return 0;
        }

        var pins = new Table().Title(Markup.Escape(board.Title)).AddColumns(board.IsRaspberryPi ? "Pi (BCM, header pin)" : "ESP32", "radio");
        foreach (var (host, radio, _) in WiringDiagram.Wires(board))
        {
            pins.AddRow(Markup.Escape(host), Markup.Escape(radio));
        }

        console.Write(pins);
        var others = new Table().Title("other parts").AddColumns("part", "signal", board.IsRaspberryPi ? "Pi (BCM, header pin)" : "ESP32");
        foreach (IBoardPeripheral part in board.Peripherals())
        {
            // The part's name on its first row only, so each part reads as one block.
            string label = part.Part;
            IEnumerable<(string Signal, string Host)> wires = part.Lines().Select(l => (l.Signal, WiringDiagram.HostPin(board, l.Gpio)));
            foreach (var (signal, host) in wires.Concat(board.IsRaspberryPi ? part.Supply() : []))
            {
                others.AddRow(Markup.Escape(label), Markup.Escape(signal), Markup.Escape(host));
                label = "";
            }
        }

        if (others.Rows.Count > 0)
        {
            console.Write(others);
        }

        ShowGnss(board, console);
        if (board.IsRaspberryPi)
        {
            console.MarkupLine("[bold]/boot/firmware/config.txt[/] (then reboot):");
            foreach (string line in board.ConfigTxt)
            {
                console.MarkupLineInterpolated($"  {line}");
            }
        }

        var parts = new Table().Title("bill of materials (typical retail, USD)").AddColumns("part", "USD");
        foreach (BoardPart part in board.Parts)
        {
            parts.AddRow(Markup.Escape(part.Item), part.Usd.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        }

        parts.AddRow("[bold]total[/]", $"[bold]{board.Parts.Sum(p => p.Usd).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}[/]");
        console.Write(parts);
        return 0;
    }

    // The GNSS receiver on UART0 (hardware/README.md, "GNSS receiver"): its pins are in "other parts"; here the settings and config.txt lines.
    private static void ShowGnss(BoardProfile board, IAnsiConsole console)
    {
        if (board.Gnss is not { } gnss)
        {
            return;
        }

        console.MarkupLineInterpolated($"  GNSS: {gnss.Module} on {gnss.Port} at {gnss.Baud} baud (Gateway:Gnss:Port, Gateway:Gnss:Baud)");
        foreach (string line in gnss.ConfigTxt)
        {
            console.MarkupLineInterpolated($"  config.txt for the receiver: {line}");
        }
    }

    public static int Wiring(BoardCatalog catalog, string name, string output, IAnsiConsole console)
    {
        try
        {
            File.WriteAllText(output, WiringDiagram.Render(catalog.Load(name)));
        }
        catch (BoardFileException e)
        {
            return Fail(console, e.Message);
        }

        console.MarkupLineInterpolated($"wiring written to [bold]{Path.GetFullPath(output)}[/]");
        return 0;
    }

    public static int Power(BoardCatalog catalog, string name, string presetName, double sent, double heard, int bytes, double? activeSeconds, double? batteryMah, bool json, IAnsiConsole console)
    {
        PowerEstimate estimate;
        try
        {
            BoardProfile board = catalog.Load(name);
            ModemPreset preset = ModemPreset.Find(presetName) ?? throw new BoardFileException($"preset '{presetName}' is unknown; use one of {string.Join(", ", ModemPreset.All().Select(p => p.Name))}");
            estimate = PowerBudget.Estimate(board, preset, sent, heard, bytes, activeSeconds ?? (board.IsRaspberryPi ? 0.01 : 0.5), batteryMah);
        }
        catch (BoardFileException e)
        {
            return Fail(console, e.Message);
        }
        catch (ArgumentOutOfRangeException)
        {
            return Fail(console, "--sent, --heard and --active-seconds must not be negative and --bytes must be 1 to 255");
        }

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(estimate, JsonOptions));
            return 0;
        }

        var table = new Table().Title($"power budget: {Markup.Escape(estimate.Board)} on {estimate.Preset}").AddColumns("figure", "value");
        table.AddRow("airtime of one frame", $"{estimate.FrameAirtimeMs:F0} ms ({estimate.FrameBytes} bytes)");
        table.AddRow("transmitting", $"{estimate.TransmitSecondsPerHour:F1} s per hour ({estimate.TransmitSharePercent:F2} %)");
        table.AddRow("radio / host / total", $"{estimate.RadioAverageMa:F2} / {estimate.HostAverageMa:F2} / {estimate.AverageMa:F2} mA at {estimate.SupplyVolts:F1} V");
        table.AddRow("average power", $"{estimate.AverageMw:F0} mW ({estimate.AverageMw * 24 / 1000:F2} Wh a day)");
        table.AddRow("battery life", estimate.BatteryMah > 0 ? $"{estimate.BatteryHours:F0} h ({estimate.BatteryHours / 24:F1} days) on {estimate.BatteryMah:F0} mAh" : "mains powered (give --battery-mah)");
        console.Write(table);
        return 0;
    }

    public static int Check(BoardCatalog catalog, string name, string regionName, string presetName, string devRoot, IAnsiConsole console, bool json = false)
    {
        try
        {
            BoardProfile board = catalog.Load(name);
            Region region = Region.Find(regionName) ?? throw new BoardFileException($"region '{regionName}' is unknown; use one of {string.Join(", ", Region.All().Select(r => r.Name))}");
            ModemPreset preset = ModemPreset.Find(presetName) ?? throw new BoardFileException($"preset '{presetName}' is unknown");
            LoRaTransceiver radio = BoardRadio.Open(board, LoRaRadioSettings.For(region, preset, board.MaxTxPowerDbm), devRoot);
            if (!json)
            {
                console.MarkupLineInterpolated($"{board.Chip} on {board.SpiDevicePath} initialised at {radio.Settings!.FrequencyHz / 1e6:F3} MHz, {preset.Name}, {radio.Settings.TxPowerDbm} dBm; listening 10 s");
            }

            var packet = new ReceivedPacket();
            ReceiveStatus status = radio.Receive(packet, 10_000);
            if (json)
            {
                bool heard = status == ReceiveStatus.Packet;
                RawOutput.Line(console, JsonSerializer.Serialize(new { ok = true, board = board.Name, chip = board.Chip.ToString(), spi = board.SpiDevicePath, frequencyHz = radio.Settings!.FrequencyHz, preset = preset.Name, txPowerDbm = radio.Settings.TxPowerDbm, status = status.ToString(), bytes = heard ? packet.Length : (int?)null, rssiDbm = heard ? packet.RssiDbm : (double?)null, snrDb = heard ? packet.SnrDb : (double?)null }));
            }
            else
            {
                console.MarkupLineInterpolated($"{status}{(status == ReceiveStatus.Packet ? $": {packet.Length} bytes at {packet.RssiDbm:F1} dBm, SNR {packet.SnrDb:F1} dB" : "")}");
            }

            radio.Sleep();
            return 0;
        }
        catch (Exception e) when (e is BoardFileException or HardwareException)
        {
            if (json)
            {
                RawOutput.Line(console, JsonSerializer.Serialize(new { ok = false, error = e.Message }));
                return 1;
            }

            return Fail(console, e.Message);
        }
    }

    private static int Fail(IAnsiConsole console, string message)
    {
        console.MarkupLineInterpolated($"[red]error:[/] {message}");
        return 1;
    }
}
