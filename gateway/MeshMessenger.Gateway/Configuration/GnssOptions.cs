namespace MeshMessenger.Gateway.Configuration;

/// <summary>A GNSS receiver for time (and, if the operator allows, position) without internet (docs/gateway.md, "Time without internet").</summary>
public sealed class GnssOptions
{
    /// <summary>Serial port of the receiver (a Pi's UART0 is /dev/serial0); empty: no receiver.</summary>
    public string Port { get; set; } = "";

    /// <summary>The receiver's NMEA baud rate (u-blox NEO-6M/M8N default 9600).</summary>
    public int Baud { get; set; } = 9600;

    /// <summary>Put the receiver's position in /health. Off: the position never leaves the gateway.</summary>
    public bool SharePosition { get; set; }

    /// <summary>GNSS time replaces a synchronised system clock only when the two differ by more than this.</summary>
    public double ThresholdSeconds { get; set; } = 2;

    /// <summary>
    /// While the system clock is synchronised, GNSS corrects it by at most this much: a larger disagreement is shown
    /// as a problem and the system clock is kept, so a GNSS spoofer cannot move a synchronised gateway further; and
    /// a clock floor more than this ahead of a synchronised clock is dropped (it came from a wrong clock).
    /// </summary>
    public double SyncedLimitSeconds { get; set; } = 60;

    /// <summary>A fix whose offset from the system clock differs from the one in use by more than this is a jump.</summary>
    public double JumpSeconds { get; set; } = 2;

    /// <summary>A jump is refused until this many fixes in a row agree on the new offset.</summary>
    public int JumpConfirmFixes { get; set; } = 5;

    /// <summary>How long the offset of the last fix stays in use without a newer one (the Pi's oscillator drifts a few ppm).</summary>
    public double HoldMinutes { get; set; } = 60;

    /// <summary>/health is degraded when the port gives no valid NMEA for this long.</summary>
    public double NoDataSeconds { get; set; } = 10;

    /// <summary>/health is degraded when the port gives NMEA but no fix for this long (a cold start takes under a minute with open sky).</summary>
    public double NoFixSeconds { get; set; } = 300;

    /// <summary>True when a receiver is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Port);
}
