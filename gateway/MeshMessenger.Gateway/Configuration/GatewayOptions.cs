namespace MeshMessenger.Gateway.Configuration;

/// <summary>The "Gateway" section of appsettings.json (every setting can also come from the command line or environment).</summary>
public sealed class GatewayOptions
{
    /// <summary>This gateway's human name: the start of its MQTT client id (the rest comes from its key) and the origin it stamps on what it forwards.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Region (frequency plan and MQTT topic level).</summary>
    public string Region { get; set; } = "EU_868";

    /// <summary>Key file with the gateway's backup code; empty: data/gateway.key, created on first start.</summary>
    public string IdentityFile { get; set; } = "";

    /// <summary>Folder for the SQLite file.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Frames a link address (a UDP source, a radio relay) may have processed per minute, and entries a node the
    /// gateway hosts may write per minute through the API (over it: 429 with Retry-After). 0 = no limit.
    /// </summary>
    public double RateLimitPerMinute { get; set; } = 120;

    /// <summary>
    /// Chain requests (reads, broadcasts) one node may make per minute through this gateway's chain relay. A wallet's
    /// first BIP-44 gap scan over the mesh is one read per address, two chains of 20 per coin: 120 leaves room for it.
    /// </summary>
    public int ChainRequestsPerMinute { get; set; } = 120;

    /// <summary>The burst on top of <see cref="RateLimitPerMinute"/>: half a minute's share, at least 10.</summary>
    public double RateLimitBurst => Math.Max(10, RateLimitPerMinute / 2);

    /// <summary>Wi-Fi devices over UDP.</summary>
    public UdpOptions Udp { get; set; } = new();

    /// <summary>Browser nodes over a WebSocket (<c>GET /api/link</c>).</summary>
    public WebSocketLinkOptions WebSocket { get; set; } = new();

    /// <summary>The MQTT bridge.</summary>
    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>Anchoring on Ethereum.</summary>
    public AnchoringOptions Anchoring { get; set; } = new();

    /// <summary>Virtual devices run inside the gateway.</summary>
    public EmulateOptions Emulate { get; set; } = new();

    /// <summary>A GNSS receiver for time without internet.</summary>
    public GnssOptions Gnss { get; set; } = new();

    /// <summary>The gateway's own LoRa radio.</summary>
    public RadioOptions Radio { get; set; } = new();

    /// <summary>The status display and its button.</summary>
    public DisplayOptions Display { get; set; } = new();

    /// <summary>Chains this gateway broadcasts to and reads from for nodes without internet (announced as served chains in its profile).</summary>
    public List<ChainOptions> Chains { get; set; } = [];

    /// <summary>How often tracked transactions are looked up on their chains.</summary>
    public double ChainPollSeconds { get; set; } = 5;
}
