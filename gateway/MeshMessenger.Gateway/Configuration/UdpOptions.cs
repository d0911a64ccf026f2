namespace MeshMessenger.Gateway.Configuration;

/// <summary>The UDP link for Wi-Fi devices.</summary>
public sealed class UdpOptions
{
    /// <summary>Port to listen on; 0 turns the link off.</summary>
    public int Port { get; set; } = 4403;

    /// <summary>Address to bind.</summary>
    public string Bind { get; set; } = "0.0.0.0";

    /// <summary>A device heard within this many seconds is a direct neighbour and gets downlink frames.</summary>
    public int NeighbourSeconds { get; set; } = 600;
}
