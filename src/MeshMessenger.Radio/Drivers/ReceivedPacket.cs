namespace MeshMessenger.Radio.Drivers;

/// <summary>A received packet in a buffer the caller owns and reuses (no allocation per packet on a board).</summary>
public sealed class ReceivedPacket
{
    /// <summary>The payload bytes; <see cref="Length"/> of them are valid.</summary>
    public byte[] Data { get; } = new byte[256];

    /// <summary>Payload length.</summary>
    public int Length { get; internal set; }

    /// <summary>Packet RSSI in dBm, as the chip reports it.</summary>
    public double RssiDbm { get; internal set; }

    /// <summary>Packet SNR in dB, as the chip reports it.</summary>
    public double SnrDb { get; internal set; }

    /// <summary>A copy of the payload.</summary>
    public byte[] ToArray()
    {
        byte[] copy = new byte[Length];
        System.Array.Copy(Data, copy, Length);
        return copy;
    }
}
