using MeshMessenger.Radio.Hardware;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Radio.Drivers;

/// <summary>
/// What the SX126x and SX127x drivers share: the bus, the pins, the timer, the settings in force, and
/// the waits with deadlines. Operations are synchronous and poll the interrupt line, so one code path
/// serves a board, the Pi and a simulation; nothing here allocates per packet.
/// </summary>
public abstract class LoRaTransceiver
{
    /// <summary>How often a wait looks at the interrupt line.</summary>
    protected const int PollMicroseconds = 500;

    private long _receiveDeadlineUs = -1;

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
        CheckCommonSettings(settings);
        Configure(settings);
        Settings = settings;
    }

    /// <summary>Sends one packet and waits until it has left the antenna.</summary>
    public void Transmit(byte[] payload, int offset, int count)
    {
        LoRaRadioSettings settings = RequireSettings();
        if (count < 1 || count > 255 || offset < 0 || offset + count > payload.Length)
        {
            throw new RadioException(RadioError.InvalidSettings, "a LoRa packet carries 1 to 255 bytes, got " + count);
        }

        // Twice the time on air plus 100 ms: generous, but a stalled chip is still caught within seconds.
        long airtimeUs = TimeOnAir.Microseconds(settings.Modulation, count);
        Pins.SetRfSwitch(true);
        try
        {
            StartTransmit(payload, offset, count, (2 * airtimeUs) + 100000);
            WaitForIrq((2 * airtimeUs) + 200000, "transmit");
            FinishTransmit();
        }
        finally
        {
            Pins.SetRfSwitch(false);
        }
    }

    /// <summary>Starts listening; <paramref name="timeoutMs"/> 0 listens until told otherwise.</summary>
    public void StartReceive(int timeoutMs)
    {
        RequireSettings();
        _receiveDeadlineUs = timeoutMs > 0 ? Timer.NowMicroseconds + (timeoutMs * 1000L) : -1;
        BeginReceive(timeoutMs);
    }

    /// <summary>Looks at the interrupt line once: a packet, a CRC error, the end of the window, or nothing yet.</summary>
    public ReceiveStatus PollReceive(ReceivedPacket packet)
    {
        RequireSettings();
        if (Pins.IsIrqHigh)
        {
            ReceiveStatus status = ReadReception(packet);
            if (status == ReceiveStatus.Timeout)
            {
                _receiveDeadlineUs = -1;
            }

            return status;
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

    /// <summary>Puts the chip in standby (oscillator on, ready to transmit or receive).</summary>
    public abstract void Standby();

    /// <summary>Puts the chip to sleep (lowest current; configuration kept).</summary>
    public abstract void Sleep();

    /// <summary>How long after the software deadline the driver gives up if the chip signalled nothing (the SX127x has no timer in continuous receive).</summary>
    protected abstract long SoftwareTimeoutSlackUs { get; }

    /// <summary>Chip-specific reset, probe and configuration.</summary>
    protected abstract void Configure(LoRaRadioSettings settings);

    /// <summary>Loads the payload and starts transmitting.</summary>
    protected abstract void StartTransmit(byte[] payload, int offset, int count, long chipTimeoutUs);

    /// <summary>Reads and clears the interrupt after a transmission; throws if it was not TxDone.</summary>
    protected abstract void FinishTransmit();

    /// <summary>Enters receive mode.</summary>
    protected abstract void BeginReceive(int timeoutMs);

    /// <summary>The interrupt line is high in receive mode: read, clear and report it.</summary>
    protected abstract ReceiveStatus ReadReception(ReceivedPacket packet);

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
