using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Gnss;

namespace MeshMessenger.Gateway.Timekeeping;

/// <summary>
/// The time the gateway stamps entries, outbox rows and batch windows with. It is the system clock, corrected by
/// the GNSS receiver's offset while the system clock is unsynchronised (no NTP without internet; a Pi has no
/// real-time clock and starts where fake-hwclock stopped) or further than <see cref="GnssOptions.ThresholdSeconds"/>
/// from GNSS. It never goes back past a time it has given out, across restarts too (<see cref="ClockFloorFile"/>):
/// a clock set back makes it hold still until real time passes the floor.
/// A jump in GNSS time (a fix whose offset differs from the one in use by more than <see cref="GnssOptions.JumpSeconds"/>)
/// is refused until <see cref="GnssOptions.JumpConfirmFixes"/> fixes in a row agree on the new offset; then it is
/// stepped to, forwards at once, backwards held by the floor. A single spoofed or corrupt sentence moves nothing.
/// While the system clock is synchronised GNSS moves it by at most <see cref="GnssOptions.SyncedLimitSeconds"/>, and
/// a floor further than that ahead of it is dropped: the one exception to "never backwards", for a floor a spoofer
/// pushed into the future while the clock was unsynchronised (docs/gateway.md, "Time without internet").
/// </summary>
public sealed class GatewayClock : TimeProvider
{
    private static readonly TimeSpan SyncCheckInterval = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _system;
    private readonly IClockSyncState _sync;
    private readonly ClockFloorFile? _floorFile;
    private readonly GnssOptions _options;
    private readonly object _gate = new();
    private long _last; // the latest Unix ms given out
    private long _reserved; // the floor on disk
    private long? _offsetMs; // GNSS UTC minus system clock, in use
    private long _offsetAt; // monotonic timestamp of the fix that last confirmed it
    private long? _candidateMs;
    private int _candidateFixes;
    private long _jumpsRefused;
    private long _jumpsTaken;
    private long _floorResets;
    private GnssFix? _lastFix;
    private bool _synced;
    private long _syncCheckedAt;
    private bool _syncChecked;

    /// <summary>The clock over <paramref name="system"/>; <paramref name="floorFile"/> null keeps the floor in memory only.</summary>
    public GatewayClock(TimeProvider system, IClockSyncState sync, ClockFloorFile? floorFile, GnssOptions options)
    {
        _system = system;
        _sync = sync;
        _floorFile = floorFile;
        _options = options;
        _last = _reserved = floorFile?.Load() ?? long.MinValue;
    }

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => _system.LocalTimeZone;

    /// <inheritdoc/>
    public override long TimestampFrequency => _system.TimestampFrequency;

    /// <inheritdoc/>
    public override long GetTimestamp() => _system.GetTimestamp();

    /// <summary>Takes a fix from the receiver (any thread).</summary>
    public void Observe(GnssFix fix)
    {
        long offset = fix.OffsetMilliseconds;
        long jump = (long)(_options.JumpSeconds * 1000);
        lock (_gate)
        {
            _lastFix = fix;
            if (_offsetMs is not long current || Math.Abs(offset - current) <= jump)
            {
                Use(offset);
                return;
            }

            if (_candidateMs is long candidate && Math.Abs(offset - candidate) <= jump)
            {
                _candidateFixes++;
            }
            else
            {
                _candidateMs = offset;
                _candidateFixes = 1;
            }

            if (_candidateFixes >= _options.JumpConfirmFixes)
            {
                _jumpsTaken++;
                Use(offset);
            }
            else
            {
                _jumpsRefused++;
            }
        }
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        DateTimeOffset raw = _system.GetUtcNow();
        lock (_gate)
        {
            string source = SourceLocked(raw);
            long now = raw.ToUnixTimeMilliseconds() + (source == "gnss" ? _offsetMs!.Value : 0);
            if (_synced && _last - now > SyncedLimitMs + (long)ClockFloorFile.Lease.TotalMilliseconds)
            {
                // A synchronised clock says the floor is in the future: it was set by a wrong clock. Follow NTP.
                _floorResets++;
                _last = _reserved = long.MinValue;
            }

            if (now < _last)
            {
                now = _last;
            }

            _last = now;
            if (_floorFile is not null && now > _reserved)
            {
                long reserve = now + (long)ClockFloorFile.Lease.TotalMilliseconds;
                try
                {
                    _floorFile.Store(reserve);
                    _reserved = reserve;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A full or read-only disk must not stop stamping; the floor in memory still holds.
                }
            }

            return DateTimeOffset.FromUnixTimeMilliseconds(now);
        }
    }

    /// <summary>"gnss" while the GNSS offset is applied, "system" while the synchronised system clock is used, "none" when neither vouches for the time.</summary>
    public string Source()
    {
        DateTimeOffset raw = _system.GetUtcNow();
        lock (_gate)
        {
            return SourceLocked(raw);
        }
    }

    /// <summary>
    /// For a gateway with a receiver: why GNSS time is not used (it disagrees with the synchronised system clock by
    /// more than the limit), or that nothing vouches for the time (unsynchronised, and no fix in use: every fix was
    /// refused as a jump, or the last is older than the hold); null while the time has a source.
    /// </summary>
    public string? Problem()
    {
        DateTimeOffset raw = _system.GetUtcNow();
        lock (_gate)
        {
            if (SourceLocked(raw) == "none")
            {
                return $"time: no time source: the system clock is unsynchronised and no GNSS fix is in use ({_jumpsRefused} fixes refused as jumps)";
            }

            return _synced && Fresh && Math.Abs(_offsetMs!.Value) > SyncedLimitMs
                ? $"time: GNSS and the synchronised system clock differ by {Math.Abs(_offsetMs.Value) / 1000} s; keeping the system clock (a spoofed GNSS signal, or a wrong NTP server)"
                : null;
        }
    }

    /// <summary>The time part of /health; <paramref name="gnss"/> is the receiver's part, if any.</summary>
    public object Health(bool sharePosition, object? gnss)
    {
        DateTimeOffset raw = _system.GetUtcNow();
        lock (_gate)
        {
            string source = SourceLocked(raw);
            return new
            {
                source,
                systemSynchronized = _synced,
                offsetMs = _offsetMs,
                lastFixAgeSeconds = _lastFix is null ? (double?)null : Math.Round(_system.GetElapsedTime(_offsetAt).TotalSeconds, 1),
                lastFixSentence = _lastFix?.Sentence,
                jumpsRefused = _jumpsRefused,
                jumpsTaken = _jumpsTaken,
                floorResets = _floorResets,
                floorUnixMs = _last == long.MinValue ? (long?)null : _last,
                gnss,
                position = sharePosition && _lastFix is { Latitude: double lat, Longitude: double lon } ? new { latitude = lat, longitude = lon } : null,
            };
        }
    }

    private long SyncedLimitMs => (long)(_options.SyncedLimitSeconds * 1000);

    private bool Fresh => _offsetMs is not null && _system.GetElapsedTime(_offsetAt).TotalMinutes <= _options.HoldMinutes;

    private void Use(long offset)
    {
        _offsetMs = offset;
        _offsetAt = _system.GetTimestamp();
        _candidateMs = null;
        _candidateFixes = 0;
    }

    private string SourceLocked(DateTimeOffset raw)
    {
        if (!_syncChecked || _system.GetElapsedTime(_syncCheckedAt) >= SyncCheckInterval)
        {
            _synced = _sync.IsSynchronized();
            _syncCheckedAt = _system.GetTimestamp();
            _syncChecked = true;
        }

        long magnitude = _offsetMs is long offset ? Math.Abs(offset) : 0;
        if (Fresh && (!_synced || (magnitude > _options.ThresholdSeconds * 1000 && magnitude <= SyncedLimitMs)))
        {
            return "gnss";
        }

        return _synced ? "system" : "none";
    }
}
