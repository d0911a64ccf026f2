using MeshMessenger.Gateway.Hardware.Boards;

namespace MeshMessenger.Gateway.Hardware.Tests.Display;

/// <summary>The "display" and "button" blocks of the pin files and their checks.</summary>
public sealed class BoardDisplayFileTests
{
    private const string Valid = """
        {
          "name": "test-board", "title": "t", "host": "raspberry-pi", "chip": "SX1262",
          "spi": { "bus": 0, "chipSelectLine": 0 },
          "pins": { "chipSelect": 8, "reset": 24, "busy": 20, "irq": 16 },
          "display": { "controller": "sh1106", "bus": 1, "address": 60, "sda": 2, "scl": 3 },
          "button": { "gpio": 26 },
          "maxTxPowerDbm": 22, "configTxt": ["dtparam=spi=on", "dtparam=i2c_arm=on"]
        }
        """;

    [Theory]
    [InlineData("waveshare-sx1262-hat")]
    [InlineData("meshadv-mini-sx1262-hat")]
    public void The_HAT_pin_files_put_the_display_on_I2C1_and_the_button_on_a_free_GPIO(string name)
    {
        BoardProfile b = new BoardCatalog(SourceTree.BoardsDirectory).Load(name);
        Assert.Equal(("ssd1306", 1, 0x3C, 2, 3), (b.Display!.Controller, b.Display.Bus, b.Display.Address, b.Display.Sda, b.Display.Scl));
        Assert.Equal(26, b.Button!.Gpio);
        Assert.Contains("dtparam=i2c_arm=on", b.ConfigTxt);
        Assert.DoesNotContain(b.Pins.Assigned(), p => p.Gpio is 2 or 3 or 26);
        Assert.Equal(["display.sda", "display.scl", "button.gpio", "gnss.tx", "gnss.rx", "gnss.pps"], b.Peripherals().SelectMany(p => p.Lines()).Select(l => l.Role));
    }

    [Theory]
    [InlineData("\"controller\": \"sh1106\"", "\"controller\": \"ssd1309\"", "display.controller: 'ssd1309' is not supported")]
    [InlineData("\"address\": 60", "\"address\": 200", "display.address: 200 is not a 7-bit I2C device address")]
    [InlineData("\"sda\": 2", "\"sda\": 4", "display.sda: I2C1 on a Pi header is SDA GPIO 2 (pin 3) and SCL GPIO 3 (pin 5)")]
    [InlineData(", \"dtparam=i2c_arm=on\"", "", "configTxt: a display needs 'dtparam=i2c_arm=on'")]
    [InlineData("\"gpio\": 26", "\"gpio\": 16", "pins.irq and button.gpio: both use GPIO 16")]
    [InlineData("\"gpio\": 26", "\"gpio\": 2", "display.sda and button.gpio: both use GPIO 2")]
    [InlineData("\"gpio\": 26", "\"gpio\": 30", "button.gpio: GPIO 30 does not exist on a Raspberry Pi header")]
    [InlineData("\"gpio\": 26", "\"gpio\": 26, \"colour\": \"red\"", "colour")]
    public void A_bad_display_or_button_block_is_refused_with_the_field_named(string find, string replace, string expected)
    {
        Assert.Equal(26, BoardCatalog.Parse(Valid, "board.json").Button!.Gpio); // the base is valid
        string json = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);
        var ex = Assert.Throws<BoardFileException>(() => BoardCatalog.Parse(json, "board.json"));
        Assert.Contains(expected, ex.Message);
    }
}
