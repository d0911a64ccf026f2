namespace MeshMessenger.Gateway.Configuration;

/// <summary>The MQTT bridge: the embedded MQTTnet broker by default, or any external broker.</summary>
public sealed class MqttOptions
{
    /// <summary>"embedded" (a broker inside the gateway), "external" (Host/Port), or "off".</summary>
    public string Mode { get; set; } = "embedded";

    /// <summary>External broker host.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>Broker port (external), or the port the embedded broker listens on.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>
    /// The address the embedded broker listens on: loopback by default, so only this machine reaches it;
    /// 0.0.0.0 (or ::) opens it to the network, for other gateways to federate through it with the broker credential.
    /// </summary>
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>Connect with TLS.</summary>
    public bool UseTls { get; set; }

    /// <summary>User name, if the external broker wants one (the embedded broker's credential is made by the gateway).</summary>
    public string? Username { get; set; }

    /// <summary>Password, if the broker wants one.</summary>
    public string? Password { get; set; }

    /// <summary>First topic levels; the layout is docs/gateway.md §MQTT.</summary>
    public string TopicRoot { get; set; } = "mm/1";

    /// <summary>Publish what this gateway hears (uplink).</summary>
    public bool Uplink { get; set; } = true;

    /// <summary>Store and pass on to local devices what other gateways publish (downlink).</summary>
    public bool Downlink { get; set; } = true;

    /// <summary>
    /// Seconds between this gateway's heads on the broker, the next chains in turn (with Uplink), so other gateways
    /// ask it for what they lack (with Downlink); 0 turns sync over MQTT off.
    /// </summary>
    public int SyncIntervalSeconds { get; set; } = 30;
}
