namespace MeshMessenger.Protocol.Frames;

/// <summary>Largest frame per link.</summary>
public static class FrameLimits
{
    /// <summary>LoRa: the SX126x/SX127x payload length register is one byte (SX1262 datasheet §13.4.6, SetPacketParams).</summary>
    public const int LoRa = 255;

    /// <summary>IP (UDP over Wi-Fi): 1280-byte IPv6 minimum MTU (RFC 8200 §5) less 40 IPv6 and 8 UDP header bytes.</summary>
    public const int Ip = 1232;

    /// <summary>Frame header size.</summary>
    public const int HeaderSize = 4;

    /// <summary>Highest hop limit the 3-bit field holds.</summary>
    public const int MaxHops = 7;
}
