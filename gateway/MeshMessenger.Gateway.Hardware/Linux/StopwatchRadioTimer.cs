using System.Diagnostics;
using MeshMessenger.Radio.Hardware;

namespace MeshMessenger.Gateway.Hardware.Linux;

/// <summary>Real time for the drivers: a monotonic stopwatch; short waits spin, long ones sleep.</summary>
public sealed class StopwatchRadioTimer : IRadioTimer
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    /// <inheritdoc />
    public long NowMicroseconds => _watch.Elapsed.Ticks / (TimeSpan.TicksPerMillisecond / 1000);

    /// <inheritdoc />
    public void Delay(int microseconds)
    {
        if (microseconds >= 2000)
        {
            Thread.Sleep(microseconds / 1000);
            return;
        }

        long until = NowMicroseconds + microseconds;
        while (NowMicroseconds < until)
        {
            Thread.SpinWait(20);
        }
    }
}
