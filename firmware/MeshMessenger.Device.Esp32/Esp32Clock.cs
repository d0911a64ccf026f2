// NOT COMPILED ON THIS MACHINE (README.md).
using System;
using System.Diagnostics;
using System.Threading;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Device.Esp32;

/// <summary>
/// IClock and IRadioTimer: Stopwatch (nanoFramework.System.Diagnostics.Stopwatch) for monotonic time, because
/// DateTime.UtcNow jumps when SNTP sets it; DateTime.UtcNow for entry time once it is plausibly set.
/// </summary>
public sealed class Esp32Clock : IClock, IRadioTimer
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    /// <inheritdoc />
    public long MonotonicMilliseconds => _watch.ElapsedMilliseconds;

    /// <inheritdoc />
    public long NowMicroseconds => _watch.ElapsedTicks / (TimeSpan.TicksPerMillisecond / 1000);

    /// <inheritdoc />
    public uint EntrySeconds
    {
        get
        {
            long unix = (DateTime.UtcNow.Ticks - 621355968000000000L) / TimeSpan.TicksPerSecond;
            return unix < EntryTime.EpochUnixSeconds ? 0 : EntryTime.FromUnixSeconds(unix); // no RTC and no SNTP yet: unknown
        }
    }

    /// <inheritdoc />
    public void Delay(int microseconds) => Thread.Sleep((microseconds + 999) / 1000);
}
