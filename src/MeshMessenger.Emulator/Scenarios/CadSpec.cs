namespace MeshMessenger.Emulator.Scenarios;

/// <summary>Carrier sense (channel activity detection) as listen-before-talk sees it (docs/emulator.md §2).</summary>
public sealed class CadSpec
{
    /// <summary>"datasheet" (default: scan time and miss probability) or "ideal" (perfect and instantaneous).</summary>
    public string Model { get; set; } = "datasheet";

    /// <summary>Symbols per scan: 1, 2, 4, 8 or 16 (SX1262 SetCadParams); 2 is RadioLib's default, which Meshtastic uses.</summary>
    public int Symbols { get; set; } = 2;

    /// <summary>Probability a scan misses a packet arriving at the CAD threshold (assumption, docs/emulator.md §2).</summary>
    public double MissAtThreshold { get; set; } = 0.5;

    /// <summary>Probability a scan misses a strong packet (assumption, docs/emulator.md §2).</summary>
    public double MissFloor { get; set; } = 0.01;

    /// <summary>dB above the threshold over which the miss probability falls to <see cref="MissFloor"/>.</summary>
    public double RampDb { get; set; } = 6;
}
