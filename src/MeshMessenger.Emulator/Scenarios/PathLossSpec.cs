namespace MeshMessenger.Emulator.Scenarios;

/// <summary>Propagation model settings.</summary>
public sealed class PathLossSpec
{
    /// <summary>
    /// "log-distance", "okumura-hata-suburban", "okumura-hata-rural", "okumura-hata-small-city", "3gpp-uma" or
    /// "3gpp-sma" (<see cref="Channel.PathLossModel.Names"/>).
    /// </summary>
    public string Model { get; set; } = "log-distance";

    /// <summary>Standard deviation of log-normal shadowing, drawn per direction of a link.</summary>
    public double ShadowingSigmaDb { get; set; } = 4;

    /// <summary>
    /// Correlation of the two directions' shadowing, 0..1 (1: symmetric links). 0.5 is an assumption: it gives the
    /// two directions a difference of σ·√(2(1 − ρ)) = 4 dB at σ = 4 dB (docs/emulator.md §2).
    /// </summary>
    public double ShadowingCorrelation { get; set; } = 0.5;
}
