using System.Globalization;

namespace MeshMessenger.Gateway.Hardware.Tests.Gnss;

/// <summary>NMEA 0183 sentences as a u-blox receiver writes them: "$" body "*" XOR checksum of the body, CR LF.</summary>
public static class Nmea
{
    /// <summary>Wraps <paramref name="body"/> (without '$') with its checksum.</summary>
    public static string Sentence(string body)
    {
        byte sum = 0;
        foreach (char c in body)
        {
            sum ^= (byte)c;
        }

        return $"${body}*{sum:X2}\r\n";
    }

    /// <summary>An RMC for <paramref name="utc"/> with status <paramref name="status"/> (A valid, V warning) at 52.5 N 13.4 E.</summary>
    public static string Rmc(DateTimeOffset utc, char status = 'A') =>
        Sentence(string.Create(CultureInfo.InvariantCulture, $"GPRMC,{utc:HHmmss.ff},{status},5230.0000,N,01324.0000,E,0.0,0.0,{utc:ddMMyy},,,A"));

    /// <summary>A ZDA for <paramref name="utc"/>.</summary>
    public static string Zda(DateTimeOffset utc) =>
        Sentence(string.Create(CultureInfo.InvariantCulture, $"GPZDA,{utc:HHmmss.ff},{utc:dd},{utc:MM},{utc:yyyy},00,00"));

    /// <summary>A GGA at <paramref name="utc"/> with fix quality <paramref name="quality"/> (0 none, 1 GPS).</summary>
    public static string Gga(DateTimeOffset utc, int quality) =>
        Sentence(string.Create(CultureInfo.InvariantCulture, $"GPGGA,{utc:HHmmss.ff},5230.0000,N,01324.0000,E,{quality},08,1.0,40.0,M,45.0,M,,"));
}
