using System.IO;
using Xunit;

namespace MeshMessenger.DeviceCost;

public sealed class DeviceHeapBenchTests
{
    [Fact]
    public void The_bench_records_a_point_per_step_and_the_device_keeps_what_it_received()
    {
        var output = new StringWriter();
        DeviceHeapReport report = DeviceHeapBench.Run(300, 100, 3, output);

        Assert.Equal(new[] { 100, 200, 300 }, report.Points.ConvertAll(p => p.Messages));
        Assert.True(report.Points[2].MessagesHeld > report.Points[0].MessagesHeld, "messages are received and read");
        Assert.Contains("300 messages", output.ToString());
    }
}
