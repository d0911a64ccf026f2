namespace MeshMessenger.Device.Provisioning;

/// <summary>The fields of a provisioning bundle, in wire order; a reply with <see cref="ProvisioningStatus.BadBundleField"/> names one.</summary>
public enum BundleField
{
    /// <summary>No field (the bundle is fine).</summary>
    None = 0,

    /// <summary>The identity: the 24-word recovery phrase or an older backup code.</summary>
    Identity = 1,

    /// <summary>The display name on the device's profile.</summary>
    Name = 2,

    /// <summary>The regulatory region's name (Meshtastic's, e.g. EU_868).</summary>
    Region = 3,

    /// <summary>The modem preset's name (Meshtastic's, e.g. LongFast).</summary>
    Preset = 4,

    /// <summary>The channel invites (MMC1:).</summary>
    Channels = 5,

    /// <summary>The Wi-Fi network name.</summary>
    WifiSsid = 6,

    /// <summary>The Wi-Fi password.</summary>
    WifiPassword = 7,

    /// <summary>The gateway's node id.</summary>
    GatewayNode = 8,

    /// <summary>The gateway's address (host:port).</summary>
    GatewayAddress = 9,

    /// <summary>The bundle ended early or had bytes after its last field.</summary>
    Length = 10,

    /// <summary>The flags byte: zero (a bundle without flags omits it) or a reserved bit set.</summary>
    Flags = 11,
}
