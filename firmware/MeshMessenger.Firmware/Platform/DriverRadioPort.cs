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
/// RxDone → <see cref="DeviceApp.OnReceive"/> with the chip's RSSI and SNR.
/// </summary>
public sealed class DriverRadioPort : IRadioPort
{
    private const int VerdictNone = 0;
    private const int VerdictClear = 1;
    private const int VerdictBusy = 2;

    private readonly LoRaTransceiver _driver;
    private readonly IClock _clock;
    private readonly ReceivedPacket _packet = new ReceivedPacket();
    private readonly long _cadMs;
    private readonly long _verdictLifetimeMs;
    private readonly long _symbolMs;
    private DeviceApp? _app;
    private int _verdict;
    private long _verdictAtMs;
    private long _operationEndMs = long.MaxValue;

    /// <summary>Creates the port over an initialised driver; throws <see cref="RadioException"/> if it is not.</summary>
    public DriverRadioPort(LoRaTransceiver driver, IClock clock)
    {
        LoRaRadioSettings? settings = driver.Settings;
        if (settings == null)
        {
            throw new RadioException(RadioError.NotInitialized, driver.ChipName + " is not initialised: call Initialize before opening the radio port");
        }

        _driver = driver;
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

    /// <summary>Driver errors the port recovered from (the radio went back to receiving).</summary>
    public int RadioErrors { get; private set; }

    /// <summary>When the transmission or CAD in progress should end (poll then), or <see cref="long.MaxValue"/>.</summary>
    public long NextPollMs => _driver.Activity == RadioActivity.Transmitting || _driver.Activity == RadioActivity.DetectingActivity ? _operationEndMs : long.MaxValue;

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

            // A packet being received: CAD or a transmission now would abort it (the chip is half duplex).
            try
            {
                return _driver.IsReceivingPacket();
            }
            catch (RadioException)
            {
                RadioErrors++;
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
                return true;
            }

            _driver.StartChannelActivityDetection();
            _operationEndMs = now + _cadMs + 1;
        }
        catch (RadioException)
        {
            RadioErrors++;
            Listen();
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
        RadioActivity before = _driver.Activity;
        RadioInterrupt what;
        try
        {
            what = _driver.ServiceInterrupt(_packet);
        }
        catch (RadioException)
        {
            RadioErrors++;
            Recover(before);
            return RadioInterrupt.None;
        }

        switch (what)
        {
            case RadioInterrupt.None:
                if ((before == RadioActivity.Transmitting || before == RadioActivity.DetectingActivity) && _clock.MonotonicMilliseconds > _operationEndMs + 1000 + (8 * _symbolMs))
                {
                    // The interrupt never came (a lost edge or a stalled chip): give the radio back.
                    RadioErrors++;
                    Recover(before);
                }

                break;
            case RadioInterrupt.TxDone:
                Listen();
                if (_app != null)
                {
                    _app.OnTransmitDone();
                }

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
                _verdictAtMs = _clock.MonotonicMilliseconds;
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
                Recover(before);
                break;
        }

        return what;
    }

    private void Recover(RadioActivity before)
    {
        try
        {
            _driver.Standby();
        }
        catch (RadioException)
        {
            // Standby failed too; Listen below reports nothing more, the next poll tries again.
        }

        Listen();
        if (before == RadioActivity.Transmitting && _app != null)
        {
            _app.OnTransmitDone();
        }
    }

    private void Listen()
    {
        try
        {
            if (_driver.Activity != RadioActivity.Idle)
            {
                _driver.Standby();
            }

            _driver.StartReceive(0);
        }
        catch (RadioException)
        {
            RadioErrors++;
        }
    }
}
