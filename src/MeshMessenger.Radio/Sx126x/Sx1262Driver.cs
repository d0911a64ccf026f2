using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.Hardware;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Radio.Sx126x;

/// <summary>
/// Semtech SX1262 over its SPI command interface, written from the datasheet (DS_SX1261-2 rev 2.1).
/// Every transaction waits for BUSY low first (§8.3.1); reads clock a NOP after the opcode and get the
/// status byte back before the data (§13). Also drives the SX1268 and the LLCC68 at the frequencies they
/// support. Wiring and a sample: README.md next to this file.
/// </summary>
public sealed class Sx1262Driver : LoRaTransceiver
{
    /// <summary>Longest BUSY the driver accepts: calibration of every block takes about 3.5 ms (§13.1.12), waking with a TCXO a few ms more.</summary>
    public const int BusyTimeoutMicroseconds = 20000;

    private const int ChipModeStandbyRc = 2;
    private const int ChipModeRx = 5;
    private const long TimeoutStepNs = 15625; // one RTC step, 1/64 kHz (§13.1.4)

    private readonly byte[] _write = new byte[264];
    private readonly byte[] _read = new byte[264];
    private bool _asleep;

    /// <summary>Creates the driver over a bus, pins and a timer.</summary>
    public Sx1262Driver(ISpiBus spi, IRadioPins pins, IRadioTimer timer)
        : base(spi, pins, timer)
    {
    }

    /// <inheritdoc />
    public override string ChipName => "SX1262";

    /// <inheritdoc />
    protected override long SoftwareTimeoutSlackUs => 50000;

    /// <inheritdoc />
    protected override void EnterStandby()
    {
        Wake();
        Command1(Sx126xOpcode.SetStandby, 0);
    }

    /// <inheritdoc />
    protected override void EnterSleep()
    {
        Wake();
        Command1(Sx126xOpcode.SetSleep, 0x04); // warm start: configuration retained (§13.1.1)
        _asleep = true;
    }

    /// <inheritdoc />
    protected override void Configure(LoRaRadioSettings settings)
    {
        LoRaModulation m = settings.Modulation;
        int bandwidthCode = BandwidthCode(m.BandwidthHz);
        if (settings.TxPowerDbm < -9 || settings.TxPowerDbm > 22)
        {
            throw new RadioException(RadioError.InvalidSettings, "SX1262 transmits at -9 to +22 dBm, got " + settings.TxPowerDbm);
        }

        // Reset: NRESET low for at least 100 µs (§8.1), then BUSY falls when the chip is ready.
        Pins.SetReset(false);
        Timer.Delay(200);
        Pins.SetReset(true);
        Timer.Delay(1000);
        _asleep = false;
        WaitWhileBusy("reset");
        Command1(Sx126xOpcode.SetStandby, 0);
        Probe();

        if (settings.TcxoVoltage > 0)
        {
            // DIO3 powers the TCXO; 5 ms start-up (320 steps of 15.625 µs) covers the common parts (§13.3.6).
            WriteCommand(Sx126xOpcode.SetDio3AsTcxoCtrl, TcxoCode(settings.TcxoVoltage), 0x00, 0x01, 0x40);
        }

        Command1(Sx126xOpcode.Calibrate, 0x7F);
        CheckDeviceErrors();
        if (settings.Dio2AsRfSwitch)
        {
            Command1(Sx126xOpcode.SetDio2AsRfSwitchCtrl, 1);
        }

        Command1(Sx126xOpcode.SetRegulatorMode, settings.UseDcDc ? 1 : 0);
        Command1(Sx126xOpcode.SetPacketType, 1);
        if (Transact(Sx126xOpcode.GetPacketType, 2)[2] != 1)
        {
            throw new RadioException(RadioError.ChipError, "SX1262 did not take the LoRa packet type; the chip may be in a fault state, power-cycle it");
        }

        // RF frequency register = f · 2^25 / 32 MHz (§13.4.1).
        long frf = (settings.FrequencyHz << 25) / 32000000;
        WriteCommand(Sx126xOpcode.SetRfFrequency, (int)(frf >> 24) & 0xFF, (int)(frf >> 16) & 0xFF, (int)(frf >> 8) & 0xFF, (int)frf & 0xFF);
        CalibrateImage(settings.FrequencyHz);

        // +22 dBm PA setting for the SX1262 (§13.1.14, table 13-21), ramp 200 µs.
        WriteCommand(Sx126xOpcode.SetPaConfig, 0x04, 0x07, 0x00, 0x01);
        WriteCommand(Sx126xOpcode.SetTxParams, settings.TxPowerDbm & 0xFF, 0x04);
        WriteCommand(Sx126xOpcode.SetBufferBaseAddress, 0x00, 0x00);
        WriteCommand(Sx126xOpcode.SetModulationParams, m.SpreadingFactor, bandwidthCode, m.CodingRateDenominator - 4, m.LowDataRateOptimize ? 1 : 0);
        SetPacketParams(settings, 255);
        // CadDone raises DIO1 too; CadDetected is read from the flags with it (§13.3.1, table 13-29).
        // PreambleDetected and HeaderValid are flagged (IrqMask) but do not raise DIO1 (DIO1Mask): the
        // port reads them to avoid transmitting over a packet being received.
        int mask = Sx126xIrq.TxDone | Sx126xIrq.RxDone | Sx126xIrq.Timeout | Sx126xIrq.CrcError | Sx126xIrq.HeaderError | Sx126xIrq.CadDone | Sx126xIrq.CadDetected;
        int flagged = mask | Sx126xIrq.PreambleDetected | Sx126xIrq.HeaderValid;
        WriteCommand(Sx126xOpcode.SetDioIrqParams, flagged >> 8, flagged & 0xFF, mask >> 8, mask & 0xFF, 0, 0, 0, 0);

        // The one-byte sync word 0xXY becomes 0xX4 0xY4 in the two-byte register (§6.1.1.1: 0x12 ↔ 0x1424, 0x34 ↔ 0x3444).
        WriteRegister(Sx126xRegister.LoRaSyncWord, (settings.SyncWord & 0xF0) | 0x04, ((settings.SyncWord & 0x0F) << 4) | 0x04);
        ClearIrq(Sx126xIrq.All);
    }

    /// <inheritdoc />
    protected override void StartTransmit(byte[] payload, int offset, int count, long chipTimeoutUs)
    {
        EnterStandby();
        SetPacketParams(RequireSettings(), count);
        _write[0] = Sx126xOpcode.WriteBuffer;
        _write[1] = 0x00;
        System.Array.Copy(payload, offset, _write, 2, count);
        Exchange(count + 2, "WriteBuffer");
        ClearIrq(Sx126xIrq.All);
        long steps = chipTimeoutUs * 1000 / TimeoutStepNs;
        WriteCommand(Sx126xOpcode.SetTx, (int)(steps >> 16) & 0xFF, (int)(steps >> 8) & 0xFF, (int)steps & 0xFF);
    }

    /// <inheritdoc />
    protected override void BeginReceive(int timeoutMs)
    {
        EnterStandby();
        SetPacketParams(RequireSettings(), 255);
        ClearIrq(Sx126xIrq.All);
        long steps = timeoutMs <= 0 ? 0xFFFFFF : (timeoutMs * 1000000L) / TimeoutStepNs;
        steps = steps > 0xFFFFFE && timeoutMs > 0 ? 0xFFFFFE : steps;
        WriteCommand(Sx126xOpcode.SetRx, (int)(steps >> 16) & 0xFF, (int)(steps >> 8) & 0xFF, (int)steps & 0xFF);
    }

    /// <inheritdoc />
    protected override RadioInterrupt ReadInterrupt(ReceivedPacket packet)
    {
        // GetIrqStatus then ClearIrqStatus with the same bits (§13.3.3, §13.3.4): DIO1 falls, and a flag
        // raised between the two calls stays set for the next service call.
        int irq = ReadIrq();
        ClearIrq(irq);
        LastIrqFlags = irq;
        if ((irq & Sx126xIrq.TxDone) != 0)
        {
            return RadioInterrupt.TxDone;
        }

        if ((irq & Sx126xIrq.CadDone) != 0)
        {
            return (irq & Sx126xIrq.CadDetected) != 0 ? RadioInterrupt.CadDetected : RadioInterrupt.CadClear;
        }

        if ((irq & Sx126xIrq.Timeout) != 0)
        {
            return RadioInterrupt.Timeout;
        }

        if ((irq & (Sx126xIrq.CrcError | Sx126xIrq.HeaderError)) != 0)
        {
            return RadioInterrupt.CrcError;
        }

        if ((irq & Sx126xIrq.RxDone) == 0)
        {
            return RadioInterrupt.None;
        }

        byte[] buffer = Transact(Sx126xOpcode.GetRxBufferStatus, 3);
        int length = buffer[2];
        int start = buffer[3];
        _write[0] = Sx126xOpcode.ReadBuffer;
        _write[1] = (byte)start;
        _write[2] = 0;
        for (int i = 0; i < length; i++)
        {
            _write[3 + i] = 0;
        }

        Exchange(length + 3, "ReadBuffer");
        System.Array.Copy(_read, 3, packet.Data, 0, length);
        packet.Length = length;

        // LoRa packet status (§13.5.3): RssiPkt = -raw/2 dBm, SnrPkt = (signed) raw/4 dB.
        byte[] status = Transact(Sx126xOpcode.GetPacketStatus, 4);
        packet.RssiDbm = -status[2] / 2.0;
        packet.SnrDb = (sbyte)status[3] / 4.0;
        return RadioInterrupt.Packet;
    }

    /// <inheritdoc />
    protected override int ReadReceiving()
    {
        // PreambleDetected and HeaderValid latch until ClearIrqStatus (§13.3.3); in continuous receive a
        // preamble on noise or with another sync word is followed by neither HeaderValid nor HeaderErr nor
        // RxDone, so the base class times a lone PreambleDetected out and clears it.
        int irq = ReadIrq();
        if ((irq & Sx126xIrq.RxDone) != 0)
        {
            return ReceivingNothing;
        }

        if ((irq & Sx126xIrq.HeaderValid) != 0)
        {
            return ReceivingHeader;
        }

        return (irq & Sx126xIrq.PreambleDetected) != 0 ? ReceivingPreamble : ReceivingNothing;
    }

    /// <inheritdoc />
    protected override void ClearPreambleDetected()
    {
        ClearIrq(Sx126xIrq.PreambleDetected);
    }

    /// <inheritdoc />
    protected override bool ReadChipReceiving()
    {
        // GetStatus bits 6:4 = 5 in RX (§13.5.1); GetPacketType 1 = LoRa (§13.4.3): a chip that reset
        // behind the driver's back is in STDBY_RC with packet type GFSK (0).
        int mode = (Transact(Sx126xOpcode.GetStatus, 1)[1] >> 4) & 0x7;
        return mode == ChipModeRx && Transact(Sx126xOpcode.GetPacketType, 2)[2] == 1;
    }

    /// <inheritdoc />
    protected override int CadSymbols(int spreadingFactor)
    {
        // DS_SX1261-2 rev 2.1 §13.4.7 recommended CAD settings, as reproduced for the same radio core in ST
        // RM0453 rev 5 table 36: 2 symbols at SF7-8, 4 symbols from SF9 (more symbols miss less at high SF).
        return spreadingFactor >= 9 ? 4 : 2;
    }

    /// <inheritdoc />
    protected override void BeginCad()
    {
        // §13.4.7 SetCadParams: cadSymbolNum (0x01 = 2, 0x02 = 4 symbols), cadDetPeak, cadDetMin, cadExitMode
        // (0x00 CAD_ONLY: back to STDBY_RC after CadDone), cadTimeout (unused in CAD_ONLY). Peak per SF from the
        // rev 2.1 table (ST RM0453 rev 5 table 36 has the same): 22 at SF7-8, 23, 24, 25, 28 at SF9-12; min 10.
        // (The older 2-symbol set 22, 22, 24, 25, 26, 30 is what RadioLib cites from AN1200.48.)
        // §6.4: the chip correlates the symbols, then raises CadDone (and CadDetected if it found them).
        int sf = RequireSettings().Modulation.SpreadingFactor;
        int peak = sf <= 8 ? 22 : (sf == 9 ? 23 : (sf == 10 ? 24 : (sf == 11 ? 25 : 28)));
        int symbolCode = CadSymbols(sf) == 4 ? 0x02 : 0x01;
        EnterStandby();
        ClearIrq(Sx126xIrq.All);
        _write[5] = 0x00;
        _write[6] = 0x00;
        _write[7] = 0x00;
        WriteCommand(Sx126xOpcode.SetCadParams, symbolCode, peak, 10, 0x00, 8);
        _write[0] = Sx126xOpcode.SetCad;
        Exchange(1, "SetCad");
    }

    private static int BandwidthCode(int hz)
    {
        // §13.4.5.2, table 13-47.
        switch (hz)
        {
            case 7810: return 0x00;
            case 10420: return 0x08;
            case 15630: return 0x01;
            case 20830: return 0x09;
            case 31250: return 0x02;
            case 41670: return 0x0A;
            case 62500: return 0x03;
            case 125000: return 0x04;
            case 250000: return 0x05;
            case 500000: return 0x06;
            default: throw new RadioException(RadioError.InvalidSettings, "SX1262 has no " + hz + " Hz LoRa bandwidth (125000, 250000, 500000, ...)");
        }
    }

    private static int TcxoCode(double volts)
    {
        // §13.3.6, table 13-35: 1.6, 1.7, 1.8, 2.2, 2.4, 2.7, 3.0, 3.3 V.
        double[] levels = new double[] { 1.6, 1.7, 1.8, 2.2, 2.4, 2.7, 3.0, 3.3 };
        for (int i = 0; i < levels.Length; i++)
        {
            if (volts > levels[i] - 0.05 && volts < levels[i] + 0.05)
            {
                return i;
            }
        }

        throw new RadioException(RadioError.InvalidSettings, "SX1262 supplies a TCXO at 1.6, 1.7, 1.8, 2.2, 2.4, 2.7, 3.0 or 3.3 V, not " + volts);
    }

    private void Probe()
    {
        int status = Transact(Sx126xOpcode.GetStatus, 1)[1];
        if (status == 0x00 || status == 0xFF)
        {
            throw new RadioException(RadioError.ChipNotFound, "no SX126x answers on the SPI bus (status byte " + Hex(status) + "): check the chip-select line, MISO/MOSI/SCK wiring, power, and that the board name matches the hardware");
        }

        int mode = (status >> 4) & 0x7;
        int syncWord = ReadRegister16(Sx126xRegister.LoRaSyncWord);
        if (mode != ChipModeStandbyRc || syncWord != Sx126xRegister.LoRaSyncWordResetValue)
        {
            throw new RadioException(RadioError.WrongChip, "the chip on the SPI bus is not an SX126x in standby after reset (status " + Hex(status) + ", register 0x0740 = " + Hex(syncWord >> 8) + Hex(syncWord & 0xFF).Substring(2) + ", expected mode 2 and 0x1424)");
        }
    }

    private void CheckDeviceErrors()
    {
        byte[] result = Transact(Sx126xOpcode.GetDeviceErrors, 3);
        int errors = (result[2] << 8) | result[3];
        if (errors != 0)
        {
            WriteCommand(Sx126xOpcode.ClearDeviceErrors, 0, 0);
            string what = (errors & 0x20) != 0 ? "the crystal or TCXO did not start (check TcxoVoltage for this board)" : "calibration failed";
            throw new RadioException(RadioError.ChipError, "SX1262 reports device errors " + Hex(errors >> 8) + Hex(errors & 0xFF).Substring(2) + ": " + what);
        }
    }

    private void CalibrateImage(long hz)
    {
        // §9.2.1, table 9-2: image calibration bands in 4 MHz steps.
        int mhz = (int)(hz / 1000000);
        int low;
        int high;
        if (mhz >= 902)
        {
            low = 0xE1;
            high = 0xE9;
        }
        else if (mhz >= 863)
        {
            low = 0xD7;
            high = 0xDB;
        }
        else if (mhz >= 779)
        {
            low = 0xC1;
            high = 0xC5;
        }
        else if (mhz >= 470)
        {
            low = 0x75;
            high = 0x81;
        }
        else
        {
            low = 0x6B;
            high = 0x6F;
        }

        WriteCommand(Sx126xOpcode.CalibrateImage, low, high);
    }

    private void SetPacketParams(LoRaRadioSettings settings, int length)
    {
        LoRaModulation m = settings.Modulation;
        WriteCommand(Sx126xOpcode.SetPacketParams, m.PreambleSymbols >> 8, m.PreambleSymbols & 0xFF, m.ExplicitHeader ? 0 : 1, length, m.CrcOn ? 1 : 0, settings.InvertIq ? 1 : 0);
    }

    private int ReadIrq()
    {
        byte[] r = Transact(Sx126xOpcode.GetIrqStatus, 3);
        return (r[2] << 8) | r[3];
    }

    private void ClearIrq(int mask)
    {
        WriteCommand(Sx126xOpcode.ClearIrqStatus, (mask >> 8) & 0xFF, mask & 0xFF);
    }

    private int ReadRegister16(int address)
    {
        _write[0] = Sx126xOpcode.ReadRegister;
        _write[1] = (byte)(address >> 8);
        _write[2] = (byte)address;
        _write[3] = 0;
        _write[4] = 0;
        _write[5] = 0;
        Exchange(6, "ReadRegister");
        return (_read[4] << 8) | _read[5];
    }

    private void WriteRegister(int address, int first, int second)
    {
        WriteCommand(Sx126xOpcode.WriteRegister, address >> 8, address & 0xFF, first, second);
    }

    private void Command1(byte opcode, int parameter)
    {
        _write[0] = opcode;
        _write[1] = (byte)parameter;
        Exchange(2, OpcodeName(opcode));
    }

    private void WriteCommand(byte opcode, int p0, int p1)
    {
        _write[0] = opcode;
        _write[1] = (byte)p0;
        _write[2] = (byte)p1;
        Exchange(3, OpcodeName(opcode));
    }

    private void WriteCommand(byte opcode, int p0, int p1, int p2)
    {
        _write[0] = opcode;
        _write[1] = (byte)p0;
        _write[2] = (byte)p1;
        _write[3] = (byte)p2;
        Exchange(4, OpcodeName(opcode));
    }

    private void WriteCommand(byte opcode, int p0, int p1, int p2, int p3)
    {
        WriteCommand(opcode, p0, p1, p2, p3, 5);
    }

    /// <summary>Sends the opcode and four parameters plus whatever the caller already put in _write[5..count).</summary>
    private void WriteCommand(byte opcode, int p0, int p1, int p2, int p3, int count)
    {
        _write[0] = opcode;
        _write[1] = (byte)p0;
        _write[2] = (byte)p1;
        _write[3] = (byte)p2;
        _write[4] = (byte)p3;
        Exchange(count, OpcodeName(opcode));
    }

    private void WriteCommand(byte opcode, int p0, int p1, int p2, int p3, int p4, int p5)
    {
        _write[5] = (byte)p4;
        _write[6] = (byte)p5;
        WriteCommand(opcode, p0, p1, p2, p3, 7);
    }

    private void WriteCommand(byte opcode, int p0, int p1, int p2, int p3, int p4, int p5, int p6, int p7)
    {
        _write[5] = (byte)p4;
        _write[6] = (byte)p5;
        _write[7] = (byte)p6;
        _write[8] = (byte)p7;
        WriteCommand(opcode, p0, p1, p2, p3, 9);
    }

    /// <summary>A read command: the opcode, then NOPs that clock back the status byte and <paramref name="responseBytes"/> - 1 data bytes (§13).</summary>
    private byte[] Transact(byte opcode, int responseBytes)
    {
        int count = 1 + responseBytes;
        _write[0] = opcode;
        for (int i = 1; i < count; i++)
        {
            _write[i] = 0;
        }

        Exchange(count, OpcodeName(opcode));
        return _read;
    }

    private void Exchange(int count, string what)
    {
        WaitWhileBusy(what);
        Spi.Transfer(_write, _read, count);
    }

    private void WaitWhileBusy(string before)
    {
        long deadline = Timer.NowMicroseconds + BusyTimeoutMicroseconds;
        while (Pins.IsBusy)
        {
            if (Timer.NowMicroseconds > deadline)
            {
                throw new RadioException(RadioError.BusyTimeout, "SX1262 BUSY stayed high for " + (BusyTimeoutMicroseconds / 1000) + " ms before " + before + ": the chip is unpowered or held in reset, or the BUSY pin number is wrong");
            }

            Timer.Delay(10);
        }
    }

    private void Wake()
    {
        if (_asleep)
        {
            // A falling NSS edge wakes the chip (§9.3); the command itself is ignored, then BUSY falls.
            _write[0] = Sx126xOpcode.GetStatus;
            _write[1] = 0;
            Spi.Transfer(_write, _read, 2);
            _asleep = false;
        }
    }

    private static string OpcodeName(byte opcode)
    {
        switch (opcode)
        {
            case Sx126xOpcode.SetStandby: return "SetStandby";
            case Sx126xOpcode.SetTx: return "SetTx";
            case Sx126xOpcode.SetRx: return "SetRx";
            case Sx126xOpcode.Calibrate: return "Calibrate";
            case Sx126xOpcode.GetStatus: return "GetStatus";
            case Sx126xOpcode.GetIrqStatus: return "GetIrqStatus";
            default: return "command " + Hex(opcode);
        }
    }
}
