using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Gnss;
using MeshMessenger.Gateway.Hardware.Tests.Gnss;
using MeshMessenger.Gateway.Timekeeping;
using Microsoft.Extensions.DependencyInjection;

namespace MeshMessenger.Gateway.Tests.Timekeeping;

/// <summary>GNSS time and /health through a real serial line (a socat pty pair) into the gateway.</summary>
public sealed class GnssHealthTests
{
    [Fact]
    public async Task A_port_with_no_NMEA_makes_health_degraded_naming_it_and_RMC_then_makes_it_ok_with_gnss_time()
    {
        using var pty = new PtyPair();
        await using LinkGateway gateway = await LinkGateway.StartAsync("gnss", $"--Gateway:Gnss:Port={pty.ReceiverPort}", "--Gateway:Gnss:NoDataSeconds=1", "--Gateway:Gnss:ThresholdSeconds=0.5");
        using var http = new HttpClient();

        await Task.Delay(1500);
        JsonElement health = JsonDocument.Parse(await http.GetStringAsync(gateway.BaseUrl + "/health")).RootElement;
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains(health.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith($"gnss: no NMEA on {pty.ReceiverPort}", StringComparison.Ordinal));
        Assert.Equal(pty.ReceiverPort, health.GetProperty("time").GetProperty("gnss").GetProperty("port").GetString());

        // The module gets a fix: its UTC is 2 minutes ahead of this machine's clock.
        var stop = Stopwatch.StartNew();
        JsonElement time;
        do
        {
            pty.Send(Nmea.Rmc(DateTimeOffset.UtcNow.AddMinutes(2)));
            await Task.Delay(200);
            health = JsonDocument.Parse(await http.GetStringAsync(gateway.BaseUrl + "/health")).RootElement;
            time = health.GetProperty("time");
        }
        while (time.GetProperty("source").GetString() != "gnss" && stop.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal("gnss", time.GetProperty("source").GetString());
        Assert.InRange(time.GetProperty("offsetMs").GetInt64(), 118_000, 120_100);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, time.GetProperty("position").ValueKind);
        Assert.InRange(gateway.Services.GetRequiredService<GatewayClock>().GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(118), TimeSpan.FromSeconds(121));
    }

    [Fact]
    public async Task GNSS_time_through_the_pty_reaches_the_clock_and_a_bad_fix_does_not()
    {
        using var pty = new PtyPair();
        using var folder = new TestFolder("gnss-clock");
        var options = new GnssOptions { Port = pty.ReceiverPort };
        var clock = new GatewayClock(TimeProvider.System, new FakeSync(false), new ClockFloorFile(Path.Combine(folder.Path, "clock-floor")), options);
        using var gnss = new GnssTime(clock, options);
        var fixes = new BlockingCollection<GnssFix>();
        gnss.Receiver!.FixReceived += fixes.Add;
        await gnss.StartAsync(CancellationToken.None);
        var opened = Stopwatch.StartNew();
        while (!gnss.Receiver.State().IsOpen && opened.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        pty.Send(Nmea.Rmc(new DateTimeOffset(1980, 1, 6, 0, 0, 0, TimeSpan.Zero)));
        pty.Send(Nmea.Rmc(DateTimeOffset.UtcNow.AddHours(5), 'V'));
        pty.Send(Nmea.Rmc(DateTimeOffset.UtcNow.AddSeconds(30)));
        Assert.True(fixes.TryTake(out GnssFix? fix, TimeSpan.FromSeconds(10)));
        Assert.Equal("gnss", clock.Source());
        Assert.InRange(fix!.OffsetMilliseconds, 28_000, 30_100);
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(28), TimeSpan.FromSeconds(31));
        Assert.Equal(1, gnss.Receiver.State().Counts[NmeaVerdict.BadDate]);

        // A jump of an hour in one sentence is refused: the clock keeps the offset it had.
        pty.Send(Nmea.Rmc(DateTimeOffset.UtcNow.AddHours(1)));
        Assert.True(fixes.TryTake(out _, TimeSpan.FromSeconds(10)));
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(28), TimeSpan.FromSeconds(31));
        Assert.Equal(1, JsonSerializer.SerializeToElement(clock.Health(false, null)).GetProperty("jumpsRefused").GetInt64());
    }
}
