using Iot.Device.Nmea0183;
using Iot.Device.Nmea0183.Sentences;

namespace MeshMessenger.Gateway.Hardware.Gnss;

/// <summary>
/// Takes UTC only from NMEA 0183 sentences that carry a satellite fix, through the Nmea0183 binding's parser
/// (<see cref="TalkerSentence.FromSentenceString(string, out NmeaError)"/> checks the checksum; the typed
/// sentences decode the status and quality). The time, date and position fields are read here, strictly
/// (<see cref="NmeaFields"/>): the binding wraps hour 24 to midnight and minute 99 into the next hour, so a
/// sentence with a valid checksum and an impossible field would move the clock. Accepted: RMC with status A (NMEA 0183 v4.11 section 8.3.78), ZDA (8.3.109)
/// while a fix was seen in the last <see cref="FixHold"/> (ZDA has no status field, and u-blox receivers send it
/// from their RTC before the first fix). GGA (8.3.40) with quality 1 or more only marks a fix. Refused: a bad
/// or missing checksum, status V, quality 0, a date before <see cref="NotBefore"/> (the GPS week number
/// rollover sends old receivers back 1024 weeks, to 1980, 1999 or 2019; IS-GPS-200 section 20.3.3.3.1.1) or
/// more than 1024 weeks after it. Not thread-safe: one reader thread owns it.
/// </summary>
public sealed class NmeaTimeFilter(DateTimeOffset notBefore)
{
    /// <summary>NMEA 0183 caps a sentence at 82 characters with '$' and CR LF; longer lines are garbage.</summary>
    public const int MaxSentenceLength = 82;

    /// <summary>How long a fix seen in RMC or GGA lets a ZDA's time count.</summary>
    public static readonly TimeSpan FixHold = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RolloverPeriod = TimeSpan.FromDays(1024 * 7);
    private DateTimeOffset _lastFixSeenAt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastDate = DateTimeOffset.MinValue;

    /// <summary>The earliest date accepted (the build date).</summary>
    public DateTimeOffset NotBefore { get; } = notBefore;

    /// <summary>The last accepted time, or null.</summary>
    public GnssFix? Latest { get; private set; }

    /// <summary>Sentences read, by verdict.</summary>
    public IReadOnlyDictionary<NmeaVerdict, long> Counts => _counts;

    private readonly Dictionary<NmeaVerdict, long> _counts = Enum.GetValues<NmeaVerdict>().ToDictionary(v => v, _ => 0L);

    /// <summary>Judges one line (without its line end) that arrived at <paramref name="receivedAt"/> by the system clock.</summary>
    public NmeaVerdict Accept(string line, DateTimeOffset receivedAt)
    {
        NmeaVerdict verdict = Judge(line, receivedAt);
        _counts[verdict]++;
        return verdict;
    }

    private NmeaVerdict Judge(string line, DateTimeOffset receivedAt)
    {
        // The binding accepts a sentence without "*hh"; the gateway does not (NMEA 0183 section 5.2.1: the
        // checksum is optional in the standard but every GNSS receiver sends it, and without it line noise passes).
        int star = line.LastIndexOf('*');
        if (line.Length > MaxSentenceLength || line.Length < 7 || line[0] != '$' || star < 0 || star != line.Length - 3)
        {
            return NmeaVerdict.Garbage;
        }

        TalkerSentence? talker = TalkerSentence.FromSentenceString(line, out NmeaError error);
        if (error == NmeaError.InvalidChecksum)
        {
            return NmeaVerdict.BadChecksum;
        }

        if (talker is null || error != NmeaError.None)
        {
            return NmeaVerdict.Garbage;
        }

        // The binding fills the date of time-only sentences from this; start it at the build date, not "now".
        DateTimeOffset context = _lastDate == DateTimeOffset.MinValue ? NotBefore : _lastDate;
        NmeaSentence? sentence;
        try
        {
            sentence = talker.TryGetTypedValue(ref context);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or IndexOutOfRangeException or InvalidOperationException)
        {
            return NmeaVerdict.Garbage;
        }

        switch (sentence)
        {
            case RecommendedMinimumNavigationInformation rmc:
                if (rmc.Status != NavigationStatus.Valid || !rmc.Valid)
                {
                    return NmeaVerdict.NoFix;
                }

                _lastFixSeenAt = receivedAt;
                return TakeRmc(line, receivedAt);
            case TimeDate zda:
                if (!zda.Valid || receivedAt - _lastFixSeenAt > FixHold || receivedAt < _lastFixSeenAt)
                {
                    return NmeaVerdict.NoFix;
                }

                string[] z = NmeaFields.Split(line);
                return z.Length >= 5 && NmeaFields.Utc(z[1], z[2], z[3], z[4]) is DateTimeOffset zdaUtc
                    ? Take(zdaUtc, receivedAt, "ZDA", Latest?.Latitude, Latest?.Longitude)
                    : NmeaVerdict.BadField;
            case GlobalPositioningSystemFixData gga:
                if (gga.Status is GpsQuality.NoFix or GpsQuality.Estimated or GpsQuality.Manual or GpsQuality.Simulated)
                {
                    return NmeaVerdict.NoFix;
                }

                _lastFixSeenAt = receivedAt;
                return NmeaVerdict.Other;
            default:
                // The binding answers an untyped sentence for an RMC or ZDA whose fields it cannot read (month 13, latitude 91).
                return line.Length > 6 && line[3..6] is "RMC" or "ZDA" ? NmeaVerdict.BadField : NmeaVerdict.Other;
        }
    }

    // RMC fields (NMEA 0183 v4.11 section 8.3.78): 1 hhmmss.ss, 2 status, 3-4 latitude ddmm.mm N/S,
    // 5-6 longitude dddmm.mm E/W, 7 speed, 8 course, 9 date ddmmyy.
    private NmeaVerdict TakeRmc(string line, DateTimeOffset receivedAt)
    {
        string[] f = NmeaFields.Split(line);
        if (f.Length < 10 || f[9].Length != 6 || NmeaFields.Utc(f[1], f[9][..2], f[9][2..4], "20" + f[9][4..]) is not DateTimeOffset utc)
        {
            return NmeaVerdict.BadField;
        }

        return NmeaFields.Degrees(f[3], f[4], 2, 'N', 'S') is double latitude && NmeaFields.Degrees(f[5], f[6], 3, 'E', 'W') is double longitude
            ? Take(utc, receivedAt, "RMC", latitude, longitude)
            : NmeaVerdict.BadField;
    }

    private NmeaVerdict Take(DateTimeOffset utc, DateTimeOffset receivedAt, string kind, double? latitude, double? longitude)
    {
        if (utc < NotBefore || utc > NotBefore + RolloverPeriod)
        {
            return NmeaVerdict.BadDate;
        }

        _lastDate = utc;
        Latest = new GnssFix(utc.ToUniversalTime(), receivedAt, kind, latitude, longitude);
        return NmeaVerdict.Time;
    }
}
