using MeshMessenger.Radio.LoRa;
using MeshMessenger.Radio.Sx126x;

namespace MeshMessenger.Emulator.Chips;

/// <summary>
/// An SX1262 at the byte level of its SPI command interface (DS_SX1261-2 §13): chip modes, the BUSY line
/// with per-command processing times, the 256-byte data buffer, registers with reset values, IRQ flags
/// routed to DIO1 by the IRQ masks, and Tx/Rx timeouts counted in 15.625 µs steps. Packets go through
/// <see cref="ChipAir"/>. A command sent while BUSY is high is ignored, as on the chip, and recorded in
/// <see cref="SimulatedChip.Violations"/>.
/// </summary>
public sealed class SimulatedSx1262 : SimulatedChip
{
    private const int ModeSleep = 0;
    private const int ModeStandbyRc = 2;
    private const int ModeStandbyXosc = 3;
    private const int ModeRx = 5;
    private const int ModeTx = 6;
    private const int ModeCad = 7; // internal: the status byte reports RX while CAD runs (§13.5.1)
    private const long StepNs = 15625;

    private readonly byte[] _buffer = new byte[256];
    private readonly byte[] _registers = new byte[0x1000];
    private int _mode = ModeStandbyRc;
    private int _commandStatus;
    private long _busyUntilUs;
    private int _irq;
    private int _dio1Mask;
    private int _packetType;
    private long _frequencyRegister;
    private int _sf = 7;
    private int _bandwidthCode = 4;
    private int _codingRate = 1;
    private int _preamble = 12;
    private bool _implicitHeader;
    private int _payloadLength = 255;
    private bool _crcOn = true;
    private int _txBase;
    private int _rxBase;
    private int _powerDbm;
    private long _txEndUs = -1;
    private long _timeoutAtUs = -1;
    private long _rxSinceUs;
    private bool _rxContinuous;
    private int _rxLength;
    private int _rxStart;
    private byte _rssiRaw;
    private byte _snrRaw;
    private int _cadSymbols = 2;
    private long _cadStartUs;
    private long _cadEndUs = -1;
    private AirPacket? _headerPacket;

    /// <summary>A chip at (<paramref name="x"/>, <paramref name="y"/>) metres on the air, just powered on.</summary>
    public SimulatedSx1262(ChipAir air, ChipClock clock, double x = 0, double y = 0)
        : base(air, clock, x, y)
    {
        PowerOnReset();
    }

    /// <summary>BUSY never falls (a chip held in a fault, or a wrong BUSY pin that reads high).</summary>
    public bool BusyStuckHigh { get; set; }

    /// <summary>Device errors to report after calibration (bit 5: the oscillator did not start).</summary>
    public int InjectedDeviceErrors { get; set; }

    /// <summary>Current chip mode (bits 6:4 of the status byte): 0 sleep, 2 STDBY_RC, 3 STDBY_XOSC, 4 FS, 5 RX (also while CAD runs), 6 TX.</summary>
    public int Mode => _mode == ModeCad ? ModeRx : _mode;

    /// <summary>True while channel activity detection runs.</summary>
    public bool DetectingActivity => _mode == ModeCad;

    /// <summary>Programmed RF frequency in Hz (from the register value, f = reg · 32 MHz / 2^25).</summary>
    public long FrequencyHz => (_frequencyRegister * 32_000_000) >> 25;

    /// <summary>Programmed transmit power, dBm.</summary>
    public int TxPowerDbm => _powerDbm;

    /// <summary>The one-byte (SX127x-style) sync word the registers hold.</summary>
    public byte SyncWord => (byte)((_registers[Sx126xRegister.LoRaSyncWord] & 0xF0) | (_registers[Sx126xRegister.LoRaSyncWord + 1] >> 4));

    /// <summary>The modulation the registers describe.</summary>
    public LoRaModulation Modulation => new(_sf, BandwidthHz(_bandwidthCode), _codingRate + 4, _preamble, !_implicitHeader, _crcOn);

    /// <inheritdoc />
    public override bool IsBusy
    {
        get
        {
            if (Absent)
            {
                return false;
            }

            Update();
            return BusyStuckHigh || InReset || _mode == ModeSleep || Clock.NowMicroseconds < _busyUntilUs;
        }
    }

    /// <inheritdoc />
    public override bool IsIrqHigh
    {
        get
        {
            if (Absent || InReset)
            {
                return false;
            }

            Update();
            return (_irq & _dio1Mask) != 0;
        }
    }

    /// <inheritdoc />
    protected override void PowerOnReset()
    {
        Array.Clear(_registers);
        _registers[Sx126xRegister.LoRaSyncWord] = 0x14;
        _registers[Sx126xRegister.LoRaSyncWord + 1] = 0x24;
        _mode = ModeStandbyRc;
        _irq = 0;
        _dio1Mask = 0;
        _packetType = 0;
        _txEndUs = -1;
        _timeoutAtUs = -1;
        _cadEndUs = -1;
        _headerPacket = null;
        _busyUntilUs = Clock.NowMicroseconds + 3500; // start-up calibration (§9.1)
    }

    /// <inheritdoc />
    protected override void Exchange(byte[] write, byte[] read, int count)
    {
        if (_mode == ModeSleep)
        {
            // §9.3: the falling NSS edge wakes the chip; this command is lost; BUSY stays high while it starts.
            _mode = ModeStandbyRc;
            _busyUntilUs = Clock.NowMicroseconds + 500;
            Array.Fill(read, (byte)0, 0, count);
            return;
        }

        if (Clock.NowMicroseconds < _busyUntilUs || BusyStuckHigh)
        {
            Violations.Add($"opcode 0x{write[0]:X2} sent while BUSY was high");
            Array.Fill(read, (byte)0xFF, 0, count);
            return;
        }

        byte status = (byte)((Mode << 4) | (_commandStatus << 1));
        Array.Fill(read, status, 0, count);
        read[0] = 0xA2; // the byte clocked out with the opcode is undefined (RFU)
        _commandStatus = 0;
        long busy = 15;
        byte opcode = write[0];
        int Param(int i) => i < count ? write[i] : 0;
        switch (opcode)
        {
            case Sx126xOpcode.GetStatus:
                break;
            case Sx126xOpcode.SetStandby:
                _mode = Param(1) == 0 ? ModeStandbyRc : ModeStandbyXosc;
                _timeoutAtUs = -1;
                _txEndUs = -1;
                _cadEndUs = -1;
                break;
            case Sx126xOpcode.SetCadParams:
                // §13.4.7: cadSymbolNum 0..4 = 1, 2, 4, 8, 16 symbols; only CAD_ONLY exit mode is modelled.
                _cadSymbols = 1 << Math.Min(Param(1), 4);
                if (Param(4) != 0)
                {
                    Violations.Add("SetCadParams with exit mode CAD_RX, which this simulation does not model");
                }

                break;
            case Sx126xOpcode.SetCad:
                StartCad();
                break;
            case Sx126xOpcode.SetSleep:
                _mode = ModeSleep;
                break;
            case Sx126xOpcode.Calibrate:
                busy = 3500;
                break;
            case Sx126xOpcode.CalibrateImage:
                busy = 1000;
                break;
            case Sx126xOpcode.GetDeviceErrors:
                if (count > 3)
                {
                    read[2] = (byte)(InjectedDeviceErrors >> 8);
                    read[3] = (byte)InjectedDeviceErrors;
                }

                break;
            case Sx126xOpcode.ClearDeviceErrors:
                InjectedDeviceErrors = 0;
                break;
            case Sx126xOpcode.SetPacketType:
                _packetType = Param(1);
                break;
            case Sx126xOpcode.GetPacketType:
                if (count > 2)
                {
                    read[2] = (byte)_packetType;
                }

                break;
            case Sx126xOpcode.SetRfFrequency:
                _frequencyRegister = ((long)Param(1) << 24) | ((long)Param(2) << 16) | ((long)Param(3) << 8) | (long)Param(4);
                break;
            case Sx126xOpcode.SetTxParams:
                _powerDbm = (sbyte)Param(1);
                break;
            case Sx126xOpcode.SetModulationParams:
                _sf = Param(1);
                _bandwidthCode = Param(2);
                _codingRate = Param(3);
                break;
            case Sx126xOpcode.SetPacketParams:
                _preamble = (Param(1) << 8) | Param(2);
                _implicitHeader = Param(3) == 1;
                _payloadLength = Param(4);
                _crcOn = Param(5) == 1;
                break;
            case Sx126xOpcode.SetBufferBaseAddress:
                _txBase = Param(1);
                _rxBase = Param(2);
                break;
            case Sx126xOpcode.SetDioIrqParams:
                _dio1Mask = (Param(3) << 8) | Param(4);
                break;
            case Sx126xOpcode.GetIrqStatus:
                if (count > 3)
                {
                    read[2] = (byte)(_irq >> 8);
                    read[3] = (byte)_irq;
                }

                break;
            case Sx126xOpcode.ClearIrqStatus:
                _irq &= ~((Param(1) << 8) | Param(2));
                break;
            case Sx126xOpcode.WriteRegister:
                for (int i = 3; i < count; i++)
                {
                    _registers[(((Param(1) << 8) | Param(2)) + i - 3) & 0xFFF] = write[i];
                }

                break;
            case Sx126xOpcode.ReadRegister:
                for (int i = 4; i < count; i++)
                {
                    read[i] = _registers[(((Param(1) << 8) | Param(2)) + i - 4) & 0xFFF];
                }

                break;
            case Sx126xOpcode.WriteBuffer:
                for (int i = 2; i < count; i++)
                {
                    _buffer[(Param(1) + i - 2) & 0xFF] = write[i];
                }

                break;
            case Sx126xOpcode.ReadBuffer:
                for (int i = 3; i < count; i++)
                {
                    read[i] = _buffer[(Param(1) + i - 3) & 0xFF];
                }

                break;
            case Sx126xOpcode.GetRxBufferStatus:
                if (count > 3)
                {
                    read[2] = (byte)_rxLength;
                    read[3] = (byte)_rxStart;
                }

                break;
            case Sx126xOpcode.GetPacketStatus:
                if (count > 4)
                {
                    read[2] = _rssiRaw;
                    read[3] = _snrRaw;
                    read[4] = _rssiRaw;
                }

                break;
            case Sx126xOpcode.SetTx:
                StartTx(Steps(write, count));
                break;
            case Sx126xOpcode.SetRx:
                StartRx(Steps(write, count));
                break;
            case Sx126xOpcode.SetRegulatorMode:
            case Sx126xOpcode.SetPaConfig:
            case Sx126xOpcode.SetDio2AsRfSwitchCtrl:
            case Sx126xOpcode.SetDio3AsTcxoCtrl:
                break;
            default:
                _commandStatus = 5; // command execution failure (unknown opcode)
                break;
        }

        _busyUntilUs = Clock.NowMicroseconds + busy;
    }

    /// <inheritdoc />
    protected override void Update()
    {
        long now = Clock.NowMicroseconds;
        if (_mode == ModeCad && now >= _cadEndUs)
        {
            // §6.4 / §13.4.7: CadDone, with CadDetected if LoRa symbols were on air in the window; then STDBY_RC.
            bool detected = Air.AnyOnAir(this, _cadStartUs, _cadEndUs, FrequencyHz, Modulation);
            _irq |= Sx126xIrq.CadDone | (detected ? Sx126xIrq.CadDetected : 0);
            _mode = ModeStandbyRc;
            _cadEndUs = -1;
        }

        if (_mode == ModeTx && _txEndUs >= 0 && now >= _txEndUs)
        {
            _irq |= Sx126xIrq.TxDone;
            _mode = ModeStandbyRc; // §13.1.4: after TxDone the chip returns to STDBY_RC
            _txEndUs = -1;
            _timeoutAtUs = -1;
        }

        if (_mode == ModeTx && _timeoutAtUs >= 0 && now >= _timeoutAtUs)
        {
            _irq |= Sx126xIrq.Timeout;
            _mode = ModeStandbyRc;
            _txEndUs = -1;
        }

        if (_mode != ModeRx)
        {
            return;
        }

        // PreambleDetected latches until ClearIrqStatus (§13.3.3), and is raised by a preamble whatever its
        // sync word: the sync word comes after it. HeaderValid follows (preamble + 4.25 + 8) symbols after the
        // packet starts (§6.1.4), only for our sync word; a packet with another sync word raises nothing more.
        // A packet with another sync word is detected only during its preamble: past the sync word the modem
        // has rejected it and searches again, and payload chirps are no preamble.
        LoRaModulation m = Modulation;
        AirPacket? any = Air.LockedPacket(this, _rxSinceUs, now, FrequencyHz, m, -1);
        AirPacket? locked = Air.LockedPacket(this, _rxSinceUs, now, FrequencyHz, m, SyncWord);
        if (locked is not null || (any is not null && now < any.StartUs + (long)((m.PreambleSymbols + 4.25) * m.SymbolMicroseconds)))
        {
            _irq |= Sx126xIrq.PreambleDetected;
        }

        if (locked is not null && now >= locked.StartUs + (long)((m.PreambleSymbols + 12.25) * m.SymbolMicroseconds))
        {
            _irq |= Sx126xIrq.HeaderValid;
            _headerPacket = locked;
        }

        AirArrival? arrival = Air.NextArrival(this, _rxSinceUs, now, FrequencyHz, m, SyncWord);
        if (arrival is null && _headerPacket is not null && now >= _headerPacket.EndUs)
        {
            // A packet whose header was valid but which a collision destroyed ends with RxDone and CrcErr.
            _irq |= Sx126xIrq.RxDone | Sx126xIrq.CrcError;
            _rxSinceUs = _headerPacket.EndUs;
            _headerPacket = null;
            if (!_rxContinuous)
            {
                _mode = ModeStandbyRc;
            }

            return;
        }

        if (arrival is not null)
        {
            _headerPacket = null;
            byte[] bytes = arrival.Packet.Bytes;
            for (int i = 0; i < bytes.Length; i++)
            {
                _buffer[(_rxBase + i) & 0xFF] = (byte)(bytes[i] ^ (arrival.Corrupted && i == bytes.Length / 2 ? 0x10 : 0));
            }

            _rxStart = _rxBase;
            _rxLength = bytes.Length;
            _rssiRaw = (byte)Math.Clamp(Math.Round(-arrival.RssiDbm * 2), 0, 255);
            _snrRaw = (byte)(sbyte)Math.Clamp(Math.Round(arrival.SnrDb * 4), -128, 127);
            _irq |= Sx126xIrq.RxDone | Sx126xIrq.HeaderValid | (arrival.Corrupted && _crcOn ? Sx126xIrq.CrcError : 0);
            _rxSinceUs = arrival.Packet.EndUs;
            _timeoutAtUs = -1; // the timer stops when a packet is detected
            if (!_rxContinuous)
            {
                _mode = ModeStandbyRc;
            }

            return;
        }

        if (_timeoutAtUs >= 0 && now >= _timeoutAtUs && !Air.AnyStarted(this, _rxSinceUs, _timeoutAtUs, FrequencyHz, Modulation, SyncWord))
        {
            _irq |= Sx126xIrq.Timeout;
            _mode = ModeStandbyRc;
            _timeoutAtUs = -1;
        }
    }

    private static long Steps(byte[] write, int count) =>
        count < 4 ? 0 : ((long)write[1] << 16) | ((long)write[2] << 8) | write[3];

    private static int BandwidthHz(int code) => code switch
    {
        0x00 => 7810,
        0x08 => 10420,
        0x01 => 15630,
        0x09 => 20830,
        0x02 => 31250,
        0x0A => 41670,
        0x03 => 62500,
        0x04 => 125000,
        0x05 => 250000,
        0x06 => 500000,
        _ => 125000,
    };

    private void StartTx(long steps)
    {
        if (_packetType != 1)
        {
            _commandStatus = 5;
            return;
        }

        var bytes = new byte[_payloadLength];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = _buffer[(_txBase + i) & 0xFF];
        }

        long now = Clock.NowMicroseconds;
        _mode = ModeTx;
        _txEndUs = now + TimeOnAir.Microseconds(Modulation, bytes.Length);
        _timeoutAtUs = steps == 0 ? -1 : now + (steps * StepNs / 1000);
        if (_timeoutAtUs < 0 || _timeoutAtUs >= _txEndUs)
        {
            Air.Transmit(this, bytes, now, FrequencyHz, Modulation, SyncWord, _powerDbm);
        }
    }

    private void StartCad()
    {
        if (_mode != ModeStandbyRc && _mode != ModeStandbyXosc)
        {
            Violations.Add($"SetCad in mode {_mode}, not standby");
            _commandStatus = 5;
            return;
        }

        // Duration per symbol (2^SF + 32) / BW (DS_SX1261-2 §6.4, AN1200.48).
        LoRaModulation m = Modulation;
        _mode = ModeCad;
        _cadStartUs = Clock.NowMicroseconds;
        _cadEndUs = _cadStartUs + (_cadSymbols * ((1L << m.SpreadingFactor) + 32) * 1_000_000 / m.BandwidthHz);
    }

    private void StartRx(long steps)
    {
        long now = Clock.NowMicroseconds;
        _mode = ModeRx;
        _rxSinceUs = now;
        _headerPacket = null;
        _rxContinuous = steps == 0xFFFFFF;
        _timeoutAtUs = steps == 0 || _rxContinuous ? -1 : now + (steps * StepNs / 1000);
    }
}
