using System.Text.Json;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Gnss;
using MeshMessenger.Gateway.Timekeeping;

namespace MeshMessenger.Gateway.Tests.Timekeeping;

/// <summary>The gateway clock: when it takes GNSS time, how it treats a jump, and its floor across a restart.</summary>
public sealed class GatewayClockTests : IDisposable
{
    private static readonly DateTimeOffset Boot = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly TestFolder _folder = new("clock");
    private readonly ManualTime _system = new(Boot);

    public void Dispose() => _folder.Dispose();

    private ClockFloorFile Floor => new(Path.Combine(_folder.Path, "clock-floor"));

    private GatewayClock Clock(bool synced, ClockFloorFile? floor = null) =>
        new(_system, new FakeSync(synced), floor ?? Floor, new GnssOptions { Port = "/dev/serial0" });

    private GnssFix FixAhead(TimeSpan offset) => new(_system.GetUtcNow() + offset, _system.GetUtcNow(), "RMC", 52.5, 13.4);

    [Fact]
    public void An_unsynchronised_system_clock_takes_GNSS_time_and_reports_its_offset()
    {
        GatewayClock clock = Clock(synced: false);
        Assert.Equal("none", clock.Source());
        Assert.Equal(Boot, clock.GetUtcNow());

        clock.Observe(FixAhead(TimeSpan.FromDays(3))); // the Pi booted where fake-hwclock stopped, three days ago
        Assert.Equal("gnss", clock.Source());
        Assert.Equal(Boot.AddDays(3), clock.GetUtcNow());
        _system.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(Boot.AddDays(3).AddSeconds(30), clock.GetUtcNow());

        JsonElement health = Json(clock.Health(sharePosition: false, gnss: null));
        Assert.Equal("gnss", health.GetProperty("source").GetString());
        Assert.Equal((long)TimeSpan.FromDays(3).TotalMilliseconds, health.GetProperty("offsetMs").GetInt64());
        Assert.Equal(30, health.GetProperty("lastFixAgeSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, health.GetProperty("position").ValueKind); // off unless the operator shares it
        Assert.Equal(52.5, Json(clock.Health(sharePosition: true, gnss: null)).GetProperty("position").GetProperty("latitude").GetDouble());
    }

    [Fact]
    public void A_synchronised_system_clock_is_kept_unless_GNSS_disagrees_beyond_the_threshold()
    {
        GatewayClock clock = Clock(synced: true);
        clock.Observe(FixAhead(TimeSpan.FromMilliseconds(1500)));
        Assert.Equal("system", clock.Source());
        Assert.Equal(Boot, clock.GetUtcNow());

        GatewayClock far = Clock(synced: true, new ClockFloorFile(Path.Combine(_folder.Path, "other")));
        far.Observe(FixAhead(TimeSpan.FromSeconds(5)));
        Assert.Equal("gnss", far.Source());
        Assert.Equal(Boot.AddSeconds(5), far.GetUtcNow());
    }

    [Fact]
    public void A_fix_older_than_the_hold_time_is_no_longer_used()
    {
        GatewayClock clock = Clock(synced: false);
        clock.Observe(FixAhead(TimeSpan.FromHours(1)));
        _system.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal("none", clock.Source());
    }

    [Fact]
    public void A_jump_forward_is_refused_until_five_fixes_agree_then_taken()
    {
        GatewayClock clock = Clock(synced: false);
        clock.Observe(FixAhead(TimeSpan.FromSeconds(10)));
        Assert.Equal(Boot.AddSeconds(10), clock.GetUtcNow());

        for (int i = 1; i <= 4; i++)
        {
            _system.Advance(TimeSpan.FromSeconds(1));
            clock.Observe(FixAhead(TimeSpan.FromHours(1))); // one spoofed or corrupt sentence moves nothing
            Assert.Equal(Boot.AddSeconds(10 + i), clock.GetUtcNow());
        }

        Assert.Equal(4, Json(clock.Health(false, null)).GetProperty("jumpsRefused").GetInt64());
        _system.Advance(TimeSpan.FromSeconds(1));
        clock.Observe(FixAhead(TimeSpan.FromHours(1)));
        Assert.Equal(Boot.AddSeconds(5).AddHours(1), clock.GetUtcNow());
        Assert.Equal(1, Json(clock.Health(false, null)).GetProperty("jumpsTaken").GetInt64());
    }

    [Fact]
    public void A_jump_back_once_confirmed_holds_the_clock_at_its_floor_until_time_catches_up()
    {
        GatewayClock clock = Clock(synced: false);
        clock.Observe(FixAhead(TimeSpan.FromMinutes(10)));
        DateTimeOffset stamped = clock.GetUtcNow();
        Assert.Equal(Boot.AddMinutes(10), stamped);

        for (int i = 0; i < 5; i++)
        {
            clock.Observe(FixAhead(TimeSpan.Zero)); // GNSS now says ten minutes earlier
        }

        Assert.Equal(stamped, clock.GetUtcNow()); // not back past what it gave out
        _system.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(stamped, clock.GetUtcNow());
        _system.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(Boot.AddMinutes(11), clock.GetUtcNow());
    }

    [Fact]
    public void The_floor_survives_a_restart_with_the_system_clock_set_back()
    {
        GatewayClock first = Clock(synced: false);
        first.Observe(FixAhead(TimeSpan.FromDays(1)));
        DateTimeOffset lastStamp = first.GetUtcNow();
        Assert.True(Floor.Load() >= lastStamp.ToUnixTimeMilliseconds());

        // Power cut: the Pi comes back at the time fake-hwclock saved, a day before the last stamp, without GNSS yet.
        _system.Set(Boot.AddMinutes(1));
        GatewayClock second = Clock(synced: false);
        DateTimeOffset afterRestart = second.GetUtcNow();
        Assert.True(afterRestart >= lastStamp, $"{afterRestart:O} is before the last stamp {lastStamp:O}");
        Assert.True(afterRestart <= lastStamp + ClockFloorFile.Lease, "the floor is reserved at most one lease ahead");

        // Without the file, the clock would have gone back a day: the test can fail.
        GatewayClock forgetful = Clock(synced: false, new ClockFloorFile(Path.Combine(_folder.Path, "none")));
        Assert.True(forgetful.GetUtcNow() < lastStamp);
    }

    [Fact]
    public void A_spoofer_cannot_move_a_synchronised_clock_beyond_the_synced_limit()
    {
        GatewayClock clock = Clock(synced: true);
        for (int i = 0; i < 10; i++)
        {
            clock.Observe(FixAhead(TimeSpan.FromDays(3))); // valid sentences, consistent, three days ahead
            _system.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal("system", clock.Source());
        Assert.Equal(Boot.AddSeconds(10), clock.GetUtcNow());
        Assert.Contains("differ by 259200 s", clock.Problem(), StringComparison.Ordinal);

        for (int i = 0; i < 5; i++)
        {
            clock.Observe(FixAhead(TimeSpan.FromSeconds(30))); // within the limit: corrected, once confirmed as a jump
        }

        Assert.Equal("gnss", clock.Source());
        Assert.Null(clock.Problem());
    }

    [Fact]
    public void Fixes_that_are_all_refused_as_jumps_leave_no_time_source_and_say_so()
    {
        GatewayClock clock = Clock(synced: false);
        clock.Observe(FixAhead(TimeSpan.Zero));
        Assert.Null(clock.Problem());
        for (int minute = 1; minute <= 61; minute++)
        {
            _system.Advance(TimeSpan.FromMinutes(1));
            clock.Observe(FixAhead(TimeSpan.FromHours(minute % 2 == 0 ? 1 : 2))); // never two in a row agree
        }

        Assert.Equal("none", clock.Source());
        Assert.Equal("time: no time source: the system clock is unsynchronised and no GNSS fix is in use (61 fixes refused as jumps)", clock.Problem());
    }

    [Fact]
    public void A_floor_a_spoofer_pushed_days_ahead_is_dropped_once_the_system_clock_is_synchronised()
    {
        GatewayClock spoofed = Clock(synced: false);
        for (int i = 0; i < 5; i++)
        {
            spoofed.Observe(FixAhead(TimeSpan.FromDays(3)));
        }

        DateTimeOffset future = spoofed.GetUtcNow();
        Assert.Equal(Boot.AddDays(3), future);

        // Restart without NTP: the floor holds (nothing says the floor is wrong) ...
        _system.Advance(TimeSpan.FromMinutes(1));
        Assert.True(Clock(synced: false).GetUtcNow() >= future);

        // ... restart with NTP back: the synchronised clock wins, and the file follows it.
        GatewayClock synced = Clock(synced: true);
        Assert.Equal(Boot.AddMinutes(1), synced.GetUtcNow());
        Assert.Equal(1, Json(synced.Health(false, null)).GetProperty("floorResets").GetInt64());
        Assert.True(Floor.Load() <= Boot.AddMinutes(1).Add(ClockFloorFile.Lease).ToUnixTimeMilliseconds());
        _system.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Boot.AddMinutes(1).AddSeconds(1), synced.GetUtcNow()); // and it runs on from there
    }

    [Theory]
    [InlineData("99999999999999999")] // past DateTimeOffset.MaxValue
    [InlineData("-5")]
    [InlineData("17649")] // a torn write: the first digits only
    [InlineData(" 1764 \n")]
    [InlineData("")]
    [InlineData("\0\0\0\0")]
    public void A_garbage_or_torn_floor_file_neither_throws_nor_moves_the_clock(string content)
    {
        File.WriteAllText(Floor.Path, content.Replace("\\0", "\0", StringComparison.Ordinal));
        GatewayClock clock = Clock(synced: false);
        DateTimeOffset now = clock.GetUtcNow();
        Assert.True(now >= Boot && now < Boot.AddDays(1), $"{now:O}");
    }

    [Fact]
    public void A_huge_floor_file_is_read_only_up_to_a_few_bytes()
    {
        using (FileStream file = File.Create(Floor.Path))
        {
            file.SetLength(64L * 1024 * 1024); // 64 MB of zeros: a ReadAllText would hold 128 MB of chars
        }

        Assert.Null(Floor.Load());
        Assert.Equal(Boot, Clock(synced: false).GetUtcNow());
    }

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);
}
