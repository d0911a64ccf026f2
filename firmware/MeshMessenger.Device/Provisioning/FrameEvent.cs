namespace MeshMessenger.Device.Provisioning;

/// <summary>What one byte fed to a <see cref="FrameReceiver"/> completed.</summary>
public enum FrameEvent
{
    /// <summary>Nothing yet.</summary>
    None = 0,

    /// <summary>A whole frame with a good CRC: its type and payload are in the receiver.</summary>
    Frame = 1,

    /// <summary>A frame was refused (<see cref="FrameReceiver.Rejection"/> says why); the receiver hunts for the next magic.</summary>
    Rejected = 2,
}
