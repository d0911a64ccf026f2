using MeshMessenger.Gateway.Hardware.Boards;

namespace MeshMessenger.Gateway.Hardware.Tests.Gnss;

/// <summary>The "gnss" block of the pin files: UART0 wiring, its checks, and hardware/README.md's wiring table.</summary>
public sealed class GnssBoardTests
{
    private const string Valid = """
        {
          "name": "test-board", "title": "t", "host": "raspberry-pi", "chip": "SX1262",
          "spi": { "bus": 0, "chipSelectLine": 0 },
          "pins": { "chipSelect": 8, "reset": 24, "busy": 20, "irq": 16 },
          "gnss": { "module": "u-blox NEO-6M", "port": "/dev/serial0", "baud": 9600, "tx": 14, "rx": 15, "pps": 4, "supply": "3V3", "configTxt": ["enable_uart=1"] },
          "maxTxPowerDbm": 22, "configTxt": ["dtparam=spi=on"]
        }
        """;

    private static readonly BoardCatalog Source = new(SourceTree.BoardsDirectory);

    [Fact]
    public void Every_Pi_board_wires_a_GNSS_receiver_to_UART0_and_no_ESP32_board_does()
    {
        foreach (string name in Source.Names())
        {
            BoardProfile b = Source.Load(name);
            if (!b.IsRaspberryPi)
            {
                Assert.Null(b.Gnss);
                continue;
            }

            BoardGnss gnss = Assert.IsType<BoardGnss>(b.Gnss);
            Assert.Equal("/dev/serial0", gnss.Port);
            Assert.Equal([("gnss.tx", 14), ("gnss.rx", 15), ("gnss.pps", 4)], gnss.Lines().Select(l => (l.Role, l.Gpio)));
            Assert.Contains("enable_uart=1", gnss.ConfigTxt);
            Assert.DoesNotContain(b.Pins.Assigned(), p => p.Gpio is 4 or 14 or 15);
        }
    }

    [Fact]
    public void The_hardware_README_has_the_GNSS_wiring_rows()
    {
        string readme = File.ReadAllText(Path.Combine(SourceTree.BoardsDirectory, "..", "README.md"));
        foreach (string row in new[] { "| GPIO 14 (TXD) | 8 |", "| GPIO 15 (RXD) | 10 |", "| GPIO 4 | 7 |", "| 3V3 | 1 |", "| GND | 6 |" })
        {
            Assert.Contains(row, readme, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\"tx\": 14", "\"tx\": 0", "gnss.tx: TXD/RXD 0/15: UART0 is on GPIO 14 (TXD) and 15 (RXD)")]
    [InlineData("\"baud\": 9600", "\"baud\": 9601", "gnss.baud: 9601 is not an NMEA receiver rate")]
    [InlineData("\"pps\": 4", "\"pps\": 16", "pins.irq and gnss.pps: both use GPIO 16")]
    [InlineData("\"configTxt\": [\"enable_uart=1\"]", "\"configTxt\": []", "gnss.configTxt: must contain 'enable_uart=1'")]
    [InlineData("\"supply\": \"3V3\"", "\"supply\": \"12V\"", "gnss.supply: '12V' must be 3V3 or 5V")]
    public void A_bad_gnss_block_is_refused_with_the_field_named(string find, string replace, string expected)
    {
        Assert.NotNull(BoardCatalog.Parse(Valid, "board.json").Gnss); // the base is valid
        string json = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);
        var ex = Assert.Throws<BoardFileException>(() => BoardCatalog.Parse(json, "board.json"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
