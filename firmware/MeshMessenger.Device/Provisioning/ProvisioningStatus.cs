namespace MeshMessenger.Device.Provisioning;

/// <summary>The status byte of a provisioning reply (docs/firmware.md, "Provisioning").</summary>
public enum ProvisioningStatus
{
    /// <summary>The bundle is stored on flash; the reply carries what the device now runs with.</summary>
    Ok = 0,

    /// <summary>The frame's CRC-32 did not match: nothing was stored.</summary>
    BadChecksum = 1,

    /// <summary>The frame's version is not one this device speaks: nothing was stored.</summary>
    UnknownVersion = 2,

    /// <summary>A bundle field is missing, too long or invalid (the reply names it): nothing was stored.</summary>
    BadBundleField = 3,

    /// <summary>Writing the bundle to flash failed: the previous bundle, if any, is still in force.</summary>
    StorageFailure = 4,

    /// <summary>The frame announced a payload over <see cref="ProvisioningFrame.MaxPayload"/> bytes: it was skipped.</summary>
    TooLarge = 5,

    /// <summary>The frame type is not a request this device answers.</summary>
    UnknownType = 6,
}
