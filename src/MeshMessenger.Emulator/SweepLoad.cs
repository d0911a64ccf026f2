namespace MeshMessenger.Emulator;

/// <summary>One offered load of a sweep: messages each device writes per hour (DMs and channel posts together).</summary>
public sealed class SweepLoad
{
    /// <summary>Name used in results and file names ("light", "heavy").</summary>
    public string Name { get; set; } = "light";

    /// <summary>Messages per device per hour.</summary>
    public double MessagesPerNodePerHour { get; set; } = 2;
}
