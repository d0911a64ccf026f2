namespace MeshMessenger.Emulator.Channel;

/// <summary>Median path loss against distance; shadowing is added per link by <see cref="LinkBudget"/>.</summary>
public abstract class PathLossModel
{
    /// <summary>Median path loss in dB at <paramref name="distanceM"/> metres.</summary>
    public abstract double LossDb(double distanceM);

    /// <summary>The model named in a scenario.</summary>
    public static PathLossModel Create(string name, double frequencyMHz, double heightM) => name switch
    {
        "log-distance" => new LogDistancePathLoss(),
        "okumura-hata-suburban" => new OkumuraHataPathLoss(frequencyMHz, heightM, heightM, OkumuraHataPathLoss.Environment.Suburban),
        "okumura-hata-rural" => new OkumuraHataPathLoss(frequencyMHz, heightM, heightM, OkumuraHataPathLoss.Environment.Rural),
        "okumura-hata-small-city" => new OkumuraHataPathLoss(frequencyMHz, heightM, heightM, OkumuraHataPathLoss.Environment.SmallCity),
        _ => throw new Scenarios.ScenarioException($"pathLoss.model '{name}' is unknown; use log-distance, okumura-hata-suburban, okumura-hata-rural or okumura-hata-small-city"),
    };
}
