using MeshMessenger.Gateway.Hardware.Gnss;

namespace MeshMessenger.Gateway.Hardware.Tests.Gnss;

/// <summary>
/// Sentences with a valid checksum but impossible fields, as a faulty receiver or a spoofer sends them: the
/// Nmea0183 binding wraps hour 24 to midnight and minute 99 into the next hour; the filter must refuse them.
/// </summary>
public sealed class NmeaTimeFilterTests
{
    private static readonly DateTimeOffset BuildDay = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("GPRMC,240000.00,A,5230.0000,N,01324.0000,E,0.0,0.0,061226,,,A")] // hour 24
    [InlineData("GPRMC,129900.00,A,5230.0000,N,01324.0000,E,0.0,0.0,061226,,,A")] // minute 99
    [InlineData("GPRMC,120061.00,A,5230.0000,N,01324.0000,E,0.0,0.0,061226,,,A")] // second 61
    [InlineData("GPRMC,99999999999999999999.00,A,5230.0000,N,01324.0000,E,0.0,0.0,061226,,,A")] // a huge time
    [InlineData("GPRMC,120000.00,A,5230.0000,N,01324.0000,E,0.0,0.0,,,,A")] // no date
    [InlineData("GPRMC,120000.00,A,5230.0000,N,01324.0000,E,0.0,0.0,310226,,,A")] // 31 February
    [InlineData("GPRMC,120000.00,A,-5230.0000,N,-01324.0000,E,0.0,0.0,061226,,,A")] // negative coordinates
    [InlineData("GPRMC,120000.00,A,9130.0000,N,01324.0000,E,0.0,0.0,061226,,,A")] // latitude 91
    [InlineData("GPRMC,120000.00,A,5260.0000,N,01324.0000,E,0.0,0.0,061226,,,A")] // 60 minutes of arc
    [InlineData("GPRMC,120000.00,A,5230.0000,N,18100.0000,E,0.0,0.0,061226,,,A")] // longitude 181
    [InlineData("GPRMC,120000.00,A,5230.0000,Q,01324.0000,E,0.0,0.0,061226,,,A")] // hemisphere Q
    [InlineData("GPZDA,250000.00,06,12,2026,99,99")] // hour 25
    [InlineData("GPZDA,120000.00,06,13,2026,00,00")] // month 13
    [InlineData("GPZDA,120000.00,00,00,0000,00,00")] // day 0
    public void A_valid_checksum_with_an_impossible_field_gives_no_time(string body)
    {
        var filter = new NmeaTimeFilter(BuildDay);
        Assert.Equal(NmeaVerdict.Other, filter.Accept(Line(Nmea.Gga(Now, 1)), Now)); // a fix, so a ZDA would count
        NmeaVerdict verdict = filter.Accept(Line(Nmea.Sentence(body)), Now);
        Assert.Equal(NmeaVerdict.BadField, verdict);
        Assert.Null(filter.Latest);
        Assert.Equal(1, filter.Counts[NmeaVerdict.BadField]);
    }

    [Fact]
    public void Sane_fields_still_give_the_time_and_position()
    {
        var filter = new NmeaTimeFilter(BuildDay);
        Assert.Equal(NmeaVerdict.Time, filter.Accept(Line(Nmea.Sentence("GPRMC,235959.50,A,5230.0000,S,17930.0000,W,0.0,0.0,311226,,,A")), Now));
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 59, 59, 500, TimeSpan.Zero), filter.Latest!.Utc);
        Assert.Equal(-52.5, filter.Latest.Latitude!.Value, 6);
        Assert.Equal(-179.5, filter.Latest.Longitude!.Value, 6);
        Assert.Equal(NmeaVerdict.Time, filter.Accept(Line(Nmea.Zda(Now.AddSeconds(1))), Now.AddSeconds(1)));
        Assert.Equal(Now.AddSeconds(1), filter.Latest.Utc);
    }

    [Fact]
    public void NUL_bytes_and_lines_past_82_characters_are_garbage()
    {
        var filter = new NmeaTimeFilter(BuildDay);
        Assert.Equal(NmeaVerdict.Garbage, filter.Accept(Line(Nmea.Sentence("GP\0RMC,120000.00,A,5230.0000,N,01324.0000,E,0.0,0.0,061226,,,A")), Now));
        Assert.Equal(NmeaVerdict.Garbage, filter.Accept(Line(Nmea.Sentence("GPTXT," + new string('x', 80))), Now));
        Assert.Null(filter.Latest);
    }

    private static string Line(string sentence) => sentence.TrimEnd('\r', '\n');
}
