using MeshMessenger.Cli.Commands;

namespace MeshMessenger.Cli.Tests;

/// <summary>`meshmsg up` refuses a port it cannot bind before it starts anything (the dev chain, the gateway).</summary>
public sealed class UpPortTests
{
    [Theory]
    [InlineData(-1, 1883, 4403, "--port")]
    [InlineData(65536, 1883, 4403, "--port")]
    [InlineData(0, 0, 0, "--mqtt-port")] // the devices dial the broker's port: it must be known, 0 is not offered
    [InlineData(0, 70000, 0, "--mqtt-port")]
    [InlineData(0, 1883, -5, "--udp-port")]
    public async Task A_port_out_of_range_is_refused_and_the_option_named(int port, int mqttPort, int udpPort, string option)
    {
        var console = new RecordingConsole();
        string data = Path.Combine(Path.GetTempPath(), "meshmsg-up-port-" + Guid.NewGuid().ToString("N"));

        int code = await UpCommand.RunAsync(new UpSettings(1, port, mqttPort, udpPort, 60, data, Anchoring: false), console.Console);

        Assert.Equal(2, code);
        Assert.Contains(option, console.Text);
        Assert.False(Directory.Exists(data), "nothing was started or written");
    }
}
