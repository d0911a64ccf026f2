namespace MeshMessenger.Gateway.Configuration;

/// <summary>The UDP link for Wi-Fi devices.</summary>
public sealed class UdpOptions
{
    /// <summary>Port to listen on; 0 turns the link off (unless <see cref="AnyPort"/>).</summary>
    public int Port { get; set; } = 4403;

    /// <summary>
    /// Listen on a port the system picks, ignoring <see cref="Port"/>; the bound port is logged and shown as
    /// udpPort by /health and /api/gateway. For tests and benchmarks sharing a machine: a port found free and bound
    /// later can be taken by another process in between.
    /// </summary>
    public bool AnyPort { get; set; }

    /// <summary>Address to bind.</summary>
    public string Bind { get; set; } = "0.0.0.0";

    /// <summary>
    /// A device that answered a challenge with a valid proof of its key is a direct neighbour for this many
    /// seconds after its last proof and gets downlink frames (docs/gateway.md §2).
    /// </summary>
    public int NeighbourSeconds { get; set; } = 600;

    /// <summary>Proven neighbours at most; a new proof beyond the cap evicts the least recently proven one (udp_neighbours_evicted).</summary>
    public int MaxNeighbours { get; set; } = 256;

    /// <summary>Challenges to unproven addresses outstanding at most; a new one beyond the cap evicts the oldest (udp_challenges_evicted).</summary>
    public int MaxOutstandingChallenges { get; set; } = 1024;

    /// <summary>A challenge not answered within this many seconds expires; its nonce is never accepted again.</summary>
    public int ChallengeSeconds { get; set; } = 30;

    /// <summary>Downlink bytes per second per neighbour (token bucket refill); excess is dropped and counted.</summary>
    public int DownlinkBytesPerSecond { get; set; } = 16_384;

    /// <summary>Downlink bytes a neighbour may be sent at once (token bucket size); at least one whole entry's frames.</summary>
    public int DownlinkBurstBytes { get; set; } = 65_536;
}
