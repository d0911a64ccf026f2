using MeshMessenger.Radio.Hardware;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Radio.Drivers;

/// <summary>
/// What the SX126x and SX127x drivers share: the bus, the pins, the timer, the settings in force, and
/// the waits with deadlines. Operations start and return (the interrupt service call reports their end), with blocking forms built on them that poll the interrupt line, so one code path
/// serves a board, the Pi and a simulation; nothing here allocates per packet.
/// </summary>
public abstract class LoRaTransceiver
{
    /// <summary><see cref="ReadReceiving"/>: nothing being received.</summary>
    protected const int ReceivingNothing = 0;

    /// <summary><see cref="ReadReceiving"/>: a preamble detected, no valid header yet.</summary>
    protected const int ReceivingPreamble = 1;

    /// <summary><see cref="ReadReceiving"/>: a valid header, the payload still arriving.</summary>
    protected const int ReceivingHeader = 2;

    /// <summary>How often a wait looks at the interrupt line.</summary>
    protected const int PollMicroseconds = 500;

    private readonly ReceivedPacket _scratch = new ReceivedPacket();
    private long _receiveDeadlineUs = -1;
    private long _receivingSinceUs = -1;
    private long _headerSinceUs = -1;

    /// <summary>Creates a driver over a bus, pins and a timer.</summary>
    protected LoRaTransceiver(ISpiBus spi, IRadioPins pins, IRadioTimer timer)
    {
        Spi = spi;
        Pins = pins;
        Timer = timer;
    }

    /// <summary>Chip name for messages ("SX1262", "SX1276").</summary>
    public abstract string ChipName { get; }

    /// <summary>The settings in force, or null before <see cref="Initialize"/>.</summary>
    public LoRaRadioSettings? Settings { get; private set; }

    /// <summary>The SPI device.</summary>
    protected ISpiBus Spi { get; }

    /// <summary>Reset, busy and interrupt lines.</summary>
    protected IRadioPins Pins { get; }

    /// <summary>Time source.</summary>
    protected IRadioTimer Timer { get; }

    /// <summary>Resets the chip, checks it is the expected one, and configures it; throws <see cref="RadioException"/> naming the cause.</summary>
    public void Initialize(LoRaRadioSettings settings)
    {
        Settings = null;
        Activity = RadioActivity.Idle;
        CheckCommonSettings(settings);
        Configure(settings);
        Settings = settings;
    }

    /// <summary>What the chip was last told to do (refuses operations it cannot take now).</summary>
    public RadioActivity Activity { get; private set; }

    /// <summary>
    /// How long channel activity detection takes with the settings in force, in microseconds: the chip's
    /// symbol count times (2^SF + 32) / BW (DS_SX1261-2 §6.4, SX1276 datasheet §4.1.6.x); 0 before
    /// <see cref="Initialize"/>.
    /// </summary>
    public long ChannelActivityMicroseconds
    {
        get
        {
            LoRaRadioSettings? settings = Settings;
            if (settings == null)
            {
                return 0;
            }

            LoRaModulation m = settings.Modulation;
            return (long)CadSymbols(m.SpreadingFactor) * ((1L << m.SpreadingFactor) + 32) * 1000000L / m.BandwidthHz;
        }
    }

    /// <summary>Sends one packet and waits until it has left the antenna (built on <see cref="BeginTransmit"/> and <see cref="ServiceInterrupt"/>).</summary>
    public void Transmit(byte[] payload, int offset, int count)
    {
        long airtimeUs = BeginTransmit(payload, offset, count);

        // Twice the time on air plus 200 ms: generous, but a stalled chip is still caught within seconds.
        try
        {
            WaitForIrq((2 * airtimeUs) + 200000, "transmit");
            RadioInterrupt what = ServiceInterrupt(_scratch);
            if (what != RadioInterrupt.TxDone)
            {
                throw new RadioException(what == RadioInterrupt.Timeout ? RadioError.TxTimeout : RadioError.ChipError, ChipName + " transmission did not complete (IRQ flags " + Hex(LastIrqFlags >> 8) + Hex(LastIrqFlags & 0xFF).Substring(2) + "); is the interrupt line wired to the IRQ pin?");
            }
        }
        finally
        {
            if (Activity == RadioActivity.Transmitting)
            {
                Standby();
            }
        }
    }

    /// <summary>
    /// Loads the payload and starts transmitting, then returns at once with the time on air in
    /// microseconds; <see cref="ServiceInterrupt"/> reports <see cref="RadioInterrupt.TxDone"/> when the
    /// interrupt line rises (SX126x DIO1, SX127x DIO0).
    /// </summary>
    public long BeginTransmit(byte[] payload, int offset, int count)
    {
        LoRaRadioSettings settings = RequireSettings();
        if (count < 1 || count > 255 || offset < 0 || offset + count > payload.Length)
        {
            throw new RadioException(RadioError.InvalidSettings, "a LoRa packet carries 1 to 255 bytes, got " + count);
        }

        RequireNotBusy("start a transmission");
        long airtimeUs = TimeOnAir.Microseconds(settings.Modulation, count);
        Pins.SetRfSwitch(true);
        try
        {
            StartTransmit(payload, offset, count, (2 * airtimeUs) + 100000);
        }
        catch (RadioException)
        {
            Pins.SetRfSwitch(false);
            throw;
        }

        Activity = RadioActivity.Transmitting;
        return airtimeUs;
    }

    /// <summary>
    /// Starts channel activity detection (listen before talk) and returns at once;
    /// <see cref="ServiceInterrupt"/> reports <see cref="RadioInterrupt.CadClear"/> or
    /// <see cref="RadioInterrupt.CadDetected"/> after about <see cref="ChannelActivityMicroseconds"/>.
    /// </summary>
    public void StartChannelActivityDetection()
    {
        RequireSettings();
        RequireNotBusy("start channel activity detection");
        Pins.SetRfSwitch(false);
        BeginCad();
        Activity = RadioActivity.DetectingActivity;
    }

    /// <summary>
    /// The interrupt service call: if the interrupt line is high, reads and clears the chip's IRQ flags and
    /// says what happened (reading the packet into <paramref name="packet"/> on RxDone); otherwise
    /// <see cref="RadioInterrupt.None"/>. Nothing is allocated.
    /// </summary>
    public RadioInterrupt ServiceInterrupt(ReceivedPacket packet)
    {
        RequireSettings();
        if (!Pins.IsIrqHigh)
        {
            return RadioInterrupt.None;
        }

        RadioInterrupt what = ReadInterrupt(packet);
        if (what == RadioInterrupt.TxDone || what == RadioInterrupt.CadClear || what == RadioInterrupt.CadDetected || (what == RadioInterrupt.Timeout && Activity != RadioActivity.Receiving))
        {
            // The chip is back in standby by itself (DS_SX1261-2 §13.1.4, §13.4.7; SX1276 §4.1.6).
            if (Activity == RadioActivity.Transmitting)
            {
                Pins.SetRfSwitch(false);
            }

            Activity = RadioActivity.Idle;
        }
        else if (what == RadioInterrupt.Timeout)
        {
            _receiveDeadlineUs = -1;
            Activity = RadioActivity.Idle;
        }

        return what;
    }

    /// <summary>
    /// True while the chip is receiving a packet (preamble detected or header valid, not yet RxDone): a
    /// transmission or CAD now would abort it, so listen before talk waits (Meshtastic's
    /// isActivelyReceiving does the same). A preamble without a valid header within the preamble plus 13
    /// symbols is a false detection (noise, or a packet with another sync word): the driver clears it and
    /// answers false. Once the header is valid, a flag older than the longest packet is a stall: the driver
    /// restarts receive and answers false.
    /// </summary>
    public bool IsReceivingPacket()
    {
        LoRaRadioSettings settings = RequireSettings();
        int state = Activity == RadioActivity.Receiving ? ReadReceiving() : ReceivingNothing;
        if (state == ReceivingNothing)
        {
            _receivingSinceUs = -1;
            _headerSinceUs = -1;
            return false;
        }

        long now = Timer.NowMicroseconds;
        if (state == ReceivingPreamble)
        {
            if (_receivingSinceUs < 0)
            {
                _receivingSinceUs = now;
            }

            // The explicit header ends (preamble + 4.25) symbols of preamble, sync word and SFD plus the first
            // 8-symbol block after the packet starts (DS_SX1261-2 §6.1.4, time-on-air formula; SX1276 §4.1.1.7),
            // so HeaderValid follows a detected preamble within preamble + 12.25 symbols; 13 leaves margin.
            LoRaModulation m = settings.Modulation;
            if (now - _receivingSinceUs > (long)((m.PreambleSymbols + 13) * m.SymbolMicroseconds))
            {
                _receivingSinceUs = -1;
                FalsePreambles++;
                ClearPreambleDetected();
                return false;
            }

            return true;
        }

        if (_headerSinceUs < 0)
        {
            _headerSinceUs = now;
        }

        if (now - _headerSinceUs > TimeOnAir.Microseconds(settings.Modulation, 255))
        {
            _receivingSinceUs = -1;
            _headerSinceUs = -1;
            EnterStandby();
            BeginReceive(0);
            return false;
        }

        return true;
    }

    /// <summary>Preamble detections that no valid header followed (cleared by <see cref="IsReceivingPacket"/>).</summary>
    public int FalsePreambles { get; private set; }

    /// <summary>
    /// Reads back from the chip whether it is in LoRa continuous receive as <see cref="StartReceive"/> left it
    /// (SX126x: GetStatus chip mode RX and GetPacketType LoRa; SX127x: RegOpMode LoRa bit and RXCONTINUOUS).
    /// False after a silent reset (brown-out, a glitch on NRESET), which puts the chip back in its power-on
    /// state; the caller then runs <see cref="Initialize"/> again. Throws <see cref="RadioException"/> if the
    /// chip does not answer.
    /// </summary>
    public bool ReadBackReceiving()
    {
        RequireSettings();
        return ReadChipReceiving();
    }

    /// <summary>Starts listening; <paramref name="timeoutMs"/> 0 listens continuously (SX126x SetRx 0xFFFFFF, SX127x RXCONTINUOUS) until told otherwise.</summary>
    public void StartReceive(int timeoutMs)
    {
        RequireSettings();
        RequireNotBusy("start receiving");
        _receiveDeadlineUs = timeoutMs > 0 ? Timer.NowMicroseconds + (timeoutMs * 1000L) : -1;
        BeginReceive(timeoutMs);
        Activity = RadioActivity.Receiving;
    }

    /// <summary>Looks at the interrupt line once: a packet, a CRC error, the end of the window, or nothing yet.</summary>
    public ReceiveStatus PollReceive(ReceivedPacket packet)
    {
        RequireSettings();
        if (Pins.IsIrqHigh)
        {
            RadioInterrupt what = ServiceInterrupt(packet);
            if (what == RadioInterrupt.Packet)
            {
                return ReceiveStatus.Packet;
            }

            if (what == RadioInterrupt.CrcError)
            {
                return ReceiveStatus.CrcError;
            }

            return what == RadioInterrupt.Timeout ? ReceiveStatus.Timeout : ReceiveStatus.None;
        }

        if (_receiveDeadlineUs >= 0 && Timer.NowMicroseconds > _receiveDeadlineUs + SoftwareTimeoutSlackUs)
        {
            _receiveDeadlineUs = -1;
            Standby();
            return ReceiveStatus.Timeout;
        }

        return ReceiveStatus.None;
    }

    /// <summary>Listens for up to <paramref name="timeoutMs"/> and returns the first packet, CRC error or timeout.</summary>
    public ReceiveStatus Receive(ReceivedPacket packet, int timeoutMs)
    {
        StartReceive(timeoutMs);
        while (true)
        {
            ReceiveStatus status = PollReceive(packet);
            if (status != ReceiveStatus.None)
            {
                return status;
            }

            Timer.Delay(PollMicroseconds);
        }
    }

    /// <summary>Puts the chip in standby (oscillator on, ready to transmit or receive); ends any transmission, reception or CAD.</summary>
    public void Standby()
    {
        EnterStandby();
        Pins.SetRfSwitch(false);
        Activity = RadioActivity.Idle;
    }

    /// <summary>Puts the chip to sleep (lowest current; configuration kept).</summary>
    public void Sleep()
    {
        EnterSleep();
        Pins.SetRfSwitch(false);
        Activity = RadioActivity.Idle;
    }

    /// <summary>The IRQ flags the last interrupt service read (chip-specific bits), for messages.</summary>
    protected int LastIrqFlags { get; set; }

    /// <summary>Chip-specific standby.</summary>
    protected abstract void EnterStandby();

    /// <summary>Chip-specific sleep.</summary>
    protected abstract void EnterSleep();

    /// <summary>Symbols the chip's channel activity detection listens for at a spreading factor.</summary>
    protected abstract int CadSymbols(int spreadingFactor);

    /// <summary>Reads, without clearing, how far a packet being received has got: <see cref="ReceivingNothing"/>, <see cref="ReceivingPreamble"/> or <see cref="ReceivingHeader"/> (SX126x PreambleDetected/HeaderValid, SX127x RegModemStat).</summary>
    protected abstract int ReadReceiving();

    /// <summary>Clears a preamble detection that no header followed (SX126x: the latched PreambleDetected flag).</summary>
    protected abstract void ClearPreambleDetected();

    /// <summary>Reads the chip's mode back: true if it is in LoRa continuous receive.</summary>
    protected abstract bool ReadChipReceiving();

    /// <summary>Configures and starts channel activity detection, IRQ on CadDone.</summary>
    protected abstract void BeginCad();

    /// <summary>How long after the software deadline the driver gives up if the chip signalled nothing (the SX127x has no timer in continuous receive).</summary>
    protected abstract long SoftwareTimeoutSlackUs { get; }

    /// <summary>Chip-specific reset, probe and configuration.</summary>
    protected abstract void Configure(LoRaRadioSettings settings);

    /// <summary>Loads the payload and starts transmitting.</summary>
    protected abstract void StartTransmit(byte[] payload, int offset, int count, long chipTimeoutUs);

    /// <summary>Enters receive mode.</summary>
    protected abstract void BeginReceive(int timeoutMs);

    /// <summary>The interrupt line is high: read and clear the IRQ flags, read a received packet, set <see cref="LastIrqFlags"/>, and report what happened.</summary>
    protected abstract RadioInterrupt ReadInterrupt(ReceivedPacket packet);

    /// <summary>The settings in force; throws if <see cref="Initialize"/> has not succeeded.</summary>
    protected LoRaRadioSettings RequireSettings()
    {
        if (Settings == null)
        {
            throw new RadioException(RadioError.NotInitialized, ChipName + " is not initialised: call Initialize first (and check that it succeeded)");
        }

        return Settings;
    }

    /// <summary>Polls the interrupt line until it rises; throws <see cref="RadioError.IrqTimeout"/> after <paramref name="timeoutUs"/>.</summary>
    protected void WaitForIrq(long timeoutUs, string operation)
    {
        long deadline = Timer.NowMicroseconds + timeoutUs;
        while (!Pins.IsIrqHigh)
        {
            if (Timer.NowMicroseconds > deadline)
            {
                throw new RadioException(RadioError.IrqTimeout, ChipName + ": the interrupt line did not rise within " + (timeoutUs / 1000) + " ms of the " + operation + "; check the IRQ pin number and its wiring");
            }

            Timer.Delay(PollMicroseconds);
        }
    }

    private void RequireNotBusy(string operation)
    {
        if (Activity == RadioActivity.Transmitting)
        {
            throw new RadioException(RadioError.WrongState, ChipName + " cannot " + operation + " while a transmission is on air: wait for TxDone (ServiceInterrupt) or call Standby to abort it");
        }

        if (Activity == RadioActivity.DetectingActivity)
        {
            throw new RadioException(RadioError.WrongState, ChipName + " cannot " + operation + " while channel activity detection runs: wait for CadDone (ServiceInterrupt) or call Standby to abort it");
        }
    }

    /// <summary>Formats a byte as 0xNN for messages.</summary>
    protected static string Hex(int value)
    {
        const string digits = "0123456789ABCDEF";
        return "0x" + digits[(value >> 4) & 0xF] + digits[value & 0xF];
    }

    private void CheckCommonSettings(LoRaRadioSettings settings)
    {
        LoRaModulation m = settings.Modulation;
        if (settings.FrequencyHz < 150000000 || settings.FrequencyHz > 960000000)
        {
            throw new RadioException(RadioError.InvalidSettings, ChipName + " tunes 150-960 MHz; " + settings.FrequencyHz + " Hz is outside (is the region's band wide enough for the preset?)");
        }

        if (m.SpreadingFactor < 7 || m.SpreadingFactor > 12)
        {
            throw new RadioException(RadioError.InvalidSettings, "spreading factor " + m.SpreadingFactor + " is not supported (7-12; SF5 and SF6 need implicit-header rules these drivers do not implement)");
        }
    }
}
