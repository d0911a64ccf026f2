namespace MeshMessenger.Gateway.Hardware.Gnss;

/// <summary>What <see cref="NmeaTimeFilter"/> made of one line.</summary>
public enum NmeaVerdict
{
    /// <summary>A valid time: <see cref="NmeaTimeFilter.Latest"/> holds it.</summary>
    Time,

    /// <summary>A well-formed sentence that carries no time the gateway uses (GSV, GSA, VTG, a GGA).</summary>
    Other,

    /// <summary>Not an NMEA sentence, or one without a checksum, or one too long.</summary>
    Garbage,

    /// <summary>The checksum does not match.</summary>
    BadChecksum,

    /// <summary>RMC status V, GGA quality 0, or a ZDA with no fix seen recently: the receiver's clock is not from satellites.</summary>
    NoFix,

    /// <summary>A valid checksum but an impossible time, date or position field (hour 24, month 13, latitude 91, a minus sign).</summary>
    BadField,

    /// <summary>A date before the build date (GPS week rollover: 1980, 1999, 2019 …) or impossibly far after it.</summary>
    BadDate,
}
