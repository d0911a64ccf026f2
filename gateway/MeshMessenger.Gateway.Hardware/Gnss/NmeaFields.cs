using System.Globalization;

namespace MeshMessenger.Gateway.Hardware.Gnss;

/// <summary>
/// Strict readers for the NMEA 0183 fields the gateway trusts (v4.11 section 6.2 field formats: hhmmss.ss,
/// ddmm.mm, dddmm.mm, fixed-width digits). Every reader answers null for a field that is not exactly in range.
/// </summary>
internal static class NmeaFields
{
    /// <summary>The comma-separated fields of a checked sentence, from the address field to the one before '*'.</summary>
    public static string[] Split(string line) => line[1..line.LastIndexOf('*')].Split(',');

    /// <summary>UTC from hhmmss[.s…], dd, mm and a four-digit year, or null: hour 0-23, minute and second 0-59 (a leap second is dropped), a real calendar day.</summary>
    public static DateTimeOffset? Utc(string time, string day, string month, string year)
    {
        int dot = time.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? time : time[..dot];
        string fraction = dot < 0 ? "" : time[(dot + 1)..];
        if (whole.Length != 6 || fraction.Length > 9 || (dot >= 0 && fraction.Length == 0) || day.Length != 2 || month.Length != 2 || year.Length != 4
            || Digits(whole[..2]) is not int hh || Digits(whole[2..4]) is not int mm || Digits(whole[4..]) is not int ss
            || Digits(day) is not int d || Digits(month) is not int mo || Digits(year) is not int y
            || (fraction.Length > 0 && Digits(fraction) is null))
        {
            return null;
        }

        if (hh > 23 || mm > 59 || ss > 59 || mo is < 1 or > 12 || y < 1 || d < 1 || d > DateTime.DaysInMonth(y, mo))
        {
            return null;
        }

        int ms = Digits((fraction + "000")[..3])!.Value; // hundredths from most receivers, thousandths from some
        return new DateTimeOffset(y, mo, d, hh, mm, ss, ms, TimeSpan.Zero);
    }

    /// <summary>Signed degrees from a (d)ddmm.mm field with <paramref name="degreeDigits"/> degree digits and its hemisphere letter, or null when out of range.</summary>
    public static double? Degrees(string value, string hemisphere, int degreeDigits, char positive, char negative)
    {
        int dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot != degreeDigits + 2 || value.Length == dot + 1 || hemisphere.Length != 1
            || Digits(value[..dot]) is not int _ || Digits(value[(dot + 1)..]) is not int _)
        {
            return null;
        }

        double degrees = int.Parse(value[..degreeDigits], NumberStyles.None, CultureInfo.InvariantCulture);
        double minutes = double.Parse(value[degreeDigits..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        double magnitude = degrees + (minutes / 60);
        if (minutes >= 60 || magnitude > (degreeDigits == 2 ? 90 : 180))
        {
            return null;
        }

        return hemisphere[0] == positive ? magnitude : hemisphere[0] == negative ? -magnitude : null;
    }

    private static int? Digits(string text) =>
        text.Length is > 0 and <= 9 && text.All(char.IsAsciiDigit) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : null;
}
