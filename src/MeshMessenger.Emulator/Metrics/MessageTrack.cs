namespace MeshMessenger.Emulator.Metrics;

/// <summary>One message created during a run, and who got it when.</summary>
public sealed class MessageTrack(bool isDirect, int sender, int recipient, long createdMs)
{
    /// <summary>Direct message (else a channel post).</summary>
    public bool IsDirect { get; } = isDirect;

    /// <summary>Sending device.</summary>
    public int Sender { get; } = sender;

    /// <summary>Recipient device of a direct message (-1 for posts).</summary>
    public int Recipient { get; } = recipient;

    /// <summary>When it was written.</summary>
    public long CreatedMs { get; } = createdMs;

    /// <summary>Devices that got it, with the time.</summary>
    public Dictionary<int, long> ReceivedAt { get; } = [];
}
