using System.Text.Json.Serialization;

namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>
/// A GNSS receiver on the Pi's UART (the "gnss" block of a pin file): where its serial lines and its optional
/// pulse-per-second line go on the header, and the config.txt lines that give the receiver the PL011 UART.
/// </summary>
public sealed record BoardGnss : IBoardPeripheral
{
    /// <summary>The receiver module, e.g. "u-blox NEO-6M".</summary>
    public string Module { get; init; } = "";

    /// <summary>The serial device the gateway reads NMEA from (Gateway:Gnss:Port).</summary>
    public string Port { get; init; } = "/dev/serial0";

    /// <summary>The receiver's NMEA baud rate (u-blox NEO-6M/M8N default: 9600).</summary>
    public int Baud { get; init; } = 9600;

    /// <summary>Pi TXD (BCM), wired to the receiver's RX: GPIO 14, header pin 8.</summary>
    public int Tx { get; init; } = 14;

    /// <summary>Pi RXD (BCM), wired to the receiver's TX: GPIO 15, header pin 10.</summary>
    public int Rx { get; init; } = 15;

    /// <summary>Pulse-per-second input (BCM), if wired; null when not.</summary>
    public int? Pps { get; init; }

    /// <summary>Supply rail the module takes from the header: "3V3" or "5V".</summary>
    [JsonPropertyName("supply")]
    public string SupplyRail { get; init; } = "3V3";

    /// <summary>Lines for /boot/firmware/config.txt that the receiver needs (UART on, PPS overlay).</summary>
    public List<string> ConfigTxt { get; init; } = [];

    /// <inheritdoc/>
    public string Part => $"GNSS receiver ({Module})";

    /// <inheritdoc/>
    public IEnumerable<(string Role, int Gpio, string Signal)> Lines()
    {
        // The Pi's TXD goes to the receiver's RX and the Pi's RXD to its TX.
        yield return ("gnss.tx", Tx, "RX");
        yield return ("gnss.rx", Rx, "TX");
        if (Pps is int pps)
        {
            yield return ("gnss.pps", pps, "PPS");
        }
    }

    /// <inheritdoc/>
    public IEnumerable<(string Signal, string Host)> Supply() =>
        [("VCC", SupplyRail == "5V" ? "5V (pin 2)" : "3V3 (pin 1)"), ("GND", "GND (pin 6)")];
}
