namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>The status display's power state.</summary>
public enum DisplayPower
{
    /// <summary>Full contrast.</summary>
    Awake,

    /// <summary>Contrast down, after the dim time without a press.</summary>
    Dimmed,

    /// <summary>Panel off, after twice the dim time.</summary>
    Off,
}
