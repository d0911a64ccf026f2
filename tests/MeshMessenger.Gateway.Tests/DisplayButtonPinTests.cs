using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Boards;

namespace MeshMessenger.Gateway.Tests;

/// <summary>Gateway:Display:ButtonPin may not take a line the board file gives the radio, the display's I2C or the GNSS receiver's UART.</summary>
public sealed class DisplayButtonPinTests
{
    [Theory]
    [InlineData(18, "the radio's reset line")]
    [InlineData(2, "display.sda")] // I2C1 SDA, the display's bus
    [InlineData(3, "display.scl")]
    [InlineData(15, "gnss.rx")] // UART0 RXD, wired to the GNSS receiver's TX
    public void A_button_on_another_parts_line_is_refused_naming_it(int pin, string named)
    {
        var options = new GatewayOptions { Radio = { Board = "waveshare-sx1262-hat" }, Display = { Enabled = true, ButtonPin = pin } };
        var e = Assert.Throws<ConfigurationException>(() => GatewayOptionsValidator.Validate(options, BoardCatalog.Default()));
        string problem = Assert.Single(e.Problems);
        Assert.Equal($"Gateway:Display:ButtonPin: GPIO {pin} is {named} of board 'waveshare-sx1262-hat'", problem);
    }

    [Fact]
    public void The_boards_own_button_line_and_a_free_line_are_accepted()
    {
        BoardProfile board = BoardCatalog.Default().Load("waveshare-sx1262-hat");
        foreach (int pin in new[] { board.Button!.Gpio, 12 })
        {
            var options = new GatewayOptions { Radio = { Board = "waveshare-sx1262-hat" }, Display = { Enabled = true, ButtonPin = pin } };
            Assert.Equal(board.Name, GatewayOptionsValidator.Validate(options, BoardCatalog.Default())!.Name);
        }
    }
}
