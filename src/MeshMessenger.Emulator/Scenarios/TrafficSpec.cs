namespace MeshMessenger.Emulator.Scenarios;

/// <summary>What people send: Poisson arrivals per device.</summary>
public sealed class TrafficSpec
{
    /// <summary>Direct messages per device per hour, to one of its friends.</summary>
    public double DmPerNodePerHour { get; set; } = 2;

    /// <summary>Posts to the shared channel per device per hour (flooded to everyone).</summary>
    public double ChannelPostsPerNodePerHour { get; set; } = 0.25;

    /// <summary>Friends per device: the nearest devices within <see cref="FriendRadiusM"/>, chosen at random.</summary>
    public int Friends { get; set; } = 5;

    /// <summary>How far a friend may live.</summary>
    public double FriendRadiusM { get; set; } = 1500;

    /// <summary>Shortest text.</summary>
    public int TextBytesMin { get; set; } = 20;

    /// <summary>Longest text (150 fits one frame).</summary>
    public int TextBytesMax { get; set; } = 150;

    /// <summary>Share of received DMs whose reader sends a read receipt, 10 s to 5 min later.</summary>
    public double ReadShare { get; set; } = 0.5;

    /// <summary>No new messages in the last minutes, so late ones can still arrive.</summary>
    public double QuietTailMinutes { get; set; } = 5;
}
