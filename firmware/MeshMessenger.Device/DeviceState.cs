namespace MeshMessenger.Device;

/// <summary>Where <see cref="DeviceProgram"/> is.</summary>
public enum DeviceState
{
    /// <summary>Not started.</summary>
    Off = 0,

    /// <summary>No usable bundle on flash: only the serial port is served, until a provisioning request stores one.</summary>
    AwaitingProvisioning = 1,

    /// <summary>Provisioned: the node, the radio and the app run; the serial port still takes a new bundle.</summary>
    Running = 2,
}
