namespace MeshMessenger.Emulator.Channel;

/// <summary>Median path loss against distance; shadowing is added per link by <see cref="LinkBudget"/>.</summary>
public abstract class PathLossModel
{
    /// <summary>Median path loss in dB at <paramref name="distanceM"/> metres.</summary>
    public abstract double LossDb(double distanceM);

    /// <summary>The names a scenario's <c>pathLoss.model</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["log-distance", "okumura-hata-suburban", "okumura-hata-rural", "okumura-hata-small-city", "3gpp-uma", "3gpp-sma"];

    /// <summary>The model named in a scenario, with every antenna at <paramref name="heightM"/> (mesh node to mesh node).</summary>
    public static PathLossModel Create(string name, double frequencyMHz, double heightM) => Create(name, frequencyMHz, heightM, heightM);

    /// <summary>The model named in a scenario, with the heights the macro-cell models distinguish (base station and user).</summary>
    public static PathLossModel Create(string name, double frequencyMHz, double baseHeightM, double userHeightM) => name switch
    {
        "log-distance" => new LogDistancePathLoss(),
        "okumura-hata-suburban" => new OkumuraHataPathLoss(frequencyMHz, baseHeightM, userHeightM, OkumuraHataPathLoss.Environment.Suburban),
        "okumura-hata-rural" => new OkumuraHataPathLoss(frequencyMHz, baseHeightM, userHeightM, OkumuraHataPathLoss.Environment.Rural),
        "okumura-hata-small-city" => new OkumuraHataPathLoss(frequencyMHz, baseHeightM, userHeightM, OkumuraHataPathLoss.Environment.SmallCity),
        "3gpp-uma" => new ThreeGppUrbanMacroPathLoss(frequencyMHz, baseHeightM, userHeightM),
        "3gpp-sma" => new ThreeGppSuburbanMacroPathLoss(frequencyMHz, baseHeightM, userHeightM),
        _ => throw new Scenarios.ScenarioException($"pathLoss.model '{name}' is unknown; use one of {string.Join(", ", Names)}"),
    };
}
