namespace MeshMessenger.Emulator.Scenarios;

/// <summary>Device movement (docs/emulator.md §2): off by default.</summary>
public sealed class MobilitySpec
{
    /// <summary>"none" (default) or "random-waypoint".</summary>
    public string Model { get; set; } = "none";

    /// <summary>Share of devices that move, 0..1; the others stay where they were placed.</summary>
    public double Share { get; set; } = 1;

    /// <summary>Slowest walking speed; above zero (a zero minimum makes random waypoint's mean speed decay).</summary>
    public double SpeedMinMps { get; set; } = 0.5;

    /// <summary>Fastest walking speed.</summary>
    public double SpeedMaxMps { get; set; } = 1.5;

    /// <summary>Pause at each waypoint.</summary>
    public double PauseSeconds { get; set; } = 60;

    /// <summary>How often positions advance, in simulated seconds.</summary>
    public double UpdateSeconds { get; set; } = 10;

    /// <summary>
    /// A device's links are recomputed once it has moved this far since they were last computed (0: at every
    /// step). 50 m shifts the median loss by under 1 dB near the edge of range (log-distance, about 575 m on LongFast), well inside the shadowing.
    /// </summary>
    public double RecomputeM { get; set; } = 50;
}
