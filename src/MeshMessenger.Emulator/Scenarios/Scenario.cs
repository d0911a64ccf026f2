using System.Text.Json;

namespace MeshMessenger.Emulator.Scenarios;

/// <summary>
/// An emulation scenario, read from a JSON file (bundled examples in ScenarioFiles/). Every field has a default, so
/// <c>{"nodes": 100}</c> is a valid scenario. Units are in the names.
/// </summary>
public sealed class Scenario
{
    /// <summary>Name used in results.</summary>
    public string Name { get; set; } = "scenario";

    /// <summary>Seed of every random choice; the same seed gives the same run.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Number of devices (ignored when placement lists coordinates).</summary>
    public int Nodes { get; set; } = 30;

    /// <summary>Where devices stand.</summary>
    public PlacementSpec Placement { get; set; } = new();

    /// <summary>Modem preset name (LongFast, MediumFast, ...).</summary>
    public string Preset { get; set; } = "LongFast";

    /// <summary>Region name (EU_868, US, EU_433): frequency, power limit, duty cycle.</summary>
    public string Region { get; set; } = "EU_868";

    /// <summary>Transmit power.</summary>
    public double TxPowerDbm { get; set; } = 20;

    /// <summary>Antenna gain, each end.</summary>
    public double AntennaGainDbi { get; set; }

    /// <summary>Antenna height above ground, for Okumura-Hata.</summary>
    public double HeightM { get; set; } = 1.5;

    /// <summary>Receiver noise figure (Meshtasticator uses 6 dB).</summary>
    public double NoiseFigureDb { get; set; } = 6;

    /// <summary>Propagation model.</summary>
    public PathLossSpec PathLoss { get; set; } = new();

    /// <summary>Carrier sense as listen-before-talk sees it.</summary>
    public CadSpec Cad { get; set; } = new();

    /// <summary>Device movement.</summary>
    public MobilitySpec Mobility { get; set; } = new();

    /// <summary>Simulated time.</summary>
    public double DurationMinutes { get; set; } = 60;

    /// <summary>What the people using the devices send.</summary>
    public TrafficSpec Traffic { get; set; } = new();

    /// <summary>Devices switched off, on, or wiped during the run.</summary>
    public List<ScenarioEvent> Events { get; set; } = [];

    /// <summary>Devices that also have Wi-Fi (UDP) links to each other.</summary>
    public WifiSpec Wifi { get; set; } = new();

    /// <summary>
    /// The devices' radio: "medium" (default: the firmware over the modelled channel, fast) or chip mode,
    /// "sx1262" / "sx1276": the firmware over DriverRadioPort, the real driver and a simulated chip's SPI
    /// bytes (docs/emulator.md, "Chip mode").
    /// </summary>
    public string Radio { get; set; } = "medium";

    /// <summary>
    /// Devices that are gateways: archive nodes running the same protocol core with every chain kept
    /// (SyncAllChains), host caps and the region's duty cycle. They model a gateway's radio side only; its IP links
    /// are not emulated (docs/emulator.md §5, "Gateways").
    /// </summary>
    public List<int> Gateways { get; set; } = [];

    /// <summary>Routing policies to run, each on the same scenario and seed.</summary>
    public List<string> Policies { get; set; } = ["managed-flooding", "learned-routes"];

    /// <summary>Loads and checks a scenario file; errors name the field.</summary>
    public static Scenario Load(string path)
    {
        Scenario scenario = ScenarioJson.Read<Scenario>(path);
        scenario.Validate();
        return scenario;
    }

    /// <summary>The scenario as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ScenarioJson.Options);

    /// <summary>A copy with another node count and name.</summary>
    public Scenario WithNodes(int nodes)
    {
        Scenario copy = JsonSerializer.Deserialize<Scenario>(ToJson(), ScenarioJson.Options)!;
        copy.Nodes = nodes;
        copy.Name = $"{Name}-{nodes}";
        return copy;
    }

    /// <summary>A copy with another seed (same name).</summary>
    public Scenario WithSeed(int seed)
    {
        Scenario copy = JsonSerializer.Deserialize<Scenario>(ToJson(), ScenarioJson.Options)!;
        copy.Seed = seed;
        return copy;
    }

    /// <summary>Throws <see cref="ScenarioException"/> naming the first bad field.</summary>
    public void Validate()
    {
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ScenarioException(message);
            }
        }

        Check(Placement.Kind == PlacementKind.List ? Placement.Points.Count >= 2 : Nodes is >= 2 and <= 20_000, "nodes must be 2..20000 (or placement.points must list at least 2 points)");
        Check(MeshMessenger.Radio.LoRa.ModemPreset.Find(Preset) is not null, $"preset '{Preset}' is unknown; use one of {string.Join(", ", MeshMessenger.Radio.LoRa.ModemPreset.All().Select(p => p.Name))}");
        Check(MeshMessenger.Radio.LoRa.Region.Find(Region) is not null, $"region '{Region}' is unknown; use one of {string.Join(", ", MeshMessenger.Radio.LoRa.Region.All().Select(r => r.Name))}");
        Check(DurationMinutes is > 0 and <= 7 * 24 * 60, "durationMinutes must be more than 0 and at most a week");
        Check(Placement.SpacingM > 0, "placement.spacingM must be positive");
        Check(Traffic.DmPerNodePerHour >= 0 && Traffic.ChannelPostsPerNodePerHour >= 0, "traffic rates must not be negative");
        Check(Traffic.Friends >= 1, "traffic.friends must be at least 1");
        Check(Traffic.TextBytesMin >= 1 && Traffic.TextBytesMax >= Traffic.TextBytesMin && Traffic.TextBytesMax <= 1500, "traffic.textBytesMin/Max must satisfy 1 ≤ min ≤ max ≤ 1500");
        Check(Traffic.ReadShare is >= 0 and <= 1, "traffic.readShare must be 0..1");
        Check(PathLoss.ShadowingSigmaDb is >= 0 and <= 20, "pathLoss.shadowingSigmaDb must be 0..20");
        Check(Channel.PathLossModel.Names.Contains(PathLoss.Model), $"pathLoss.model '{PathLoss.Model}' is unknown; use one of {string.Join(", ", Channel.PathLossModel.Names)}");
        Check(PathLoss.ShadowingCorrelation is >= 0 and <= 1, "pathLoss.shadowingCorrelation must be 0..1");
        Check(Cad.Model is "datasheet" or "ideal", "cad.model must be 'datasheet' or 'ideal'");
        Check(Cad.Symbols is 1 or 2 or 4 or 8 or 16, "cad.symbols must be 1, 2, 4, 8 or 16");
        Check(Cad.MissAtThreshold is >= 0 and <= 1 && Cad.MissFloor is >= 0 and <= 1 && Cad.MissFloor <= Cad.MissAtThreshold, "cad.missAtThreshold and cad.missFloor must satisfy 0 ≤ missFloor ≤ missAtThreshold ≤ 1");
        Check(Cad.RampDb is > 0 and <= 60, "cad.rampDb must be more than 0 and at most 60");
        Check(Mobility.Model is "none" or "random-waypoint", "mobility.model must be 'none' or 'random-waypoint'");
        Check(Mobility.Share is >= 0 and <= 1, "mobility.share must be 0..1");
        Check(Mobility.SpeedMinMps > 0 && Mobility.SpeedMaxMps >= Mobility.SpeedMinMps && Mobility.SpeedMaxMps <= 100, "mobility.speedMinMps/speedMaxMps must satisfy 0 < min ≤ max ≤ 100");
        Check(Mobility.PauseSeconds is >= 0 and <= 86_400, "mobility.pauseSeconds must be 0..86400");
        Check(Mobility.UpdateSeconds is >= 0.1 and <= 3600, "mobility.updateSeconds must be 0.1..3600");
        Check(Mobility.RecomputeM is >= 0 and <= 10_000, "mobility.recomputeM must be 0..10000");
        Check(Mobility.Model == "none" || Radio == "medium", "mobility needs radio 'medium' (chip mode keeps fixed links)");
        Check(Radio is "medium" or "sx1262" or "sx1276", $"radio '{Radio}' is unknown; use medium, sx1262 or sx1276");
        Check(Policies.Count >= 1 && Policies.All(p => p is "managed-flooding" or "learned-routes"), "policies must be 'managed-flooding' and/or 'learned-routes'");
        Check(Gateways.All(g => g >= 0 && g < NodeCount) && Gateways.Distinct().Count() == Gateways.Count, $"gateways must be distinct device indexes 0..{NodeCount - 1}");
        foreach (ScenarioEvent e in Events)
        {
            Check(e.AtMinute >= 0 && e.AtMinute <= DurationMinutes, $"event at minute {e.AtMinute} is outside the run");
            Check(e.Node >= 0 && e.Node < NodeCount, $"event node {e.Node} does not exist (0..{NodeCount - 1})");
        }
    }

    /// <summary>Devices in the scenario.</summary>
    public int NodeCount => Placement.Kind == PlacementKind.List ? Placement.Points.Count : Nodes;
}
