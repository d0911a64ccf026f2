namespace MeshMessenger.Emulator.Scenarios;

/// <summary>Wi-Fi/UDP as a second medium: a share of devices also reach each other over IP within a range.</summary>
public sealed class WifiSpec
{
    /// <summary>Share of devices with Wi-Fi, 0..1.</summary>
    public double Share { get; set; }

    /// <summary>Wi-Fi range.</summary>
    public double RangeM { get; set; } = 80;

    /// <summary>One-way latency of a UDP datagram.</summary>
    public double LatencyMs { get; set; } = 5;
}
