using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>
/// Loads and checks the pin files in a folder of board folders (hardware/boards/NAME/board.json). Every
/// check names the file and the field, so a wrong pin file stops the gateway at start-up with a message
/// that says what to fix.
/// </summary>
public sealed class BoardCatalog(string directory)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly double[] TcxoVoltages = [0, 1.6, 1.7, 1.8, 2.2, 2.4, 2.7, 3.0, 3.3];

    /// <summary>The folder the pin files are read from.</summary>
    public string Directory { get; } = directory;

    /// <summary>The pin files shipped next to the program, or hardware/boards of the source tree when run from it.</summary>
    public static BoardCatalog Default()
    {
        string shipped = Path.Combine(AppContext.BaseDirectory, "boards");
        if (System.IO.Directory.Exists(shipped))
        {
            return new BoardCatalog(shipped);
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "hardware", "boards");
            if (System.IO.Directory.Exists(candidate))
            {
                return new BoardCatalog(candidate);
            }
        }

        return new BoardCatalog(shipped);
    }

    /// <summary>Names of the boards that have a pin file.</summary>
    public IReadOnlyList<string> Names() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetDirectories(Directory).Where(d => File.Exists(Path.Combine(d, "board.json"))).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Loads and checks a board's pin file.</summary>
    public BoardProfile Load(string name)
    {
        string file = Path.Combine(Directory, name, "board.json");
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || !File.Exists(file))
        {
            IReadOnlyList<string> known = Names();
            throw new BoardFileException($"unknown board '{name}'; known boards: {(known.Count == 0 ? "none" : string.Join(", ", known))} (pin files in {Directory})");
        }

        BoardProfile board = Parse(File.ReadAllText(file), file);
        if (board.Name != name)
        {
            throw new BoardFileException($"{file}: name is '{board.Name}' but the folder is '{name}'");
        }

        return board;
    }

    /// <summary>Parses and checks pin-file text; <paramref name="source"/> names it in errors.</summary>
    public static BoardProfile Parse(string json, string source)
    {
        BoardProfile? board;
        try
        {
            board = JsonSerializer.Deserialize<BoardProfile>(json, Json);
        }
        catch (JsonException e)
        {
            throw new BoardFileException($"{source}: {(e.Path is { Length: > 1 } path ? $"field {path[2..]}: " : "")}{FirstSentence(e.Message)}");
        }

        if (board is null)
        {
            throw new BoardFileException($"{source}: empty pin file");
        }

        Check(board, source);
        return board;
    }

    private static void Check(BoardProfile b, string source)
    {
        void Require(bool ok, string field, string message)
        {
            if (!ok)
            {
                throw new BoardFileException($"{source}: {field}: {message}");
            }
        }

        Require(b.Name.Length > 0, "name", "missing");
        Require(b.Chip is "SX1262" or "SX1276", "chip", $"'{b.Chip}' is not supported; use SX1262 or SX1276");
        Require(b.Host is "raspberry-pi" or "esp32", "host", $"'{b.Host}' is not supported; use raspberry-pi or esp32");
        Require(b.Pins.Reset is not null, "pins.reset", "missing (the driver resets the chip at start)");
        Require(b.Pins.Irq is not null, "pins.irq", $"missing ({(b.Chip == "SX1262" ? "DIO1" : "DIO0")} tells the driver a packet was sent or received)");
        Require(b.Chip != "SX1262" || b.Pins.Busy is not null, "pins.busy", "missing: an SX1262 needs its BUSY line");
        Require(b.Chip != "SX1276" || b.Pins.Busy is null, "pins.busy", "an SX1276 has no BUSY line; remove it");
        Require(b.Spi.ChipSelectLine >= 0 || b.Pins.ChipSelect is not null, "pins.chipSelect", "missing: with spi.chipSelectLine -1 the chip select is a GPIO and must be named");
        Require(TcxoVoltages.Contains(b.TcxoVoltage), "tcxoVoltage", $"{b.TcxoVoltage} V is not one the SX126x can supply (0, 1.6, 1.7, 1.8, 2.2, 2.4, 2.7, 3.0, 3.3)");
        Require(b.MaxTxPowerDbm is > 0 and <= 22 && (b.Chip == "SX1262" || b.MaxTxPowerDbm <= 20), "maxTxPowerDbm", $"{b.MaxTxPowerDbm} dBm is beyond the {b.Chip}'s rating");

        int highest = b.IsRaspberryPi ? 27 : 48;
        var lines = b.Pins.Assigned().Select(p => (Role: "pins." + p.Role, p.Gpio)).ToList();
        if (!b.IsRaspberryPi)
        {
            Require(b.Spi.Sck is not null && b.Spi.Miso is not null && b.Spi.Mosi is not null, "spi", "an ESP32 board must name its sck, miso and mosi pins");
            lines.AddRange([("spi.sck", b.Spi.Sck!.Value), ("spi.miso", b.Spi.Miso!.Value), ("spi.mosi", b.Spi.Mosi!.Value)]);
        }
        else
        {
            Require(b.Spi.ChipSelectLine is >= -1 and <= 1, "spi.chipSelectLine", $"{b.Spi.ChipSelectLine}: a Pi has CE0 (0) and CE1 (1), or -1 for a GPIO chip select");
            int? ce = b.Spi.ChipSelectLine switch { 0 => 8, 1 => 7, _ => null };
            Require(ce is null || b.Pins.ChipSelect is null || b.Pins.ChipSelect == ce, "pins.chipSelect", $"CE{b.Spi.ChipSelectLine} is GPIO {ce}, not GPIO {b.Pins.ChipSelect}");
            Require(b.Spi.ChipSelectLine >= 0 || b.ConfigTxt.Any(l => l.Contains("spi0-0cs", StringComparison.Ordinal)), "configTxt", "a GPIO chip select needs 'dtoverlay=spi0-0cs' so the SPI driver leaves CE0 and CE1 alone");
            Require(b.ConfigTxt.Contains("dtparam=spi=on"), "configTxt", "must contain 'dtparam=spi=on'");
        }

        if (b.Display is { } display)
        {
            Require(display.Controller is "ssd1306" or "sh1106", "display.controller", $"'{display.Controller}' is not supported; use ssd1306 or sh1106");
            Require(display.Address is >= 0x08 and <= 0x77, "display.address", $"{display.Address} is not a 7-bit I2C device address (8-119; 60 is 0x3C)");
            Require(display.Bus >= 0, "display.bus", $"{display.Bus}: a bus number is 0 or more (/dev/i2c-N)");
            if (b.IsRaspberryPi)
            {
                // The header's I2C1 is fixed to GPIO 2 (SDA) and GPIO 3 (SCL): Raspberry Pi documentation, "GPIO".
                Require(display.Bus != 1 || (display.Sda == 2 && display.Scl == 3), "display.sda", "I2C1 on a Pi header is SDA GPIO 2 (pin 3) and SCL GPIO 3 (pin 5)");
                Require(b.ConfigTxt.Contains("dtparam=i2c_arm=on"), "configTxt", "a display needs 'dtparam=i2c_arm=on' so /dev/i2c-1 exists");
            }
        }

        if (b.Gnss is { } gnss)
        {
            // The PL011 UART0 is on GPIO 14 (TXD) and 15 (RXD) only (BCM2711 peripherals, section 2.1).
            Require(b.IsRaspberryPi, "gnss", "only a Raspberry Pi board carries a gateway GNSS receiver");
            Require(gnss.Module.Length > 0, "gnss.module", "missing");
            Require(gnss.Tx == 14 && gnss.Rx == 15, "gnss.tx", $"TXD/RXD {gnss.Tx}/{gnss.Rx}: UART0 is on GPIO 14 (TXD) and 15 (RXD)");
            Require(gnss.Baud is 4800 or 9600 or 19200 or 38400 or 57600 or 115200, "gnss.baud", $"{gnss.Baud} is not an NMEA receiver rate (4800 to 115200)");
            Require(gnss.SupplyRail is "3V3" or "5V", "gnss.supply", $"'{gnss.SupplyRail}' must be 3V3 or 5V");
            Require(gnss.ConfigTxt.Contains("enable_uart=1"), "gnss.configTxt", "must contain 'enable_uart=1'");
        }

        foreach (IBoardPeripheral part in b.Peripherals())
        {
            lines.AddRange(part.Lines().Select(l => (l.Role, l.Gpio)));
        }

        foreach (var (role, gpio) in lines)
        {
            Require(gpio >= 0 && gpio <= highest, role, $"GPIO {gpio} does not exist on a {(b.IsRaspberryPi ? "Raspberry Pi header (BCM 0-27)" : "ESP32 (0-48)")}");
        }

        foreach (var group in lines.GroupBy(l => l.Gpio).Where(g => g.Count() > 1))
        {
            Require(false, string.Join(" and ", group.Select(g => g.Role)), $"both use GPIO {group.Key}");
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
