using System.Text.RegularExpressions;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Hardware.Wiring;

namespace MeshMessenger.Gateway.Hardware.Tests;

/// <summary>The pin files, their checks, and the pictures and READMEs that must agree with them.</summary>
public sealed partial class BoardFileTests
{
    private static readonly string[] Boards =
    [
        "adafruit-rfm9x-bonnet", "heltec-wifi-lora-32-v3", "lilygo-t-beam-sx1276",
        "meshadv-mini-sx1262-hat", "ttgo-lora32-v21", "waveshare-sx1262-hat",
    ];

    private static readonly BoardCatalog Source = new(SourceTree.BoardsDirectory);

    private const string Valid = """
        {
          "name": "test-board", "title": "t", "host": "raspberry-pi", "chip": "SX1262",
          "spi": { "bus": 0, "chipSelectLine": 0 },
          "pins": { "chipSelect": 8, "reset": 24, "busy": 20, "irq": 16 },
          "maxTxPowerDbm": 22, "configTxt": ["dtparam=spi=on"]
        }
        """;

    [Fact]
    public void Every_supported_board_has_a_pin_file_that_passes_its_checks()
    {
        Assert.Equal(Boards, Source.Names());
        Assert.Equal(Boards, BoardCatalog.Default().Names()); // shipped next to the program too
        foreach (string name in Boards)
        {
            BoardProfile b = Source.Load(name);
            Assert.Equal(name, b.Name);
            Assert.NotEmpty(b.Parts);
            Assert.True(b.Power.RadioRxMa > 0 && b.Power.RadioTxMa > b.Power.RadioRxMa, name);
        }
    }

    [Theory]
    [MemberData(nameof(BoardNames))]
    public void The_committed_wiring_picture_is_the_one_the_pin_file_draws(string name)
    {
        string committed = File.ReadAllText(Path.Combine(SourceTree.BoardsDirectory, name, "wiring.svg"));
        Assert.Equal(WiringDiagram.Render(Source.Load(name)), committed);
    }

    [Theory]
    [MemberData(nameof(BoardNames))]
    public void The_README_names_every_pin_and_config_line_of_the_pin_file(string name)
    {
        BoardProfile b = Source.Load(name);
        string readme = File.ReadAllText(Path.Combine(SourceTree.BoardsDirectory, name, "README.md"));
        foreach (var (role, gpio) in b.Pins.Assigned())
        {
            Assert.True(Regex.IsMatch(readme, $@"\| GPIO {gpio}\b"), $"{name}: README has no table row for {role} (GPIO {gpio})");
        }

        foreach (string line in b.ConfigTxt)
        {
            Assert.Contains(line, readme);
        }

        Assert.Contains("wiring.svg", readme);
        foreach (Match row in PiTableRow().Matches(readme))
        {
            // | signal | GPIO n ... | header pin |: the header pin must be GPIO n's.
            int gpio = int.Parse(row.Groups[1].Value);
            int pin = int.Parse(row.Groups[2].Value);
            Assert.Contains(WiringDiagram.Wires(b), w => w.Host.StartsWith($"GPIO {gpio} (pin {pin})", StringComparison.Ordinal));
        }
    }

    public static TheoryData<string> BoardNames() => new(Boards);

    [Theory]
    [InlineData("\"chip\": \"SX1262\"", "\"chip\": \"SX1280\"", "chip: 'SX1280' is not supported")]
    [InlineData("\"busy\": 20, ", "", "pins.busy: missing: an SX1262 needs its BUSY line")]
    [InlineData("\"reset\": 24", "\"reset\": 16", "pins.reset and pins.irq: both use GPIO 16")]
    [InlineData("\"reset\": 24", "\"reset\": 40", "reset: GPIO 40 does not exist on a Raspberry Pi header")]
    [InlineData("\"chipSelectLine\": 0", "\"chipSelectLine\": 2", "spi.chipSelectLine: 2")]
    [InlineData("\"chipSelectLine\": 0", "\"chipSelectLine\": 1", "pins.chipSelect: CE1 is GPIO 7, not GPIO 8")]
    [InlineData("\"chipSelectLine\": 0", "\"chipSelectLine\": -1", "configTxt: a GPIO chip select needs 'dtoverlay=spi0-0cs'")]
    [InlineData("\"maxTxPowerDbm\": 22", "\"maxTxPowerDbm\": 30", "maxTxPowerDbm: 30 dBm is beyond")]
    [InlineData("\"title\": \"t\"", "\"title\": \"t\", \"colour\": \"red\"", "colour")]
    [InlineData("\"reset\": 24", "\"reset\": \"twenty\"", "field pins.reset")]
    [InlineData("\"configTxt\": [\"dtparam=spi=on\"]", "\"configTxt\": []", "configTxt: must contain 'dtparam=spi=on'")]
    [InlineData("\"maxTxPowerDbm\": 22", "\"maxTxPowerDbm\": 22, \"tcxoVoltage\": 5", "tcxoVoltage: 5 V")]
    public void A_bad_pin_file_is_refused_with_the_file_and_field_named(string find, string replace, string expected)
    {
        Assert.Equal("test-board", BoardCatalog.Parse(Valid, "board.json").Name); // the base is valid
        string json = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);
        var ex = Assert.Throws<BoardFileException>(() => BoardCatalog.Parse(json, "/etc/meshmsg/board.json"));
        Assert.StartsWith("/etc/meshmsg/board.json: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void An_unknown_board_lists_the_known_ones()
    {
        var ex = Assert.Throws<BoardFileException>(() => Source.Load("raspberry-pi-with-magic-hat"));
        Assert.Contains("unknown board 'raspberry-pi-with-magic-hat'", ex.Message);
        Assert.Contains("waveshare-sx1262-hat", ex.Message);
        Assert.Throws<BoardFileException>(() => Source.Load("../boards/waveshare-sx1262-hat"));
    }

    [Fact]
    public void A_folder_whose_name_differs_from_the_pin_file_is_refused()
    {
        string dir = Directory.CreateTempSubdirectory("boards-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "other-name"));
            File.WriteAllText(Path.Combine(dir, "other-name", "board.json"), Valid);
            var ex = Assert.Throws<BoardFileException>(() => new BoardCatalog(dir).Load("other-name"));
            Assert.Contains("name is 'test-board' but the folder is 'other-name'", ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"\| GPIO (\d+)[^|]*\| (\d+) \|")]
    private static partial Regex PiTableRow();
}
