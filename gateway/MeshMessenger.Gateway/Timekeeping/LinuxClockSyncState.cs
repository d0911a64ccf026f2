using System.Runtime.InteropServices;

namespace MeshMessenger.Gateway.Timekeeping;

/// <summary>
/// The Linux kernel's view: synchronised when systemd-timesyncd has left /run/systemd/timesync/synchronized
/// (systemd-timesyncd.service(8)), or when adjtimex(2) does not answer TIME_ERROR, which the kernel returns while
/// STA_UNSYNC is set (any NTP daemon clears it: chrony, ntpd). On other systems the clock counts as synchronised.
/// </summary>
public sealed class LinuxClockSyncState : IClockSyncState
{
    private const int TimeError = 5; // TIME_ERROR, include/uapi/linux/timex.h

    private readonly string _timesyncFlag;

    /// <summary>Reads <paramref name="timesyncFlag"/> (default: systemd-timesyncd's flag file) and adjtimex.</summary>
    public LinuxClockSyncState(string timesyncFlag = "/run/systemd/timesync/synchronized") => _timesyncFlag = timesyncFlag;

    /// <inheritdoc/>
    public bool IsSynchronized()
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        if (File.Exists(_timesyncFlag))
        {
            return true;
        }

        try
        {
            // struct timex is 208 bytes on 64-bit Linux; modes = 0 only reads. A larger zeroed buffer is safe.
            byte[] timex = new byte[512];
            return AdjTimeX(timex) is >= 0 and not TimeError;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }

    // DllImport, not LibraryImport: a blittable byte[] needs no generated marshalling and the project stays free of unsafe code.
    [DllImport("libc", EntryPoint = "adjtimex")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int AdjTimeX(byte[] timex);
}
