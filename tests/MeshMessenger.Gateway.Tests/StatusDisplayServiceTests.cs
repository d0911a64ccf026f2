using System.Net.Http.Json;
using System.Text.Json;
using MeshMessenger.Gateway.Display;
using MeshMessenger.Gateway.Hardware.Display;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The status display inside a whole gateway: off by default, degraded and named when its bus is missing, never a crash.</summary>
public sealed class StatusDisplayServiceTests
{
    [Fact]
    public async Task A_display_on_a_missing_I2C_bus_makes_health_degraded_with_the_fix_and_the_gateway_runs_on()
    {
        await using LinkGateway gateway = await LinkGateway.StartAsync("gw-display-", "--Gateway:Display:Enabled=true", "--Gateway:Display:Bus=97");
        using var http = new HttpClient();
        JsonElement health = default;
        for (int i = 0; i < 100; i++)
        {
            health = await http.GetFromJsonAsync<JsonElement>(gateway.BaseUrl + "/health");
            if (health.GetProperty("display").GetString() == "degraded")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("degraded", health.GetProperty("display").GetString());
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        string problem = Assert.Single(health.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("display:", StringComparison.Ordinal)).GetString()!;
        Assert.Contains("/dev/i2c-97 does not exist", problem);
        Assert.Contains("dtparam=i2c_arm=on", problem);
        Assert.Equal("off", (await http.GetFromJsonAsync<JsonElement>(gateway.BaseUrl + "/health")).GetProperty("mqtt").GetString()); // still answering
    }

    [Fact]
    public async Task The_display_is_off_by_default_and_its_status_reads_the_gateway()
    {
        await using LinkGateway gateway = await LinkGateway.StartAsync("gw-display-off-", "--Gateway:Display:WebAddress=http://10.0.0.7:8080");
        using var http = new HttpClient();
        JsonElement health = await http.GetFromJsonAsync<JsonElement>(gateway.BaseUrl + "/health");
        Assert.Equal("off", health.GetProperty("display").GetString());
        Assert.DoesNotContain(health.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("display", StringComparison.Ordinal));

        StatusDisplayService service = gateway.Services.GetServices<IHostedService>().OfType<StatusDisplayService>().Single();
        DisplayStatus before = service.Snapshot();
        gateway.Counters.Add("frames_in_radio", 3);
        gateway.Counters.Add("frames_out_udp", 2);
        gateway.Counters.Add("frames_out_held", 5); // held for later, not sent
        DisplayStatus after = service.Snapshot();
        // The time source is this machine's: "system" where NTP synchronised the clock, "none" where not.
        string timeSource = health.GetProperty("time").GetProperty("source").GetString()!;
        Assert.Equal(("ws-test", "EU_868", "off", "off", timeSource, "http://10.0.0.7:8080"), (after.GatewayName, after.Region, after.Mqtt, after.Anchoring, after.TimeSource, after.WebAddress));
        Assert.Equal(before.FramesIn + 3, after.FramesIn);
        Assert.Equal(before.FramesOut + 2, after.FramesOut);
        Assert.Equal(health.GetProperty("node").GetString(), after.NodeId);
        Assert.Equal(health.GetProperty("status").GetString(), after.Health);
    }
}
