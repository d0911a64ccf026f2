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

    /// <summary>How often positions advance and links are recomputed, in simulated seconds.</summary>
    public double UpdateSeconds { get; set; } = 10;
}
