namespace MeshMessenger.Emulator.Scenarios;

/// <summary>What happens to a device during a run.</summary>
public enum ScenarioEventKind
{
    /// <summary>Switched off: hears and sends nothing, and its people write nothing, until switched on; its queue waits.</summary>
    Off,

    /// <summary>Switched back on with its storage intact.</summary>
    On,

    /// <summary>Storage wiped; restored from its backup code; rebuilds from neighbours.</summary>
    Wipe,
}
