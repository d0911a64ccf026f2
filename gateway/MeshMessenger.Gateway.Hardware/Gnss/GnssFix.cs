namespace MeshMessenger.Gateway.Hardware.Gnss;

/// <summary>
/// UTC from one accepted NMEA sentence, with the system clock's reading when its line arrived (the two give the
/// system clock's offset), and the position when the sentence carried one.
/// </summary>
/// <param name="Utc">The receiver's UTC.</param>
/// <param name="ReceivedAt">The system clock when the sentence's last byte was read.</param>
/// <param name="Sentence">"RMC" or "ZDA".</param>
/// <param name="Latitude">Degrees north, if the sentence carried a position.</param>
/// <param name="Longitude">Degrees east, if the sentence carried a position.</param>
public sealed record GnssFix(DateTimeOffset Utc, DateTimeOffset ReceivedAt, string Sentence, double? Latitude, double? Longitude)
{
    /// <summary>Receiver UTC minus system clock, milliseconds.</summary>
    public long OffsetMilliseconds => (long)(Utc - ReceivedAt).TotalMilliseconds;
}
