namespace MeshMessenger.Emulator.Scenarios;

/// <summary>An event at a time.</summary>
public sealed class ScenarioEvent
{
    /// <summary>Minute of the run.</summary>
    public double AtMinute { get; set; }

    /// <summary>Device index.</summary>
    public int Node { get; set; }

    /// <summary>What happens.</summary>
    public ScenarioEventKind Action { get; set; }
}
