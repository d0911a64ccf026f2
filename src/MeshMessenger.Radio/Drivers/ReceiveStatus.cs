namespace MeshMessenger.Radio.Drivers;

/// <summary>What a receive poll found.</summary>
public enum ReceiveStatus
{
    /// <summary>Nothing yet; still listening.</summary>
    None,

    /// <summary>An intact packet is in the <see cref="ReceivedPacket"/>.</summary>
    Packet,

    /// <summary>A packet arrived with a bad payload CRC (or header) and was dropped; still listening.</summary>
    CrcError,

    /// <summary>The receive window ended without a packet; the radio is in standby.</summary>
    Timeout,
}
