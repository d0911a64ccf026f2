using MeshMessenger.Firmware;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Emulator;

/// <summary>One emulated device: position, identity, friends, and the firmware's <see cref="DeviceApp"/>.</summary>
public sealed class VirtualDevice(int index, double x, double y, NodeIdentity identity)
{
    /// <summary>Index in the scenario.</summary>
    public int Index { get; } = index;

    /// <summary>Position, metres east.</summary>
    public double X { get; } = x;

    /// <summary>Position, metres north.</summary>
    public double Y { get; } = y;

    /// <summary>The device's identity (kept across a wipe: restored from its backup code).</summary>
    public NodeIdentity Identity { get; } = identity;

    /// <summary>The firmware running on it.</summary>
    public DeviceApp App { get; set; } = null!;

    /// <summary>Devices it writes to.</summary>
    public List<int> Friends { get; } = [];

    /// <summary>Switched on.</summary>
    public bool On { get; set; } = true;

    /// <summary>Has Wi-Fi.</summary>
    public bool Wifi { get; set; }

    /// <summary>Time of the wake-up event pending for <see cref="DeviceApp.Tick"/>, or long.MaxValue.</summary>
    public long ScheduledWakeMs { get; set; } = long.MaxValue;

    /// <summary>(author, sequence) of every message record the node has shown since it was last wiped, fed by <see cref="Protocol.Node.MessengerNode.MessageAdded"/>.</summary>
    public HashSet<(uint Author, uint Sequence)> Shown { get; } = [];

    /// <summary>Pending restore deadline after a wipe (the device app's settling time), or -1.</summary>
    public long RestoreDeadlineMs { get; set; } = -1;
}
