namespace MeshMessenger.Gateway.Configuration;

/// <summary>The WebSocket link for browser nodes (<c>GET /api/link</c>, docs/gateway.md "WebSocket link").</summary>
public sealed class WebSocketLinkOptions
{
    /// <summary>Open sockets from one client address (an IPv4 address or an IPv6 /64) at most; one more is refused with 429.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 8;

    /// <summary>Open sockets at most; one more is refused with 503.</summary>
    public int MaxConnections { get; set; } = 256;

    /// <summary>A socket that sends no message for this many seconds is closed (1001); a browser node sends heads more often.</summary>
    public int IdleSeconds { get; set; } = 120;

    /// <summary>Seconds between the server's keep-alive pings (RFC 6455 §5.5.2); a pong not back within as long closes the socket.</summary>
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Frames waiting to be sent on one socket at most; more are dropped (<c>ws_dropped_queue_full</c>), and sync or a hand-over round fills the gap later.</summary>
    public int SendQueueFrames { get; set; } = 512;

    /// <summary>A challenge not answered within this many seconds expires; its nonce is never accepted again.</summary>
    public int ChallengeSeconds { get; set; } = 30;

    /// <summary>A socket that has not proven a node's key this many seconds after it opened is closed (1008), so sockets that never prove cannot hold the slots.</summary>
    public int ProveWithinSeconds { get; set; } = 60;

    /// <summary>Live downlink (new entries, hand-over rounds, anchor notices) bytes per second per proven socket (token bucket refill).</summary>
    public int DownlinkBytesPerSecond { get; set; } = 65_536;

    /// <summary>Live downlink bytes a proven socket may be sent at once (token bucket size); at least one whole entry's frames.</summary>
    public int DownlinkBurstBytes { get; set; } = 262_144;
}
