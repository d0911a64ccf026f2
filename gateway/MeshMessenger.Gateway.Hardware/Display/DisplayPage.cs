namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>The status display's pages, in the order a short press turns them.</summary>
public enum DisplayPage
{
    /// <summary>Gateway name, node id, region, health.</summary>
    Identity,

    /// <summary>Neighbours heard in the last hour, frames in and out.</summary>
    Traffic,

    /// <summary>MQTT, anchoring, time source.</summary>
    Links,

    /// <summary>A QR code of the web address.</summary>
    WebAddress,
}
