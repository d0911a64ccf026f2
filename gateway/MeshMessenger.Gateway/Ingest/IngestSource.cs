namespace MeshMessenger.Gateway.Ingest;

/// <summary>Where a frame reached the gateway.</summary>
public enum IngestSource
{
    /// <summary>The gateway's own LoRa radio.</summary>
    Radio,

    /// <summary>A Wi-Fi device over UDP.</summary>
    Udp,

    /// <summary>Another gateway, through the MQTT broker.</summary>
    Mqtt,

    /// <summary>An emulated device inside the gateway process.</summary>
    Emulator,

    /// <summary>A browser node over the WebSocket link (<c>GET /api/link</c>).</summary>
    WebSocket,

    /// <summary>The gateway's own node (chain status entries, its profile).</summary>
    Gateway,
}
