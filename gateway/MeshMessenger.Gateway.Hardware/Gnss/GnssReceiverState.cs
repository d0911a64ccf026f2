namespace MeshMessenger.Gateway.Hardware.Gnss;

/// <summary>A snapshot of a <see cref="GnssReceiver"/> for /health.</summary>
/// <param name="Port">The serial port.</param>
/// <param name="Baud">Its baud rate.</param>
/// <param name="IsOpen">True while the port is open.</param>
/// <param name="Error">Why the port is not open (missing, permission denied, gone), or null.</param>
/// <param name="Bytes">Bytes read since start.</param>
/// <param name="Counts">Lines read, by verdict.</param>
/// <param name="Latest">The last accepted time, or null.</param>
/// <param name="SecondsSinceBytes">Seconds since the last byte (since start when none came), by the monotonic clock.</param>
/// <param name="SecondsSinceSentence">Seconds since the last well-formed sentence (since start when none came).</param>
/// <param name="SecondsSinceFix">Seconds since the last accepted time (since start when none came).</param>
public sealed record GnssReceiverState(
    string Port,
    int Baud,
    bool IsOpen,
    string? Error,
    long Bytes,
    IReadOnlyDictionary<NmeaVerdict, long> Counts,
    GnssFix? Latest,
    double SecondsSinceBytes,
    double SecondsSinceSentence,
    double SecondsSinceFix);
