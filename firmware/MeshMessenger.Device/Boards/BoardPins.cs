namespace MeshMessenger.Device.Boards;

/// <summary>
/// The radio wiring of the ESP32 boards in hardware/boards/*/board.json, as constants the device build can use
/// (nanoFramework has no JSON reader in mscorlib; a test holds these to the board files). GPIO numbers are the
/// ESP32's; -1 means the line is not wired.
/// </summary>
public sealed class BoardPins
{
    private BoardPins(string name, string chip, int spiBus, int sck, int miso, int mosi, int chipSelect, int reset, int busy, int irq, bool dio2AsRfSwitch, double tcxoVoltage, bool paBoost, int maxTxPowerDbm, int serialRx, int serialTx)
    {
        Name = name;
        Chip = chip;
        SpiBus = spiBus;
        Sck = sck;
        Miso = miso;
        Mosi = mosi;
        ChipSelect = chipSelect;
        Reset = reset;
        Busy = busy;
        Irq = irq;
        Dio2AsRfSwitch = dio2AsRfSwitch;
        TcxoVoltage = tcxoVoltage;
        PaBoost = paBoost;
        MaxTxPowerDbm = maxTxPowerDbm;
        SerialRx = serialRx;
        SerialTx = serialTx;
    }

    /// <summary>Heltec WiFi LoRa 32 V3: ESP32-S3 + SX1262, 1.8 V TCXO (Heltec schematic HTIT-WB32LA V3.1).</summary>
    public static BoardPins HeltecWifiLora32V3 => new BoardPins("heltec-wifi-lora-32-v3", "SX1262", 1, 9, 11, 10, 8, 12, 13, 14, true, 1.8, false, 22, 6, 7);

    /// <summary>LilyGO T-Beam v1.1: ESP32 + SX1276 on PA_BOOST (LilyGO LoRa-Series utilities.h).</summary>
    public static BoardPins LilygoTBeamSx1276 => new BoardPins("lilygo-t-beam-sx1276", "SX1276", 1, 5, 19, 27, 18, 23, -1, 26, false, 0, true, 20, 13, 14);

    /// <summary>LilyGO TTGO LoRa32 V2.1: ESP32 + SX1276 on PA_BOOST, wired as the T-Beam.</summary>
    public static BoardPins TtgoLora32V21 => new BoardPins("ttgo-lora32-v21", "SX1276", 1, 5, 19, 27, 18, 23, -1, 26, false, 0, true, 20, 34, 4);

    /// <summary>The board's name, as its folder under hardware/boards.</summary>
    public string Name { get; }

    /// <summary>"SX1262" or "SX1276".</summary>
    public string Chip { get; }

    /// <summary>The ESP32 SPI bus the radio is on.</summary>
    public int SpiBus { get; }

    /// <summary>SPI clock GPIO.</summary>
    public int Sck { get; }

    /// <summary>SPI MISO GPIO.</summary>
    public int Miso { get; }

    /// <summary>SPI MOSI GPIO.</summary>
    public int Mosi { get; }

    /// <summary>Chip select GPIO (driven as a plain output).</summary>
    public int ChipSelect { get; }

    /// <summary>NRESET GPIO.</summary>
    public int Reset { get; }

    /// <summary>SX126x BUSY GPIO, or -1 (the SX127x has none).</summary>
    public int Busy { get; }

    /// <summary>Interrupt GPIO: DIO1 on the SX1262, DIO0 on the SX1276.</summary>
    public int Irq { get; }

    /// <summary>SX126x: DIO2 switches the antenna.</summary>
    public bool Dio2AsRfSwitch { get; }

    /// <summary>SX126x: TCXO supply on DIO3 in volts, or 0.</summary>
    public double TcxoVoltage { get; }

    /// <summary>SX127x: the antenna is on PA_BOOST.</summary>
    public bool PaBoost { get; }

    /// <summary>Highest transmit power of the board's front end, dBm.</summary>
    public int MaxTxPowerDbm { get; }

    /// <summary>GPIO the provisioning serial port (COM2) receives on: a header pin no peripheral of the board uses.</summary>
    public int SerialRx { get; }

    /// <summary>GPIO the provisioning serial port (COM2) transmits on.</summary>
    public int SerialTx { get; }

    /// <summary>Every ESP32 board.</summary>
    public static BoardPins[] All()
    {
        return new BoardPins[] { HeltecWifiLora32V3, LilygoTBeamSx1276, TtgoLora32V21 };
    }

    /// <summary>A board by name, or null.</summary>
    public static BoardPins? Find(string name)
    {
        BoardPins[] all = All();
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Name == name)
            {
                return all[i];
            }
        }

        return null;
    }
}
