namespace MeshMessenger.Gateway.Configuration;

/// <summary>Virtual devices inside the gateway process (<c>--emulate N</c>), for trying the gateway without hardware.</summary>
public sealed class EmulateOptions
{
    /// <summary>How many devices; 0 runs none.</summary>
    public int Devices { get; set; }

    /// <summary>Messages the devices write per minute, all together.</summary>
    public double MessagesPerMinute { get; set; } = 12;

    /// <summary>Seed for who writes what to whom.</summary>
    public int Seed { get; set; } = 1;
}
