using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.Hardware;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Radio.Sx127x;

/// <summary>
/// Semtech SX1276 (and SX1277/78/79, HopeRF RFM95W/96W) over its register interface, written from the
/// datasheet (SX1276/77/78/79 rev 7). A register access is one SPI transaction: the address with bit 7
/// set to write, clear to read, then data; bursts auto-increment except on RegFifo (§4.3). The chip has no
/// BUSY line; the driver polls DIO0. Wiring and a sample: README.md next to this file.
/// </summary>
public sealed class Sx1276Driver : LoRaTransceiver
{
    private const int ModeSleep = 0;
    private const int ModeStandby = 1;
    private const int ModeTx = 3;
    private const int ModeRxContinuous = 5;
    private const int ModeCad = 7;
    private const int LongRangeMode = 0x80;
    private const int IrqRxTimeout = 0x80;
    private const int IrqRxDone = 0x40;
    private const int IrqPayloadCrcError = 0x20;
    private const int IrqTxDone = 0x08;
    private const int IrqCadDone = 0x04;
    private const int IrqCadDetected = 0x01;

    private readonly byte[] _write = new byte[258];
    private readonly byte[] _read = new byte[258];
    private int _lowFrequencyBit;
    private bool _highFrequencyPort = true;

    /// <summary>Creates the driver over a bus, pins and a timer.</summary>
    public Sx1276Driver(ISpiBus spi, IRadioPins pins, IRadioTimer timer)
        : base(spi, pins, timer)
    {
    }

    /// <inheritdoc />
    public override string ChipName => "SX1276";

    /// <inheritdoc />
    protected override long SoftwareTimeoutSlackUs => 0;

    /// <inheritdoc />
    protected override void EnterStandby()
    {
        SetMode(ModeStandby);
    }

    /// <inheritdoc />
    protected override void EnterSleep()
    {
        SetMode(ModeSleep);
    }

    /// <summary>Reads one register.</summary>
    public int ReadRegister(byte address)
    {
        _write[0] = (byte)(address & 0x7F);
        _write[1] = 0;
        Spi.Transfer(_write, _read, 2);
        return _read[1];
    }

    /// <inheritdoc />
    protected override void Configure(LoRaRadioSettings settings)
    {
        LoRaModulation m = settings.Modulation;
        int bandwidthCode = BandwidthCode(m.BandwidthHz);
        int maxPower = settings.PaBoost ? 20 : 14;
        int minPower = settings.PaBoost ? 2 : 0;
        if (settings.TxPowerDbm < minPower || settings.TxPowerDbm > maxPower)
        {
            throw new RadioException(RadioError.InvalidSettings, "SX1276 transmits at " + minPower + " to " + maxPower + " dBm on " + (settings.PaBoost ? "PA_BOOST" : "RFO") + ", got " + settings.TxPowerDbm);
        }

        // Reset: NRESET low for at least 100 µs, then 5 ms before the chip is ready (§7.2.2).
        Pins.SetReset(false);
        Timer.Delay(200);
        Pins.SetReset(true);
        Timer.Delay(5000);

        int version = ReadRegister(Sx127xRegister.Version);
        if (version == 0x00 || version == 0xFF)
        {
            throw new RadioException(RadioError.ChipNotFound, "no SX127x answers on the SPI bus (RegVersion reads " + Hex(version) + "): check the chip-select line, MISO/MOSI/SCK wiring, power, and that the board name matches the hardware");
        }

        if (version != Sx127xRegister.ExpectedVersion)
        {
            throw new RadioException(RadioError.WrongChip, "RegVersion is " + Hex(version) + ", expected " + Hex(Sx127xRegister.ExpectedVersion) + " for an SX1276/77/78/79 (0x22 is an SX1272; an SX126x needs the Sx1262Driver)");
        }

        // LoRa mode can only be selected in sleep (§4.1.6, RegOpMode bit 7): FSK sleep, then LoRa sleep.
        _lowFrequencyBit = settings.FrequencyHz < 525000000 ? 0x08 : 0;
        _highFrequencyPort = settings.FrequencyHz >= 779000000;
        WriteRegister(Sx127xRegister.OpMode, ModeSleep);
        WriteRegister(Sx127xRegister.OpMode, LongRangeMode | _lowFrequencyBit | ModeSleep);
        int opMode = ReadRegister(Sx127xRegister.OpMode);
        if ((opMode & LongRangeMode) == 0)
        {
            throw new RadioException(RadioError.ChipError, "SX1276 stayed in FSK mode (RegOpMode " + Hex(opMode) + "): LoRa mode is taken only in sleep");
        }

        // Frf = f · 2^19 / 32 MHz (§4.1.4), 61.035 Hz per step.
        long frf = (settings.FrequencyHz << 19) / 32000000;
        WriteRegister(Sx127xRegister.FrfMsb, (int)(frf >> 16) & 0xFF);
        WriteRegister(Sx127xRegister.FrfMsb + 1, (int)(frf >> 8) & 0xFF);
        WriteRegister(Sx127xRegister.FrfMsb + 2, (int)frf & 0xFF);

        ConfigurePower(settings);
        WriteRegister(Sx127xRegister.Lna, 0x23); // maximum gain, LNA boost for the HF port (§5.5.3)
        WriteRegister(Sx127xRegister.FifoTxBaseAddr, 0x00);
        WriteRegister(Sx127xRegister.FifoRxBaseAddr, 0x00);
        WriteRegister(Sx127xRegister.ModemConfig1, (bandwidthCode << 4) | ((m.CodingRateDenominator - 4) << 1) | (m.ExplicitHeader ? 0 : 1));
        WriteRegister(Sx127xRegister.ModemConfig2, (m.SpreadingFactor << 4) | (m.CrcOn ? 0x04 : 0));
        WriteRegister(Sx127xRegister.ModemConfig3, (m.LowDataRateOptimize ? 0x08 : 0) | 0x04);
        WriteRegister(Sx127xRegister.PreambleMsb, m.PreambleSymbols >> 8);
        WriteRegister(Sx127xRegister.PreambleMsb + 1, m.PreambleSymbols & 0xFF);
        WriteRegister(Sx127xRegister.MaxPayloadLength, 0xFF);
        // RegDetectOptimize bits 2:0 = 0x3 for SF7-12 (§6.4, table 41); bits 7:3 are reserved and keep their value.
        WriteRegister(Sx127xRegister.DetectOptimize, (ReadRegister(Sx127xRegister.DetectOptimize) & 0xF8) | 0x03);
        WriteRegister(Sx127xRegister.DetectionThreshold, 0x0A);
        WriteRegister(Sx127xRegister.SyncWord, settings.SyncWord);
        WriteRegister(Sx127xRegister.IrqFlags, 0xFF);
        SetMode(ModeStandby);
        if (ReadRegister(Sx127xRegister.ModemConfig2) >> 4 != m.SpreadingFactor)
        {
            throw new RadioException(RadioError.ChipError, "SX1276 did not keep the modem configuration (RegModemConfig2 reads back wrong): check SPI signal integrity and clock speed");
        }
    }

    /// <inheritdoc />
    protected override void StartTransmit(byte[] payload, int offset, int count, long chipTimeoutUs)
    {
        SetMode(ModeStandby);
        WriteRegister(Sx127xRegister.FifoAddrPtr, 0x00);
        _write[0] = Sx127xRegister.Fifo | 0x80;
        System.Array.Copy(payload, offset, _write, 1, count);
        Spi.Transfer(_write, _read, count + 1);
        WriteRegister(Sx127xRegister.PayloadLength, count);
        WriteRegister(Sx127xRegister.DioMapping1, 0x40); // DIO0 = TxDone
        WriteRegister(Sx127xRegister.IrqFlags, 0xFF);
        SetMode(ModeTx);
    }

    /// <inheritdoc />
    protected override void BeginReceive(int timeoutMs)
    {
        // Continuous receive; the window is timed by the driver (RXSINGLE counts symbols, not milliseconds).
        SetMode(ModeStandby);
        WriteRegister(Sx127xRegister.DioMapping1, 0x00); // DIO0 = RxDone
        WriteRegister(Sx127xRegister.FifoAddrPtr, 0x00);
        WriteRegister(Sx127xRegister.IrqFlags, 0xFF);
        SetMode(ModeRxContinuous);
    }

    /// <inheritdoc />
    protected override RadioInterrupt ReadInterrupt(ReceivedPacket packet)
    {
        // RegIrqFlags: a flag is cleared by writing 1 to it (§6.4, table 41); DIO0 follows the mapped flag.
        int flags = ReadRegister(Sx127xRegister.IrqFlags);
        WriteRegister(Sx127xRegister.IrqFlags, flags);
        LastIrqFlags = flags;
        if ((flags & IrqTxDone) != 0)
        {
            return RadioInterrupt.TxDone;
        }

        if ((flags & IrqCadDone) != 0)
        {
            return (flags & IrqCadDetected) != 0 ? RadioInterrupt.CadDetected : RadioInterrupt.CadClear;
        }

        if ((flags & IrqRxTimeout) != 0)
        {
            return RadioInterrupt.Timeout;
        }

        if ((flags & IrqPayloadCrcError) != 0)
        {
            return RadioInterrupt.CrcError;
        }

        if ((flags & IrqRxDone) == 0)
        {
            return RadioInterrupt.None;
        }

        int length = ReadRegister(Sx127xRegister.RxNbBytes);
        WriteRegister(Sx127xRegister.FifoAddrPtr, ReadRegister(Sx127xRegister.FifoRxCurrentAddr));
        _write[0] = Sx127xRegister.Fifo;
        for (int i = 1; i <= length; i++)
        {
            _write[i] = 0;
        }

        Spi.Transfer(_write, _read, length + 1);
        System.Array.Copy(_read, 1, packet.Data, 0, length);
        packet.Length = length;

        // §5.5.5: SNR = RegPktSnrValue (signed) / 4 dB; packet RSSI = -157 + 16/15 · PacketRssi when SNR ≥ 0,
        // else -157 + PacketRssi + PacketSnr · 0.25, i.e. plus the SNR in dB. -157 on the HF port (RFI_HF,
        // bands 1 and 2 from 779 MHz), -164 on the LF port (RFI_LF, band 3 below 525 MHz).
        double snr = (sbyte)ReadRegister(Sx127xRegister.PktSnrValue) / 4.0;
        int raw = ReadRegister(Sx127xRegister.PktRssiValue);
        double offset = _highFrequencyPort ? -157 : -164;
        packet.SnrDb = snr;
        packet.RssiDbm = snr >= 0 ? offset + (raw * 16.0 / 15.0) : offset + raw + snr;
        return RadioInterrupt.Packet;
    }

    /// <inheritdoc />
    protected override int ReadReceiving()
    {
        // RegModemStat bits 0 signal detected, 1 signal synchronised, 3 header info valid (§6.4, table 41).
        int status = ReadRegister(Sx127xRegister.ModemStat);
        if ((status & 0x08) != 0)
        {
            return ReceivingHeader;
        }

        return (status & 0x03) != 0 ? ReceivingPreamble : ReceivingNothing;
    }

    /// <inheritdoc />
    protected override void ClearPreambleDetected()
    {
        // RegModemStat is live status, not a latch: the modem drops the detection itself when no header follows.
    }

    /// <inheritdoc />
    protected override bool ReadChipReceiving()
    {
        // RegOpMode (§6.4): bit 7 LongRangeMode, bits 2:0 mode. After a reset the chip is in FSK standby (0x09).
        int opMode = ReadRegister(Sx127xRegister.OpMode);
        return (opMode & LongRangeMode) != 0 && (opMode & 0x07) == ModeRxContinuous;
    }

    /// <inheritdoc />
    protected override int CadSymbols(int spreadingFactor)
    {
        // §4.1.6.x (Channel Activity Detection, rev 7): the receive phase lasts (2^SF + 32)/BW, then the
        // correlation takes "a little less than one symbol period"; the whole CAD is about two such periods.
        return 2;
    }

    /// <inheritdoc />
    protected override void BeginCad()
    {
        // §4.1.6.x: CAD mode (RegOpMode 0b111) from standby; CadDone on DIO0 (RegDioMapping1 bits 7:6 = 10)
        // and CadDetected on DIO1 (bits 5:4 = 10), table 18. The chip returns to standby by itself.
        SetMode(ModeStandby);
        WriteRegister(Sx127xRegister.DioMapping1, 0x80 | 0x20);
        WriteRegister(Sx127xRegister.IrqFlags, 0xFF);
        SetMode(ModeCad);
    }

    private static int BandwidthCode(int hz)
    {
        // RegModemConfig1 bits 7:4 (§6.4, table 41).
        switch (hz)
        {
            case 7810: return 0;
            case 10420: return 1;
            case 15630: return 2;
            case 20830: return 3;
            case 31250: return 4;
            case 41670: return 5;
            case 62500: return 6;
            case 125000: return 7;
            case 250000: return 8;
            case 500000: return 9;
            default: throw new RadioException(RadioError.InvalidSettings, "SX1276 has no " + hz + " Hz LoRa bandwidth (125000, 250000, 500000, ...)");
        }
    }

    private void ConfigurePower(LoRaRadioSettings settings)
    {
        int power = settings.TxPowerDbm;
        if (settings.PaBoost)
        {
            // PA_BOOST: Pout = 17 - (15 - OutputPower) up to +17 dBm; +20 dBm needs RegPaDac = 0x87 (§5.4.3).
            bool high = power > 17;
            WriteRegister(Sx127xRegister.PaDac, high ? 0x87 : 0x84);
            WriteRegister(Sx127xRegister.PaConfig, 0x80 | ((high ? power - 5 : power - 2) & 0x0F));
            WriteRegister(Sx127xRegister.Ocp, high ? 0x31 : 0x2F); // 140 mA / 120 mA current limit
        }
        else
        {
            // RFO with MaxPower 7 (Pmax 15 dBm): Pout = 15 - (15 - OutputPower).
            WriteRegister(Sx127xRegister.PaDac, 0x84);
            WriteRegister(Sx127xRegister.PaConfig, 0x70 | (power & 0x0F));
            WriteRegister(Sx127xRegister.Ocp, 0x2B);
        }
    }

    private void SetMode(int mode)
    {
        WriteRegister(Sx127xRegister.OpMode, LongRangeMode | _lowFrequencyBit | mode);
    }

    private void WriteRegister(int address, int value)
    {
        _write[0] = (byte)(address | 0x80);
        _write[1] = (byte)value;
        Spi.Transfer(_write, _read, 2);
    }
}
