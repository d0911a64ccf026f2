namespace MeshMessenger.Radio.Drivers;

/// <summary>What the driver last asked the chip to do, so it can refuse operations the chip cannot take now.</summary>
public enum RadioActivity
{
    /// <summary>Standby or sleep: ready for any operation.</summary>
    Idle,

    /// <summary>Listening (a window or continuous).</summary>
    Receiving,

    /// <summary>A packet is on air until TxDone.</summary>
    Transmitting,

    /// <summary>Channel activity detection runs until CadDone.</summary>
    DetectingActivity,
}
