namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>What the status display shows, read from the gateway once a second.</summary>
/// <param name="GatewayName">The gateway's configured name.</param>
/// <param name="NodeId">The gateway's node id as text.</param>
/// <param name="Region">Region (frequency plan).</param>
/// <param name="Health">"ok" or "degraded", as /health says.</param>
/// <param name="NeighboursLastHour">Distinct nodes heard in the last hour on any link.</param>
/// <param name="FramesIn">Frames received since start, all links.</param>
/// <param name="FramesOut">Frames sent since start, all links.</param>
/// <param name="Mqtt">The MQTT bridge's state ("connected", "off", ...).</param>
/// <param name="Anchoring">Anchoring's state in a word or two ("off", "ok", "2 open", "error").</param>
/// <param name="TimeSource">Where the gateway's time comes from ("system", ...).</param>
/// <param name="WebAddress">The web app's address for a phone on the same network.</param>
public sealed record DisplayStatus(
    string GatewayName,
    string NodeId,
    string Region,
    string Health,
    int NeighboursLastHour,
    long FramesIn,
    long FramesOut,
    string Mqtt,
    string Anchoring,
    string TimeSource,
    string WebAddress);
