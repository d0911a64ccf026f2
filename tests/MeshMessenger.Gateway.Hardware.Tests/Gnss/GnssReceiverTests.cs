using System.Collections.Concurrent;
using System.Diagnostics;
using MeshMessenger.Gateway.Hardware.Gnss;

namespace MeshMessenger.Gateway.Hardware.Tests.Gnss;

/// <summary>
/// The GNSS receiver over a real serial line: NMEA bytes written into one end of a socat pseudo-terminal pair, the
/// receiver reading the other end through System.IO.Ports and the Nmea0183 binding.
/// </summary>
public sealed class GnssReceiverTests : IDisposable
{
    private static readonly DateTimeOffset BuildDay = new(DateTimeOffset.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
    private readonly PtyPair _pty = new();
    private readonly GnssReceiver _receiver;
    private readonly BlockingCollection<GnssFix> _fixes = [];

    public GnssReceiverTests()
    {
        _receiver = new GnssReceiver(_pty.ReceiverPort, 9600, new NmeaTimeFilter(BuildDay), TimeProvider.System);
        _receiver.FixReceived += _fixes.Add;
        _receiver.Start();
        WaitFor(() => _receiver.State().IsOpen, "the receiver opens the pty");
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _pty.Dispose();
        _fixes.Dispose();
    }

    [Fact]
    public void A_valid_RMC_gives_its_UTC_and_the_system_clock_offset()
    {
        DateTimeOffset gnss = DateTimeOffset.UtcNow.AddSeconds(90);
        _pty.Send(Nmea.Rmc(gnss));
        GnssFix fix = Next();
        Assert.Equal("RMC", fix.Sentence);
        Assert.Equal(Truncate(gnss), fix.Utc);
        Assert.InRange(fix.OffsetMilliseconds, 88_000, 90_100); // 90 s ahead, less the time the line took
        Assert.Equal(52.5, fix.Latitude!.Value, 6);
        Assert.Equal(13.4, fix.Longitude!.Value, 6);
    }

    [Fact]
    public void A_ZDA_counts_only_after_a_fix_was_seen()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        _pty.Send(Nmea.Zda(now));
        _pty.Send(Nmea.Gga(now, 1));
        _pty.Send(Nmea.Zda(now.AddSeconds(1)));
        GnssFix fix = Next();
        Assert.Equal("ZDA", fix.Sentence);
        Assert.Equal(Truncate(now.AddSeconds(1)), fix.Utc);
        Assert.Equal(1, _receiver.State().Counts[NmeaVerdict.NoFix]); // the ZDA before the GGA
    }

    [Fact]
    public void A_bad_checksum_no_fix_and_a_1980_date_give_no_time()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string good = Nmea.Rmc(now);
        string corrupted = good.Replace("5230.0000", "5231.0000", StringComparison.Ordinal); // checksum now wrong
        _pty.Send(corrupted);
        _pty.Send(Nmea.Rmc(now, 'V'));
        _pty.Send(Nmea.Rmc(new DateTimeOffset(1980, 1, 6, 0, 0, 0, TimeSpan.Zero))); // GPS week rollover
        _pty.Send(Nmea.Gga(now, 0));
        _pty.Send("$GPRMC,no checksum at all\r\n");
        _pty.Send(Nmea.Rmc(now.AddSeconds(2))); // a marker: every line before it has been judged when it arrives

        GnssFix fix = Next();
        Assert.Equal(Truncate(now.AddSeconds(2)), fix.Utc);
        Assert.Empty(_fixes);
        IReadOnlyDictionary<NmeaVerdict, long> counts = _receiver.State().Counts;
        Assert.Equal(1, counts[NmeaVerdict.BadChecksum]);
        Assert.Equal(2, counts[NmeaVerdict.NoFix]); // RMC V, GGA quality 0
        Assert.Equal(1, counts[NmeaVerdict.BadDate]);
        Assert.Equal(1, counts[NmeaVerdict.Garbage]);
        Assert.Equal(1, counts[NmeaVerdict.Time]);
    }

    [Fact]
    public void Garbage_at_any_length_is_bounded_and_named_as_no_valid_NMEA()
    {
        _pty.Send(new string('x', 10_000) + "\r\n" + "\u00ff\u00fe$$$*ZZ\r\n");
        WaitFor(() => _receiver.State().Counts.GetValueOrDefault(NmeaVerdict.Garbage) == 2, "both garbage lines judged");
        Thread.Sleep(1200);
        string? problem = _receiver.Problem(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.NotNull(problem);
        Assert.Contains("no valid NMEA sentence", problem, StringComparison.Ordinal);
        Assert.Contains(_pty.ReceiverPort, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fix_handler_that_throws_neither_kills_the_reader_nor_the_process()
    {
        int calls = 0;
        _receiver.FixReceived += _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new NotSupportedException("a bug downstream");
            }
        };

        _pty.Send(Nmea.Rmc(DateTimeOffset.UtcNow));
        Next();
        WaitFor(() => _receiver.Problem(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)) is not null, "the failure is a problem");
        Assert.Contains("a bug downstream", _receiver.Problem(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)), StringComparison.Ordinal);

        _pty.Send(Nmea.Rmc(DateTimeOffset.UtcNow)); // the same reader, still alive, takes the next fix
        Next();
        WaitFor(() => Volatile.Read(ref calls) == 2, "the second fix handled");
        Assert.Null(_receiver.Problem(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)));
        Assert.True(_receiver.State().IsOpen);
    }

    [Fact]
    public void A_megabyte_of_NUL_without_a_line_end_is_one_garbage_line_and_the_next_fix_still_counts()
    {
        _pty.Send(new string('\0', 1024 * 1024)); // held: at most one 82-character line, the rest dropped
        _pty.Send("\r\n" + Nmea.Rmc(DateTimeOffset.UtcNow));
        Next();
        Assert.Equal(1, _receiver.State().Counts[NmeaVerdict.Garbage]);
        Assert.True(_receiver.State().Bytes > 1024 * 1024);
    }

    [Fact]
    public void A_port_that_sends_nothing_is_a_problem_naming_the_port()
    {
        Assert.Null(_receiver.Problem(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)));
        Thread.Sleep(1200);
        string? problem = _receiver.Problem(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Equal($"gnss: no NMEA on {_pty.ReceiverPort} for 1 s (is the receiver powered and its TX wired to the Pi's RXD, GPIO 15?)", problem);
    }

    [Fact]
    public void Sentences_without_a_fix_are_a_problem_after_the_fix_timeout()
    {
        _pty.Send(Nmea.Rmc(DateTimeOffset.UtcNow, 'V'));
        WaitFor(() => _receiver.State().Counts.GetValueOrDefault(NmeaVerdict.NoFix) == 1, "the RMC V judged");
        Thread.Sleep(1200);
        string? problem = _receiver.Problem(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        Assert.NotNull(problem);
        Assert.StartsWith($"gnss: NMEA on {_pty.ReceiverPort} but no fix", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_port_is_an_error_naming_it_not_a_crash()
    {
        string missing = "/dev/ttyMISSING-" + Guid.NewGuid().ToString("N")[..8];
        using var receiver = new GnssReceiver(missing, 9600, new NmeaTimeFilter(BuildDay), TimeProvider.System);
        receiver.Start();
        WaitFor(() => receiver.State().Error is not null, "the open fails");
        Assert.StartsWith($"gnss: {missing} does not exist", receiver.Problem(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)), StringComparison.Ordinal);
        Assert.False(receiver.State().IsOpen);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.FromMilliseconds(10).Ticks), TimeSpan.Zero);

    private GnssFix Next()
    {
        Assert.True(_fixes.TryTake(out GnssFix? fix, TimeSpan.FromSeconds(10)), "no fix within 10 s");
        return fix!;
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), what + " within 10 s");
            Thread.Sleep(20);
        }
    }
}
