using Iot.Device.Nmea0183;
using Iot.Device.Nmea0183.Sentences;

namespace MeshMessenger.Gateway.Hardware.Gnss;

/// <summary>
/// Takes UTC only from NMEA 0183 sentences that carry a satellite fix, through the Nmea0183 binding's parser
/// (<see cref="TalkerSentence.FromSentenceString(string, out NmeaError)"/> checks the checksum; the typed
/// sentences decode the fields). Accepted: RMC with status A (NMEA 0183 v4.11 section 8.3.78), ZDA (8.3.109)
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
                return Take(rmc.DateTime, receivedAt, "RMC", rmc.Position?.Latitude, rmc.Position?.Longitude);
            case TimeDate zda:
                if (!zda.Valid || receivedAt - _lastFixSeenAt > FixHold || receivedAt < _lastFixSeenAt)
                {
                    return NmeaVerdict.NoFix;
                }

                return Take(zda.DateTime, receivedAt, "ZDA", Latest?.Latitude, Latest?.Longitude);
            case GlobalPositioningSystemFixData gga:
                if (gga.Status is GpsQuality.NoFix or GpsQuality.Estimated or GpsQuality.Manual or GpsQuality.Simulated)
                {
                    return NmeaVerdict.NoFix;
                }

                _lastFixSeenAt = receivedAt;
                return NmeaVerdict.Other;
            default:
                return NmeaVerdict.Other;
        }
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
