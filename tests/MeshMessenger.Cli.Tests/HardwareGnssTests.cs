using System.Text.Json;
using MeshMessenger.Cli.Commands;
using MeshMessenger.Gateway.Hardware.Boards;

namespace MeshMessenger.Cli.Tests;

/// <summary>`meshmsg hardware show` lists the GNSS receiver of a Pi board with its header pins.</summary>
public sealed class HardwareGnssTests
{
    private static readonly BoardCatalog Boards = BoardCatalog.Default();

    [Theory]
    [InlineData("waveshare-sx1262-hat")]
    [InlineData("adafruit-rfm9x-bonnet")]
    [InlineData("meshadv-mini-sx1262-hat")]
    public void Show_lists_the_GNSS_receiver_with_its_pins_on_every_Pi_board(string board)
    {
        var console = new RecordingConsole();
        Assert.Equal(0, HardwareCommand.Show(Boards, board, json: false, console.Console));
        Assert.Contains("GNSS receiver (u-blox", console.Text);
        Assert.Contains("u-blox NEO-6M (or NEO-M8N) breakout on /dev/serial0 at 9600 baud", console.Text);
        // In the "other parts" table, one row per signal of the receiver: its RX on the Pi's TXD, its TX on RXD.
        Assert.Matches(@"RX\s*│ GPIO 14 \(pin 8\)", console.Text);
        Assert.Matches(@"TX\s*│ GPIO 15 \(pin 10\)", console.Text);
        Assert.Matches(@"PPS\s*│ GPIO 4 \(pin 7\)", console.Text);
        Assert.Contains("3V3 (pin 1)", console.Text);
        Assert.Contains("enable_uart=1", console.Text);
    }

    [Fact]
    public void Show_of_an_ESP32_board_has_no_GNSS_table_and_the_JSON_carries_the_block()
    {
        var console = new RecordingConsole();
        Assert.Equal(0, HardwareCommand.Show(Boards, "heltec-wifi-lora-32-v3", json: false, console.Console));
        Assert.DoesNotContain("GNSS receiver", console.Text);

        var json = new RecordingConsole();
        Assert.Equal(0, HardwareCommand.Show(Boards, "waveshare-sx1262-hat", json: true, json.Console));
        using JsonDocument document = JsonDocument.Parse(json.Text);
        JsonElement gnss = document.RootElement.EnumerateObject().First(p => p.Name.Equals("gnss", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.Equal(9600, gnss.EnumerateObject().First(p => p.Name.Equals("baud", StringComparison.OrdinalIgnoreCase)).Value.GetInt32());
    }
}
