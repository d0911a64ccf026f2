using MeshMessenger.Radio.LoRa;
using MeshMessenger.Radio.Sx127x;

namespace MeshMessenger.Emulator.Chips;

/// <summary>
/// An SX1276 at the byte level of its register interface (SX1276/77/78/79 datasheet §4.3, §6.4): the
/// address byte with its write bit, auto-incrementing bursts except on RegFifo, the 256-byte FIFO and its
/// pointers, RegOpMode with LongRangeMode changeable only in sleep, RegIrqFlags cleared by writing ones,
/// DIO0 mapped by RegDioMapping1, packet RSSI and SNR registers, and RegVersion. Packets go through
/// <see cref="ChipAir"/>.
/// </summary>
public sealed class SimulatedSx1276 : SimulatedChip
{
    private const int ModeSleep = 0;
    private const int ModeStandby = 1;
    private const int ModeTx = 3;
    private const int ModeRxContinuous = 5;
    private const int ModeRxSingle = 6;
    private const int ModeCad = 7;

    private readonly byte[] _registers = new byte[0x80];
    private readonly byte[] _fifo = new byte[256];
    private long _txEndUs = -1;
    private long _rxSinceUs;
    private long _cadStartUs;
    private long _cadEndUs = -1;

    /// <summary>A chip at (<paramref name="x"/>, <paramref name="y"/>) metres on the air, just powered on.</summary>
    public SimulatedSx1276(ChipAir air, ChipClock clock, double x = 0, double y = 0)
        : base(air, clock, x, y)
    {
        PowerOnReset();
    }

    /// <summary>What RegVersion reads: 0x12 for an SX1276; set 0x22 to play an SX1272.</summary>
    public byte VersionValue { get; set; } = Sx127xRegister.ExpectedVersion;

    /// <summary>True once RegOpMode's LongRangeMode bit is set.</summary>
    public bool LoRaMode => (_registers[Sx127xRegister.OpMode] & 0x80) != 0;

    /// <summary>Current mode (RegOpMode bits 2:0).</summary>
    public int Mode => _registers[Sx127xRegister.OpMode] & 0x07;

    /// <summary>Programmed frequency in Hz (Frf · 32 MHz / 2^19).</summary>
    public long FrequencyHz => (((long)_registers[6] << 16 | (long)_registers[7] << 8 | _registers[8]) * 32_000_000) >> 19;

    /// <summary>The modulation the registers describe.</summary>
    public LoRaModulation Modulation => new(
        _registers[Sx127xRegister.ModemConfig2] >> 4,
        BandwidthHz(_registers[Sx127xRegister.ModemConfig1] >> 4),
        ((_registers[Sx127xRegister.ModemConfig1] >> 1) & 0x7) + 4,
        (_registers[Sx127xRegister.PreambleMsb] << 8) | _registers[Sx127xRegister.PreambleMsb + 1],
        (_registers[Sx127xRegister.ModemConfig1] & 1) == 0,
        (_registers[Sx127xRegister.ModemConfig2] & 0x04) != 0);

    /// <summary>Output power in dBm that RegPaConfig and RegPaDac select.</summary>
    public int TxPowerDbm
    {
        get
        {
            int pa = _registers[Sx127xRegister.PaConfig];
            if ((pa & 0x80) == 0)
            {
                return pa & 0x0F;
            }

            return (_registers[Sx127xRegister.PaDac] & 0x07) == 0x07 ? (pa & 0x0F) + 5 : (pa & 0x0F) + 2;
        }
    }

    /// <inheritdoc />
    public override bool IsBusy => false; // the SX127x has no BUSY line

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
            int flags = _registers[Sx127xRegister.IrqFlags];
            return (_registers[Sx127xRegister.DioMapping1] >> 6) switch
            {
                0 => (flags & 0x40) != 0, // RxDone
                1 => (flags & 0x08) != 0, // TxDone
                2 => (flags & 0x04) != 0, // CadDone (table 18)
                _ => false,
            };
        }
    }

    /// <inheritdoc />
    protected override void PowerOnReset()
    {
        Array.Clear(_registers);
        Array.Clear(_fifo);
        _registers[Sx127xRegister.OpMode] = 0x09; // FSK, low-frequency mode, standby
        _registers[Sx127xRegister.FrfMsb] = 0x6C; // 434 MHz
        _registers[Sx127xRegister.FrfMsb + 1] = 0x80;
        _registers[Sx127xRegister.PaConfig] = 0x4F;
        _registers[Sx127xRegister.Lna] = 0x20;
        _registers[Sx127xRegister.FifoTxBaseAddr] = 0x80;
        _registers[Sx127xRegister.ModemConfig1] = 0x72;
        _registers[Sx127xRegister.ModemConfig2] = 0x70;
        _registers[Sx127xRegister.PreambleMsb + 1] = 0x08;
        _registers[Sx127xRegister.PayloadLength] = 0x01;
        _registers[Sx127xRegister.MaxPayloadLength] = 0xFF;
        _registers[Sx127xRegister.SyncWord] = 0x12;
        _registers[Sx127xRegister.PaDac] = 0x84;
        _registers[Sx127xRegister.DetectOptimize] = 0xC3; // reset value (§6.4, table 41): bits 7:3 reserved
        _txEndUs = -1;
    }

    /// <inheritdoc />
    protected override void Exchange(byte[] write, byte[] read, int count)
    {
        bool isWrite = (write[0] & 0x80) != 0;
        int address = write[0] & 0x7F;
        read[0] = 0;
        for (int i = 1; i < count; i++)
        {
            if (isWrite)
            {
                WriteRegister(address, write[i]);
                read[i] = 0;
            }
            else
            {
                read[i] = ReadRegister(address);
            }

            if (address != Sx127xRegister.Fifo)
            {
                address = (address + 1) & 0x7F;
            }
        }
    }

    /// <inheritdoc />
    protected override void Update()
    {
        long now = Clock.NowMicroseconds;
        if (Mode == ModeTx && _txEndUs >= 0 && now >= _txEndUs)
        {
            _registers[Sx127xRegister.IrqFlags] |= 0x08; // TxDone; the chip falls back to standby (§4.1.6)
            SetMode(ModeStandby);
            _txEndUs = -1;
        }

        if (Mode == ModeCad && _cadEndUs >= 0 && now >= _cadEndUs)
        {
            // §4.1.6.x: CadDone (bit 2), CadDetected (bit 0) if a LoRa preamble or symbols were on air; then standby.
            bool detected = Air.AnyOnAir(this, _cadStartUs, _cadEndUs, FrequencyHz, Modulation);
            _registers[Sx127xRegister.IrqFlags] |= (byte)(0x04 | (detected ? 0x01 : 0));
            SetMode(ModeStandby);
            _cadEndUs = -1;
        }

        if (!LoRaMode || (Mode != ModeRxContinuous && Mode != ModeRxSingle))
        {
            return;
        }

        AirArrival? arrival = Air.NextArrival(this, _rxSinceUs, now, FrequencyHz, Modulation, _registers[Sx127xRegister.SyncWord]);
        if (arrival is null)
        {
            return;
        }

        byte[] bytes = arrival.Packet.Bytes;
        int start = _registers[Sx127xRegister.FifoRxBaseAddr];
        for (int i = 0; i < bytes.Length; i++)
        {
            _fifo[(start + i) & 0xFF] = (byte)(bytes[i] ^ (arrival.Corrupted && i == bytes.Length / 2 ? 0x10 : 0));
        }

        _registers[Sx127xRegister.FifoRxCurrentAddr] = (byte)start;
        _registers[Sx127xRegister.RxNbBytes] = (byte)bytes.Length;
        double snr = Math.Clamp(arrival.SnrDb, -32, 31.75);
        _registers[Sx127xRegister.PktSnrValue] = (byte)(sbyte)Math.Round(snr * 4);

        // Inverse of §5.5.5 (high-frequency port): RSSI = -157 + 16/15 · raw for SNR ≥ 0, else -157 + raw + SNR
        // with SNR the quantised RegPktSnrValue / 4; the driver must recover the RSSI from these.
        double raw = snr >= 0 ? (arrival.RssiDbm + 157) * 15.0 / 16.0 : arrival.RssiDbm + 157 - (Math.Round(snr * 4) / 4.0);
        _registers[Sx127xRegister.PktRssiValue] = (byte)Math.Clamp(Math.Round(raw), 0, 255);
        bool crcOn = (_registers[Sx127xRegister.ModemConfig2] & 0x04) != 0;
        _registers[Sx127xRegister.IrqFlags] |= (byte)(0x40 | 0x10 | (arrival.Corrupted && crcOn ? 0x20 : 0));
        _rxSinceUs = arrival.Packet.EndUs;
        if (Mode == ModeRxSingle)
        {
            SetMode(ModeStandby);
        }
    }

    private static int BandwidthHz(int code) => code switch
    {
        0 => 7810,
        1 => 10420,
        2 => 15630,
        3 => 20830,
        4 => 31250,
        5 => 41670,
        6 => 62500,
        7 => 125000,
        8 => 250000,
        9 => 500000,
        _ => 125000,
    };

    private byte ReadRegister(int address)
    {
        switch (address)
        {
            case Sx127xRegister.Version:
                return VersionValue;
            case Sx127xRegister.ModemStat:
                // Live status: detected, synchronised, RX on-going and header valid while locked on to a packet; else modem clear.
                bool receiving = LoRaMode && (Mode == ModeRxContinuous || Mode == ModeRxSingle)
                    && Air.Locked(this, _rxSinceUs, Clock.NowMicroseconds, FrequencyHz, Modulation, _registers[Sx127xRegister.SyncWord]);
                return receiving ? (byte)0x0F : (byte)0x10;
            case Sx127xRegister.Fifo:
                byte value = _fifo[_registers[Sx127xRegister.FifoAddrPtr]];
                _registers[Sx127xRegister.FifoAddrPtr]++;
                return value;
            default:
                return _registers[address];
        }
    }

    private void WriteRegister(int address, byte value)
    {
        switch (address)
        {
            case Sx127xRegister.Fifo:
                _fifo[_registers[Sx127xRegister.FifoAddrPtr]] = value;
                _registers[Sx127xRegister.FifoAddrPtr]++;
                break;
            case Sx127xRegister.IrqFlags:
                _registers[address] &= (byte)~value; // write 1 to clear
                break;
            case Sx127xRegister.OpMode:
                WriteOpMode(value);
                break;
            case Sx127xRegister.Version:
                break; // read-only
            default:
                _registers[address] = value;
                break;
        }
    }

    private void WriteOpMode(byte value)
    {
        byte current = _registers[Sx127xRegister.OpMode];
        // §4.1.6 / table 41: LongRangeMode "can be modified only in Sleep mode"; elsewhere the bit keeps its value.
        int longRange = (current & 0x07) == ModeSleep ? value & 0x80 : current & 0x80;
        _registers[Sx127xRegister.OpMode] = (byte)(longRange | (value & 0x7F));
        int mode = value & 0x07;
        long now = Clock.NowMicroseconds;
        if (!LoRaMode)
        {
            return;
        }

        if (mode == ModeTx && (current & 0x07) != ModeTx)
        {
            int length = _registers[Sx127xRegister.PayloadLength];
            int start = _registers[Sx127xRegister.FifoTxBaseAddr];
            var bytes = new byte[length];
            for (int i = 0; i < length; i++)
            {
                bytes[i] = _fifo[(start + i) & 0xFF];
            }

            AirPacket packet = Air.Transmit(this, bytes, now, FrequencyHz, Modulation, _registers[Sx127xRegister.SyncWord], TxPowerDbm);
            _txEndUs = packet.EndUs;
        }
        else if ((mode == ModeRxContinuous || mode == ModeRxSingle) && (current & 0x07) != mode)
        {
            _rxSinceUs = now;
        }
        else if (mode == ModeCad && (current & 0x07) != ModeCad)
        {
            // §4.1.6.x's CAD timing: a receive phase of (2^SF + 32) / BW, then correlation for a little less
            // than a symbol; modelled as two (2^SF + 32) / BW periods, as the driver expects.
            LoRaModulation m = Modulation;
            _cadStartUs = now;
            _cadEndUs = now + (2 * ((1L << m.SpreadingFactor) + 32) * 1_000_000 / m.BandwidthHz);
        }

        if (mode != ModeCad)
        {
            _cadEndUs = -1;
        }
    }

    private void SetMode(int mode) => _registers[Sx127xRegister.OpMode] = (byte)((_registers[Sx127xRegister.OpMode] & 0xF8) | mode);
}
