using System.Text.Json;
using MeshMessenger.Cli.Commands;
using MeshMessenger.Gateway.Hardware.Boards;

namespace MeshMessenger.Cli.Tests;

public sealed class HardwareTests
{
    private static readonly BoardCatalog Boards = BoardCatalog.Default();

    [Fact]
    public void Boards_lists_every_pin_file_as_json()
    {
        var console = new RecordingConsole();
        Assert.Equal(0, HardwareCommand.Boards(Boards, json: true, console.Console));
        using JsonDocument json = JsonDocument.Parse(console.Text);
        Assert.Equal(6, json.RootElement.GetArrayLength());
        Assert.Contains(json.RootElement.EnumerateArray(), b => b.GetProperty("name").GetString() == "meshadv-mini-sx1262-hat" && b.GetProperty("chip").GetString() == "SX1262");
    }

    [Fact]
    public void Show_prints_the_pins_the_config_lines_and_the_parts_total()
    {
        var console = new RecordingConsole();
        Assert.Equal(0, HardwareCommand.Show(Boards, "waveshare-sx1262-hat", json: false, console.Console));
        Assert.Contains("GPIO 21 (pin 40)", console.Text);
        Assert.Contains("dtoverlay=spi0-0cs", console.Text);
        Assert.Contains("101.00", console.Text);
    }

    [Fact]
    public void Show_lists_the_status_display_and_button_with_their_pins()
    {
        var console = new RecordingConsole();
        Assert.Equal(0, HardwareCommand.Show(Boards, "meshadv-mini-sx1262-hat", json: false, console.Console));
        Assert.Contains("other parts", console.Text);
        Assert.Contains("SSD1306 128x64 OLED, I2C1 at 0x3C", console.Text);
        Assert.Matches(@"SDA\s*│\s*GPIO 2 \(pin 3\)", console.Text);
        Assert.Matches(@"SCL\s*│\s*GPIO 3 \(pin 5\)", console.Text);
        Assert.Matches(@"button\s*│\s*GPIO 26 \(pin 37\)", console.Text);
        Assert.Matches(@"VCC\s*│\s*3V3 \(pin 17\)", console.Text);
        Assert.Matches(@"other leg\s*│\s*GND \(pin 39\)", console.Text);
        Assert.Contains("dtparam=i2c_arm=on", console.Text);

        var device = new RecordingConsole();
        Assert.Equal(0, HardwareCommand.Show(Boards, "heltec-wifi-lora-32-v3", json: false, device.Console));
        Assert.DoesNotContain("other parts", device.Text); // no display or button block: no table
    }

    [Fact]
    public void Check_on_a_machine_without_SPI_explains_how_to_enable_it()
    {
        var console = new RecordingConsole();
        string dev = Directory.CreateTempSubdirectory("dev-").FullName;
        try
        {
            Assert.Equal(1, HardwareCommand.Check(Boards, "adafruit-rfm9x-bonnet", "US", "LongFast", dev, console.Console));
            Assert.Contains("spidev0.1 not found", console.Text);
            Assert.Contains("dtparam=spi=on", console.Text);
        }
        finally
        {
            Directory.Delete(dev, recursive: true);
        }
    }

    [Fact]
    public void Power_prints_the_estimate_as_json()
    {
        var console = new RecordingConsole();
        Assert.Equal(0, HardwareCommand.Power(Boards, "heltec-wifi-lora-32-v3", "LongFast", 20, 200, 160, null, null, json: true, console.Console));
        using JsonDocument json = JsonDocument.Parse(console.Text);
        Assert.Equal(3000, json.RootElement.GetProperty("batteryMah").GetDouble());
        Assert.InRange(json.RootElement.GetProperty("averageMa").GetDouble(), 7, 8);
    }

    [Theory]
    [InlineData("no-such-board", "LongFast", "unknown board 'no-such-board'")]
    [InlineData("ttgo-lora32-v21", "Warp", "preset 'Warp' is unknown")]
    public void Bad_names_exit_1_with_the_reason(string board, string preset, string expected)
    {
        var console = new RecordingConsole();
        Assert.Equal(1, HardwareCommand.Power(Boards, board, preset, 1, 1, 100, null, null, json: false, console.Console));
        Assert.Contains(expected, console.Text);
    }

    [Fact]
    public void Wiring_writes_the_svg()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wiring-{Guid.NewGuid():N}.svg");
        try
        {
            Assert.Equal(0, HardwareCommand.Wiring(Boards, "lilygo-t-beam-sx1276", path, new RecordingConsole().Console));
            Assert.Contains("DIO0 (IRQ)", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
