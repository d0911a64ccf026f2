namespace MeshMessenger.Radio.Sx127x;

/// <summary>SX127x registers in LoRa mode (SX1276/77/78/79 datasheet rev 7, §6.4, table 41).</summary>
public static class Sx127xRegister
{
    /// <summary>FIFO read/write access.</summary>
    public const byte Fifo = 0x00;

    /// <summary>Bit 7 LongRangeMode (writable only in sleep), bit 3 LowFrequencyModeOn, bits 2:0 mode.</summary>
    public const byte OpMode = 0x01;

    /// <summary>Carrier frequency, most significant byte (then 0x07, 0x08).</summary>
    public const byte FrfMsb = 0x06;

    /// <summary>PA selection and output power.</summary>
    public const byte PaConfig = 0x09;

    /// <summary>Over-current protection.</summary>
    public const byte Ocp = 0x0B;

    /// <summary>LNA gain and boost.</summary>
    public const byte Lna = 0x0C;

    /// <summary>SPI pointer into the FIFO.</summary>
    public const byte FifoAddrPtr = 0x0D;

    /// <summary>Where transmission reads the FIFO from (reset 0x80).</summary>
    public const byte FifoTxBaseAddr = 0x0E;

    /// <summary>Where reception writes the FIFO from (reset 0x00).</summary>
    public const byte FifoRxBaseAddr = 0x0F;

    /// <summary>Start of the last packet received.</summary>
    public const byte FifoRxCurrentAddr = 0x10;

    /// <summary>Interrupt flags; a flag is cleared by writing 1 to it.</summary>
    public const byte IrqFlags = 0x12;

    /// <summary>Length of the last packet received.</summary>
    public const byte RxNbBytes = 0x13;

    /// <summary>Live modem status: 0 signal detected, 1 synchronised, 2 RX on-going, 3 header valid, 4 modem clear.</summary>
    public const byte ModemStat = 0x18;

    /// <summary>SNR of the last packet, signed, in 0.25 dB.</summary>
    public const byte PktSnrValue = 0x19;

    /// <summary>RSSI of the last packet (see §5.5.5 for the formula).</summary>
    public const byte PktRssiValue = 0x1A;

    /// <summary>Bandwidth (7:4), coding rate (3:1), implicit header (0).</summary>
    public const byte ModemConfig1 = 0x1D;

    /// <summary>Spreading factor (7:4), payload CRC on (2).</summary>
    public const byte ModemConfig2 = 0x1E;

    /// <summary>Preamble length, most significant byte (then 0x21).</summary>
    public const byte PreambleMsb = 0x20;

    /// <summary>Payload length for transmission.</summary>
    public const byte PayloadLength = 0x22;

    /// <summary>Longest payload accepted in reception.</summary>
    public const byte MaxPayloadLength = 0x23;

    /// <summary>Low-data-rate optimisation (3), AGC auto (2).</summary>
    public const byte ModemConfig3 = 0x26;

    /// <summary>Detection optimisation: 0x03 for SF7-12 (§4.1.1.2).</summary>
    public const byte DetectOptimize = 0x31;

    /// <summary>Detection threshold: 0x0A for SF7-12.</summary>
    public const byte DetectionThreshold = 0x37;

    /// <summary>LoRa sync word (0x12 private, 0x34 LoRaWAN).</summary>
    public const byte SyncWord = 0x39;

    /// <summary>DIO0 mapping in bits 7:6: 00 RxDone, 01 TxDone.</summary>
    public const byte DioMapping1 = 0x40;

    /// <summary>Silicon version: 0x12 on the SX1276/77/78/79.</summary>
    public const byte Version = 0x42;

    /// <summary>High-power PA_BOOST setting: 0x87 for +20 dBm.</summary>
    public const byte PaDac = 0x4D;

    /// <summary>The value <see cref="Version"/> must read.</summary>
    public const byte ExpectedVersion = 0x12;
}
