namespace MeshMessenger.Emulator.Scenarios;

/// <summary>Propagation model settings.</summary>
public sealed class PathLossSpec
{
    /// <summary>"log-distance", "okumura-hata-suburban", "okumura-hata-rural" or "okumura-hata-small-city".</summary>
    public string Model { get; set; } = "log-distance";

    /// <summary>Standard deviation of log-normal shadowing per link (symmetric).</summary>
    public double ShadowingSigmaDb { get; set; } = 4;
}
