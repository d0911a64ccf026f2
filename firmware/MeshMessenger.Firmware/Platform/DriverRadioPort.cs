using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.Drivers;

namespace MeshMessenger.Firmware.Platform;

/// <summary>
/// The device's radio port over an SX126x or SX127x driver. Between transmissions the chip listens
/// continuously. A transmission is preceded by channel activity detection (listen before talk): the first
/// <see cref="Transmit"/> of a frame starts CAD and answers false, so <see cref="DeviceApp"/> retries after
/// one slot as it does whenever the radio cannot start; by then <see cref="Poll"/> has taken CadDone. A busy
/// verdict is answered once by <see cref="IsChannelBusy"/>, which makes DeviceApp back off by its own
/// contention window (so does a packet being received, which CAD would abort); a clear verdict lets the next <see cref="Transmit"/> start the transmission at once.
/// <see cref="Poll"/> services the chip's interrupt: TxDone → <see cref="DeviceApp.OnTransmitDone"/>,
/// RxDone → <see cref="DeviceApp.OnReceive"/> with the chip's RSSI and SNR. A chip that fails, hangs or
/// resets behind the driver's back (its mode read back after every return to receive and every 10 s) is
/// re-initialised with the settings the port was opened with, with a doubling back-off (firmware/README.md).
/// </summary>
public sealed class DriverRadioPort : IRadioPort
{
    private const int VerdictNone = 0;
    private const int VerdictClear = 1;
    private const int VerdictBusy = 2;

    /// <summary>First wait before re-initialising a chip that failed; doubles per failed attempt.</summary>
    public const long FirstReinitialiseDelayMs = 100;

    /// <summary>Longest wait between re-initialisation attempts: a dead chip costs one reset sequence a minute.</summary>
    public const long MaxReinitialiseDelayMs = 60000;

    /// <summary>How often a listening chip's mode is read back to catch a silent reset.</summary>
    public const long HealthCheckIntervalMs = 10000;

    private readonly LoRaTransceiver _driver;
    private readonly LoRaRadioSettings _settings;
    private readonly IClock _clock;
    private readonly ReceivedPacket _packet = new ReceivedPacket();
    private readonly long _cadMs;
    private readonly long _verdictLifetimeMs;
    private readonly long _symbolMs;
    private DeviceApp? _app;
    private int _verdict;
    private long _verdictAtMs;
    private long _operationEndMs = long.MaxValue;
    private long _cadStartMs;
    private bool _transmissionPending;
    private bool _needsReinitialise;
    private long _reinitialiseAtMs;
    private long _reinitialiseDelayMs = FirstReinitialiseDelayMs;
    private long _nextHealthCheckMs;

    /// <summary>Creates the port over an initialised driver; throws <see cref="RadioException"/> if it is not.</summary>
    public DriverRadioPort(LoRaTransceiver driver, IClock clock)
    {
        LoRaRadioSettings? settings = driver.Settings;
        if (settings == null)
        {
            throw new RadioException(RadioError.NotInitialized, driver.ChipName + " is not initialised: call Initialize before opening the radio port");
        }

        _driver = driver;
        _settings = settings;
        _clock = clock;
        _cadMs = (driver.ChannelActivityMicroseconds + 999) / 1000;
        _symbolMs = ((long)settings.Modulation.SymbolMicroseconds + 999) / 1000;

        // A clear verdict serves the Transmit that DeviceApp retries one slot later (RoutingContext.SlotMs:
        // 2.5 symbols + 8.1 ms); four symbols and 10 ms cover it. Older verdicts are stale: CAD runs again.
        _verdictLifetimeMs = (4 * _symbolMs) + 10;
    }

    /// <summary>The driver.</summary>
    public LoRaTransceiver Driver => _driver;

    /// <summary>The last packet received (valid until the next <see cref="Poll"/>).</summary>
    public ReceivedPacket LastPacket => _packet;

    /// <summary>Packets dropped with a bad CRC.</summary>
    public int CrcErrors { get; private set; }

    /// <summary>CAD runs that found the channel clear.</summary>
    public int CadClear { get; private set; }

    /// <summary>CAD runs that found LoRa symbols on the channel.</summary>
    public int CadBusy { get; private set; }

    /// <summary>Driver errors the port saw (each followed by a return to receive or a re-initialisation).</summary>
    public int RadioErrors { get; private set; }

    /// <summary>Times the port ran the driver's Initialize again after the chip failed or lost its configuration.</summary>
    public int Reinitialisations { get; private set; }

    /// <summary>Transmissions reported ended to the application (once each: TxDone, or the failure that ended it).</summary>
    public int TransmissionsEnded { get; private set; }

    /// <summary>Re-initialisations that failed (the chip did not answer or did not take the configuration).</summary>
    public int FailedReinitialisations { get; private set; }

    /// <summary>True while the port waits to re-initialise a chip that failed; it neither sends nor receives meanwhile.</summary>
    public bool RadioDown => _needsReinitialise;

    /// <summary>When the transmission or CAD in progress should end, or the next re-initialisation is due (poll then), or <see cref="long.MaxValue"/>.</summary>
    public long NextPollMs
    {
        get
        {
            if (_needsReinitialise)
            {
                return _reinitialiseAtMs;
            }

            return _driver.Activity == RadioActivity.Transmitting || _driver.Activity == RadioActivity.DetectingActivity ? _operationEndMs : long.MaxValue;
        }
    }

    /// <inheritdoc />
    public bool IsTransmitting => _driver.Activity == RadioActivity.Transmitting;

    /// <inheritdoc />
    /// <remarks>True once per busy CAD verdict, while it is fresh, and while the chip is receiving a packet; the caller backs off.</remarks>
    public bool IsChannelBusy
    {
        get
        {
            if (_verdict == VerdictBusy && _clock.MonotonicMilliseconds - _verdictAtMs <= _verdictLifetimeMs)
            {
                _verdict = VerdictNone;
                return true;
            }

            if (_needsReinitialise)
            {
                return false; // Transmit refuses until the chip is back
            }

            // A packet being received: CAD or a transmission now would abort it (the chip is half duplex).
            try
            {
                return _driver.IsReceivingPacket();
            }
            catch (RadioException)
            {
                RadioErrors++;
                ScheduleReinitialise();
                return false;
            }
        }
    }

    /// <summary>Connects the application that gets the radio's callbacks, and starts continuous receive.</summary>
    public void Attach(DeviceApp app)
    {
        _app = app;
        if (_driver.Activity == RadioActivity.Idle)
        {
            Listen();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Starts the transmission if a fresh CAD found the channel clear; otherwise starts CAD and answers
    /// false (DeviceApp retries after a slot). False too while a transmission or CAD is in progress.
    /// </remarks>
    public bool Transmit(byte[] frame)
    {
        if (frame == null || frame.Length < 1 || frame.Length > 255)
        {
            return false;
        }

        if (_needsReinitialise)
        {
            return false;
        }

        RadioActivity activity = _driver.Activity;
        if (activity == RadioActivity.Transmitting || activity == RadioActivity.DetectingActivity)
        {
            return false;
        }

        long now = _clock.MonotonicMilliseconds;
        bool clear = _verdict == VerdictClear && now - _verdictAtMs <= _verdictLifetimeMs;
        _verdict = VerdictNone;
        try
        {
            if (clear)
            {
                long airtimeUs = _driver.BeginTransmit(frame, 0, frame.Length);
                _operationEndMs = now + ((airtimeUs + 999) / 1000) + 1; // + 1 ms: the millisecond clock truncates, SPI takes microseconds
                _transmissionPending = true;
                return true;
            }

            _driver.StartChannelActivityDetection();
            _cadStartMs = now;
            _operationEndMs = now + _cadMs + 1;
        }
        catch (RadioException)
        {
            RadioErrors++;
            Recover();
        }

        return false;
    }

    /// <summary>Services every pending interrupt (at most a few per call).</summary>
    public void Poll()
    {
        int serviced = 0;
        while (serviced < 4 && PollOnce() != RadioInterrupt.None)
        {
            serviced++;
        }
    }

    /// <summary>Services one interrupt and says which; the application's callbacks run from here.</summary>
    public RadioInterrupt PollOnce()
    {
        if (_needsReinitialise)
        {
            if (_clock.MonotonicMilliseconds >= _reinitialiseAtMs)
            {
                Reinitialise();
            }

            return RadioInterrupt.None;
        }

        RadioActivity before = _driver.Activity;
        RadioInterrupt what;
        try
        {
            what = _driver.ServiceInterrupt(_packet);
        }
        catch (RadioException)
        {
            RadioErrors++;
            Recover();
            return RadioInterrupt.None;
        }

        switch (what)
        {
            case RadioInterrupt.None:
                if ((before == RadioActivity.Transmitting || before == RadioActivity.DetectingActivity) && _clock.MonotonicMilliseconds > _operationEndMs + 1000 + (8 * _symbolMs))
                {
                    // The interrupt never came (a lost edge, a stalled chip, or one that reset and lost its
                    // IRQ mapping): give the radio back, re-initialising it if it is not itself.
                    RadioErrors++;
                    Recover();
                }
                else if (before == RadioActivity.Receiving && _clock.MonotonicMilliseconds >= _nextHealthCheckMs)
                {
                    CheckListening();
                }

                break;
            case RadioInterrupt.TxDone:
                Listen();
                TransmissionEnded();
                break;
            case RadioInterrupt.Packet:
                if (_app != null)
                {
                    // DeviceApp keeps the bytes (queues, relays), so they are copied out of the driver's buffer.
                    _app.OnReceive(_packet.ToArray(), _packet.RssiDbm, _packet.SnrDb);
                }

                break;
            case RadioInterrupt.CrcError:
                CrcErrors++;
                break;
            case RadioInterrupt.CadClear:
            case RadioInterrupt.CadDetected:
                _verdict = what == RadioInterrupt.CadClear ? VerdictClear : VerdictBusy;

                // The verdict's age counts from when the chip finished CAD (start + its duration), not from this
                // poll, which may come later; a poll before the expected end still stamps no later than now.
                long now = _clock.MonotonicMilliseconds;
                long doneMs = _cadStartMs + _cadMs;
                _verdictAtMs = doneMs < now ? doneMs : now;
                if (what == RadioInterrupt.CadClear)
                {
                    CadClear++;
                }
                else
                {
                    CadBusy++;
                }

                Listen();
                break;
            case RadioInterrupt.Timeout:
                RadioErrors++;
                Recover();
                break;
        }

        return what;
    }

    /// <summary>
    /// After a driver error or a missing interrupt: ends the transmission in progress for the application
    /// (exactly once), then puts the chip back to receive; if it does not go back, or reads back not
    /// receiving (it reset and lost its configuration), re-initialises it.
    /// </summary>
    private void Recover()
    {
        TransmissionEnded();
        try
        {
            _driver.Standby();
        }
        catch (RadioException)
        {
            // BUSY stuck high or no answer: only a reset sequence can help.
            ScheduleReinitialise();
            return;
        }

        Listen();
    }

    /// <summary>Tells the application its transmission is over, once per transmission (TxDone or a failure).</summary>
    private void TransmissionEnded()
    {
        if (_transmissionPending)
        {
            _transmissionPending = false;
            TransmissionsEnded++;
            if (_app != null)
            {
                _app.OnTransmitDone();
            }
        }
    }

    /// <summary>Starts continuous receive and reads the chip's mode back; a chip that is not receiving afterwards is re-initialised.</summary>
    private void Listen()
    {
        try
        {
            if (_driver.Activity != RadioActivity.Idle)
            {
                _driver.Standby();
            }

            _driver.StartReceive(0);
            _nextHealthCheckMs = _clock.MonotonicMilliseconds + HealthCheckIntervalMs;
            if (!_driver.ReadBackReceiving())
            {
                // A silent reset (brown-out, NRESET glitch): the chip is in its power-on mode, not LoRa receive.
                ScheduleReinitialise();
            }
        }
        catch (RadioException)
        {
            RadioErrors++;
            ScheduleReinitialise();
        }
    }

    /// <summary>Every <see cref="HealthCheckIntervalMs"/> while listening: one read-back catches a chip that reset while idle.</summary>
    private void CheckListening()
    {
        _nextHealthCheckMs = _clock.MonotonicMilliseconds + HealthCheckIntervalMs;
        try
        {
            if (_driver.ReadBackReceiving())
            {
                return;
            }
        }
        catch (RadioException)
        {
        }

        RadioErrors++;
        ScheduleReinitialise();
    }

    /// <summary>Marks the chip for re-initialisation; the first attempt runs at the next poll.</summary>
    private void ScheduleReinitialise()
    {
        TransmissionEnded();
        if (!_needsReinitialise)
        {
            _needsReinitialise = true;
            _reinitialiseAtMs = _clock.MonotonicMilliseconds;
        }
    }

    /// <summary>
    /// Runs the driver's reset, probe and configuration with the settings the port was opened with, then
    /// listens. On failure the next attempt waits twice as long, up to <see cref="MaxReinitialiseDelayMs"/>,
    /// so a dead chip does not take the CPU (a reset sequence blocks for about 5 ms).
    /// </summary>
    private void Reinitialise()
    {
        Reinitialisations++;
        _needsReinitialise = false;
        _verdict = VerdictNone;
        try
        {
            _driver.Initialize(_settings);
        }
        catch (RadioException)
        {
            Failed();
            return;
        }

        Listen();
        if (_needsReinitialise)
        {
            Failed();
            return;
        }

        _reinitialiseDelayMs = FirstReinitialiseDelayMs;
    }

    private void Failed()
    {
        FailedReinitialisations++;
        _needsReinitialise = true;
        _reinitialiseAtMs = _clock.MonotonicMilliseconds + _reinitialiseDelayMs;
        _reinitialiseDelayMs = _reinitialiseDelayMs * 2 > MaxReinitialiseDelayMs ? MaxReinitialiseDelayMs : _reinitialiseDelayMs * 2;
    }
}
