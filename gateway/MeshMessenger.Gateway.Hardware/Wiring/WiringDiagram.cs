using System.Globalization;
using System.Security;
using System.Text;
using MeshMessenger.Gateway.Hardware.Boards;

namespace MeshMessenger.Gateway.Hardware.Wiring;

/// <summary>
/// Draws a board's wiring as SVG from its pin file: host pins on the left (BCM number and header pin on a
/// Pi), radio pins on the right, one coloured wire per signal. hardware/boards/NAME/wiring.svg is this
/// output, and a test keeps the two equal, so the picture cannot drift from the pin file.
/// </summary>
public static class WiringDiagram
{
    // Raspberry Pi 40-pin header: BCM GPIO → physical pin (pinout.xyz; Raspberry Pi documentation, "GPIO").
    private static readonly Dictionary<int, int> PiHeader = new()
    {
        [2] = 3, [3] = 5, [4] = 7, [14] = 8, [15] = 10, [17] = 11, [18] = 12, [27] = 13, [22] = 15, [23] = 16,
        [24] = 18, [10] = 19, [9] = 21, [25] = 22, [11] = 23, [8] = 24, [7] = 26, [0] = 27, [1] = 28, [5] = 29,
        [6] = 31, [12] = 32, [13] = 33, [19] = 35, [16] = 36, [26] = 37, [20] = 38, [21] = 40,
    };

    /// <summary>A host line as people find it: "GPIO n (pin m)" on a Pi's header, "GPIO n" on an ESP32.</summary>
    public static string HostPin(BoardProfile b, int gpio) =>
        b.IsRaspberryPi && PiHeader.TryGetValue(gpio, out int pin) ? $"GPIO {gpio} (pin {pin})" : $"GPIO {gpio}";

    /// <summary>The 40-pin header's physical pin for a BCM GPIO, or null for a GPIO not on the header.</summary>
    public static int? PiHeaderPin(int gpio) => PiHeader.TryGetValue(gpio, out int pin) ? pin : null;

    /// <summary>The wires: host side, radio side, colour.</summary>
    public static IReadOnlyList<(string Host, string Radio, string Colour)> Wires(BoardProfile b)
    {
        var wires = new List<(string, string, string)>();
        string Gpio(int gpio) => HostPin(b, gpio);
        if (b.IsRaspberryPi)
        {
            wires.Add(("3V3 (pin 1)", "VCC 3.3 V", "#d62728"));
            wires.Add(("GND (pin 6)", "GND", "#222222"));
            wires.Add((Gpio(11) + " SCLK", "SCK", "#1f77b4"));
            wires.Add((Gpio(10) + " MOSI", "MOSI", "#2ca02c"));
            wires.Add((Gpio(9) + " MISO", "MISO", "#9467bd"));
        }
        else
        {
            wires.Add(("3V3", "VCC 3.3 V", "#d62728"));
            wires.Add(("GND", "GND", "#222222"));
            wires.Add((Gpio(b.Spi.Sck!.Value) + " SCK", "SCK", "#1f77b4"));
            wires.Add((Gpio(b.Spi.Mosi!.Value) + " MOSI", "MOSI", "#2ca02c"));
            wires.Add((Gpio(b.Spi.Miso!.Value) + " MISO", "MISO", "#9467bd"));
        }

        int cs = b.Pins.ChipSelect ?? (b.Spi.ChipSelectLine == 1 ? 7 : 8);
        string csNote = b.IsRaspberryPi && b.Spi.ChipSelectLine >= 0 ? $" CE{b.Spi.ChipSelectLine}" : " (as GPIO)";
        wires.Add((Gpio(cs) + csNote, "NSS", "#ff7f0e"));
        wires.Add((Gpio(b.Pins.Reset!.Value), "NRESET", "#8c564b"));
        if (b.Pins.Busy is int busy)
        {
            wires.Add((Gpio(busy), "BUSY", "#e377c2"));
        }

        wires.Add((Gpio(b.Pins.Irq!.Value), b.Chip == "SX1262" ? "DIO1 (IRQ)" : "DIO0 (IRQ)", "#17becf"));
        if (b.Pins.RxEnable is int rx)
        {
            wires.Add((Gpio(rx), "RXEN (antenna switch)", "#bcbd22"));
        }

        if (b.Pins.TxEnable is int tx)
        {
            wires.Add((Gpio(tx), "TXEN (antenna switch)", "#7f7f7f"));
        }

        if (b.Pins.AntennaPower is int ant)
        {
            wires.Add((Gpio(ant), "antenna switch power", "#7f7f7f"));
        }

        return wires;
    }

    /// <summary>The SVG text.</summary>
    public static string Render(BoardProfile b)
    {
        IReadOnlyList<(string Host, string Radio, string Colour)> wires = Wires(b);
        const int rowHeight = 30;
        const int top = 70;
        int height = top + (wires.Count * rowHeight) + 60;
        string hostTitle = b.IsRaspberryPi ? "Raspberry Pi 40-pin header" : "ESP32 (on the board)";
        string radioTitle = b.Chip + (b.TcxoVoltage > 0 ? $", TCXO {b.TcxoVoltage.ToString("0.0", CultureInfo.InvariantCulture)} V" : "");
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"{height}\" viewBox=\"0 0 760 {height}\" font-family=\"sans-serif\" font-size=\"14\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <title>{Escape(b.Title)}: wiring</title>\n");
        svg.Append("  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"380\" y=\"28\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\">{Escape(b.Title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <rect x=\"20\" y=\"45\" width=\"250\" height=\"{(wires.Count * rowHeight) + 30}\" rx=\"8\" fill=\"#e8f4e8\" stroke=\"#2f6f2f\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"145\" y=\"62\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(hostTitle)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <rect x=\"490\" y=\"45\" width=\"250\" height=\"{(wires.Count * rowHeight) + 30}\" rx=\"8\" fill=\"#e8eef8\" stroke=\"#2f4f8f\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"615\" y=\"62\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(radioTitle)}</text>\n");
        for (int i = 0; i < wires.Count; i++)
        {
            int y = top + 15 + (i * rowHeight);
            (string host, string radio, string colour) = wires[i];
            svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"260\" y=\"{y + 5}\" text-anchor=\"end\">{Escape(host)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"  <line x1=\"270\" y1=\"{y}\" x2=\"490\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"  <circle cx=\"270\" cy=\"{y}\" r=\"4\" fill=\"{colour}\"/><circle cx=\"490\" cy=\"{y}\" r=\"4\" fill=\"{colour}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"500\" y=\"{y + 5}\">{Escape(radio)}</text>\n");
        }

        string footer = b.IsRaspberryPi
            ? "config.txt: " + string.Join("  ", b.ConfigTxt)
            : "radio wired on the board; pins for the firmware's SPI and GPIO set-up";
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"20\" y=\"{height - 20}\" font-size=\"12\" fill=\"#444444\">{Escape(footer)}</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
