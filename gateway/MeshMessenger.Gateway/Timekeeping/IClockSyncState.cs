namespace MeshMessenger.Gateway.Timekeeping;

/// <summary>Whether the operating system says its clock is synchronised (NTP or another discipline); faked in tests.</summary>
public interface IClockSyncState
{
    /// <summary>True when the system clock is synchronised.</summary>
    bool IsSynchronized();
}
