using System.IO.Ports;
using System.Text;

namespace MeshMessenger.Gateway.Hardware.Gnss;

/// <summary>
/// Reads NMEA 0183 lines from a GNSS receiver on a serial port (the Pi's UART0, /dev/serial0) on one background
/// thread, passes each to an <see cref="NmeaTimeFilter"/> and raises <see cref="FixReceived"/> for each accepted
/// time. It never throws into the gateway: a missing port, a permission error or a port that vanishes is kept in
/// <see cref="GnssReceiverState.Error"/> and retried every <see cref="RetryInterval"/>; silence, garbage and no
/// fix are told by <see cref="Problem"/>. Memory is bounded: one line of at most
/// <see cref="NmeaTimeFilter.MaxSentenceLength"/> characters is held.
/// </summary>
public sealed class GnssReceiver : IDisposable
{
    /// <summary>How long a failed open waits before the next try.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly NmeaTimeFilter _filter;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private int _disposed;
    private string? _error;
    private string? _handlerError;
    private bool _open;
    private long _bytes;
    private long _lastByteAt;
    private long _lastSentenceAt;
    private long _lastFixAt;
    private Dictionary<NmeaVerdict, long> _counts = [];
    private GnssFix? _latest;

    /// <summary>Reads <paramref name="port"/> at <paramref name="baud"/>; <paramref name="time"/> stamps each line (the system clock, not the gateway clock).</summary>
    public GnssReceiver(string port, int baud, NmeaTimeFilter filter, TimeProvider time)
    {
        Port = port;
        Baud = baud;
        _filter = filter;
        _time = time;
        _lastByteAt = _lastSentenceAt = _lastFixAt = time.GetTimestamp();
    }

    /// <summary>An accepted time; raised on the reader thread.</summary>
    public event Action<GnssFix>? FixReceived;

    /// <summary>The serial port.</summary>
    public string Port { get; }

    /// <summary>Its baud rate.</summary>
    public int Baud { get; }

    /// <summary>Starts the reader thread.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "gnss " + Port };
        _thread.Start();
    }

    /// <summary>A snapshot for /health.</summary>
    public GnssReceiverState State()
    {
        lock (_gate)
        {
            return new GnssReceiverState(Port, Baud, _open, _error, _bytes, new Dictionary<NmeaVerdict, long>(_counts), _latest, Seconds(_lastByteAt), Seconds(_lastSentenceAt), Seconds(_lastFixAt));
        }
    }

    /// <summary>
    /// Why the receiver gives no time, naming the port and the likely fix, or null while it does: the port does not
    /// open; nothing arrived for <paramref name="noData"/>; bytes but no valid sentence for <paramref name="noData"/>;
    /// sentences but no fix for <paramref name="noFix"/>.
    /// </summary>
    public string? Problem(TimeSpan noData, TimeSpan noFix)
    {
        GnssReceiverState s = State();
        string? error = s.Error;
        lock (_gate)
        {
            error ??= _handlerError;
        }

        if (error is not null)
        {
            return $"gnss: {error}";
        }

        if (s.SecondsSinceSentence > noData.TotalSeconds)
        {
            long sentences = s.Counts.Where(c => c.Key is not NmeaVerdict.Garbage and not NmeaVerdict.BadChecksum).Sum(c => c.Value);
            bool bytesFlow = s.SecondsSinceBytes <= noData.TotalSeconds;
            return bytesFlow || (s.Bytes > 0 && sentences == 0)
                ? $"gnss: bytes on {Port} but no valid NMEA sentence for {s.SecondsSinceSentence:F0} s (wrong baud rate? configured {Baud}; or the serial console is on this port)"
                : $"gnss: no NMEA on {Port} for {s.SecondsSinceBytes:F0} s (is the receiver powered and its TX wired to the Pi's RXD, GPIO 15?)";
        }

        if (s.SecondsSinceFix > noFix.TotalSeconds)
        {
            return $"gnss: NMEA on {Port} but no fix for {s.SecondsSinceFix:F0} s (the antenna needs a view of the open sky)";
        }

        return null;
    }

    /// <summary>Stops the reader thread and closes the port.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(2));
        _stop.Dispose();
    }

    private double Seconds(long since) => _time.GetElapsedTime(since).TotalSeconds;

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using SerialPort port = Open();
                lock (_gate)
                {
                    _error = null;
                    _open = true;
                }

                Read(port);
            }
            catch (Exception e)
            {
                // Every failure, expected or not: an exception that left this thread would end the gateway, and a
                // thread that ended quietly would leave /health "ok" with no time. Kept, shown, retried.
                lock (_gate)
                {
                    _error = Describe(e);
                }
            }

            lock (_gate)
            {
                _open = false;
            }

            _stop.Token.WaitHandle.WaitOne(RetryInterval);
        }
    }

    private SerialPort Open()
    {
        if (!File.Exists(Port))
        {
            throw new FileNotFoundException($"{Port} does not exist (on a Pi: enable_uart=1 in /boot/firmware/config.txt and the serial console off, or name the receiver's port in Gateway:Gnss:Port)");
        }

        var port = new SerialPort(Port, Baud, Parity.None, 8, StopBits.One) { ReadTimeout = 500, Handshake = Handshake.None };
        try
        {
            port.Open();
            return port;
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    private string Describe(Exception e) => e switch
    {
        FileNotFoundException => e.Message,
        UnauthorizedAccessException => $"permission denied on {Port} (add the gateway's user to the dialout group: usermod -aG dialout meshmsg)",
        IOException or InvalidOperationException or ArgumentException => $"{Port}: {e.Message}",
        _ => $"{Port}: reader failed ({e.GetType().Name}: {e.Message})",
    };

    private void Read(SerialPort port)
    {
        byte[] buffer = new byte[256];
        var line = new StringBuilder(NmeaTimeFilter.MaxSentenceLength + 2);
        bool overlong = false;
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = port.Read(buffer, 0, buffer.Length);
            }
            catch (TimeoutException)
            {
                continue;
            }

            lock (_gate)
            {
                _bytes += n;
                _lastByteAt = _time.GetTimestamp();
            }

            for (int i = 0; i < n; i++)
            {
                char c = (char)buffer[i];
                if (c == '\n')
                {
                    Judge(overlong ? "overlong" : line.ToString().TrimEnd('\r'));
                    line.Clear();
                    overlong = false;
                }
                else if (line.Length > NmeaTimeFilter.MaxSentenceLength)
                {
                    overlong = true; // dropped up to the next line end: bounded memory on a port that never sends one
                }
                else
                {
                    line.Append(c);
                }
            }
        }
    }

    private void Judge(string line)
    {
        DateTimeOffset receivedAt = _time.GetUtcNow();
        NmeaVerdict verdict = _filter.Accept(line, receivedAt);
        GnssFix? fix = verdict == NmeaVerdict.Time ? _filter.Latest : null;
        lock (_gate)
        {
            _counts = new Dictionary<NmeaVerdict, long>(_filter.Counts);
            if (verdict is not NmeaVerdict.Garbage and not NmeaVerdict.BadChecksum)
            {
                _lastSentenceAt = _time.GetTimestamp();
            }

            if (fix is not null)
            {
                _latest = fix;
                _lastFixAt = _time.GetTimestamp();
            }
        }

        if (fix is not null)
        {
            string? failure = null;
            try
            {
                FixReceived?.Invoke(fix);
            }
            catch (Exception e)
            {
                failure = $"a fix handler failed ({e.GetType().Name}: {e.Message})"; // a bug downstream must not stop the reader
            }

            lock (_gate)
            {
                _handlerError = failure;
            }
        }
    }
}
