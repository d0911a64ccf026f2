namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>
/// A supported board as its pin file (hardware/boards/NAME/board.json) describes it: which chip, which bus
/// and pins, the chip options the board needs, the Pi's config.txt lines, currents, and parts.
/// </summary>
public sealed record BoardProfile
{
    /// <summary>Board name, as the gateway's configuration gives it.</summary>
    public string Name { get; init; } = "";

    /// <summary>Human title.</summary>
    public string Title { get; init; } = "";

    /// <summary>"raspberry-pi" or "esp32".</summary>
    public string Host { get; init; } = "";

    /// <summary>"SX1262" or "SX1276".</summary>
    public string Chip { get; init; } = "";

    /// <summary>SPI bus.</summary>
    public BoardSpi Spi { get; init; } = new();

    /// <summary>Control lines.</summary>
    public BoardPins Pins { get; init; } = new();

    /// <summary>SX126x: DIO2 drives the antenna switch.</summary>
    public bool Dio2AsRfSwitch { get; init; }

    /// <summary>SX126x: TCXO voltage on DIO3, 0 for a crystal.</summary>
    public double TcxoVoltage { get; init; }

    /// <summary>SX127x: antenna on PA_BOOST.</summary>
    public bool PaBoost { get; init; }

    /// <summary>Highest power the module is rated for.</summary>
    public int MaxTxPowerDbm { get; init; }

    /// <summary>Lines for /boot/firmware/config.txt (Raspberry Pi only).</summary>
    public List<string> ConfigTxt { get; init; } = [];

    /// <summary>Other board lines (display, GPS, buttons), for the diagram and README.</summary>
    public Dictionary<string, int> Extras { get; init; } = [];

    /// <summary>The status display on I2C, if the board has one.</summary>
    public BoardDisplay? Display { get; init; }

    /// <summary>The button that drives the status display, if the board has one.</summary>
    public BoardButton? Button { get; init; }

    /// <summary>A GNSS receiver on the Pi's UART for time (and optional position) without internet; null when the board has none.</summary>
    public BoardGnss? Gnss { get; init; }

    /// <summary>Currents for the power budget.</summary>
    public BoardPower Power { get; init; } = new();

    /// <summary>Bill of materials.</summary>
    public List<BoardPart> Parts { get; init; } = [];

    /// <summary>
    /// The parts besides the radio that the pin file names, in a fixed order. A further part (the GNSS receiver)
    /// joins by implementing <see cref="IBoardPeripheral"/> and being listed here; the pin checks and
    /// <c>meshmsg hardware show</c> then cover it with no other change.
    /// </summary>
    public IEnumerable<IBoardPeripheral> Peripherals()
    {
        IBoardPeripheral?[] all = [Display, Button, Gnss];
        return all.OfType<IBoardPeripheral>();
    }

    /// <summary>True for Raspberry Pi boards.</summary>
    public bool IsRaspberryPi => Host == "raspberry-pi";

    /// <summary>The Linux SPI device the gateway opens.</summary>
    public string SpiDevicePath => $"/dev/spidev{Spi.Bus}.{Math.Max(0, Spi.ChipSelectLine)}";
}
