namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// One run's figures. Names follow Meshtasticator's printout where they overlap (reachability,
/// usefulness, collision %, mean delay, TX air utilisation), so the numbers compare.
/// </summary>
public sealed record EmulationResult
{
    public required string Scenario { get; init; }
    public required string Policy { get; init; }
    /// <summary>"medium" (the modelled channel) or the simulated chip every device drives ("sx1262", "sx1276").</summary>
    public string Radio { get; init; } = "medium";
    public required int Nodes { get; init; }
    public required int Seed { get; init; }
    public required string Preset { get; init; }
    public required string Region { get; init; }
    public required double DurationMinutes { get; init; }
    public required double MeanNeighbours { get; init; }

    public required int DmsCreated { get; init; }
    public required int DmsDelivered { get; init; }
    /// <summary>Direct messages that reached their recipient, percent.</summary>
    public required double DmDeliveryPercent { get; init; }
    /// <summary>Direct messages whose sender saw Delivered (the recipient's signed receipt came back), percent.</summary>
    public required double DmAcknowledgedPercent { get; init; }
    public required int PostsCreated { get; init; }
    /// <summary>Mean share of the other devices that got each channel post, percent.</summary>
    public required double ReachabilityPercent { get; init; }
    /// <summary>Receptions of frames of the measured messages (the DMs and posts the scenario wrote) that were new to the receiver, over all receptions of such frames, percent.</summary>
    public required double UsefulnessPercent { get; init; }
    /// <summary>Share of sensed receptions destroyed by collisions, percent.</summary>
    public required double CollisionPercent { get; init; }
    public required double MeanDelayMs { get; init; }
    public required double P95DelayMs { get; init; }
    /// <summary>Mean over devices of their own transmit time over the run, percent.</summary>
    public required double TxAirUtilisationPercent { get; init; }
    /// <summary>Mean over devices of the time their channel was busy, percent.</summary>
    public required double ChannelUtilisationPercent { get; init; }
    public required double TotalAirtimeSeconds { get; init; }
    /// <summary>Total airtime divided by messages delivered (DMs to their recipient plus channel posts to each device).</summary>
    public required double AirtimePerDeliveredMs { get; init; }
    public required long FramesSent { get; init; }
    public required long RelaysSent { get; init; }
    public required long RelaysCancelled { get; init; }
    public required long Retransmissions { get; init; }
    public required long DutyCycleHolds { get; init; }
    public required long LbtDeferrals { get; init; }
    /// <summary>Frames dropped because a device's radio queue was full.</summary>
    public required long QueueDrops { get; init; }
    public required long HalfDuplexLosses { get; init; }
    public required long WifiFrames { get; init; }
    public required List<WipeReport> Wipes { get; init; }

    public required double WallSeconds { get; init; }
    public required double SpeedUp { get; init; }
    public required long Events { get; init; }
    public required double EventsPerSecond { get; init; }
    public required double PeakMemoryMb { get; init; }
    public required int SignaturesVerified { get; init; }

    /// <summary>Every delivery delay in ms (for the latency plot; not written to JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<double> Delays { get; init; } = [];
}
