using System.Text.Json;
using MeshMessenger.Gateway.Benchmarks;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// `meshmsg-gateway loadtest`, shortened: under API sends and hostile UDP every 2xx is stored and delivered, and
/// the hostile ports get back fewer bytes than they sent. The figures in docs/gateway.md come from the 60 s run.
/// </summary>
public sealed class LoadTestCommandTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-loadtest-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_short_burst_keeps_every_2xx_and_amplifies_nothing()
    {
        string json = Path.Combine(_folder.Path, "loadtest.json");
        var output = new StringWriter();
        int exit = await AttackLoadTest.RunAsync(seconds: 5, json, output: output);
        Assert.True(exit == 0, $"loadtest exited {exit}:\n{output}"); // the counts or the start failure say which promise broke

        JsonElement report = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        JsonElement api = report.GetProperty("api");
        JsonElement hostile = report.GetProperty("hostileUdp");
        Assert.True(api.GetProperty("acknowledged").GetInt32() > 0);
        Assert.Equal(api.GetProperty("requests").GetInt32(), api.GetProperty("acknowledged").GetInt32() + api.GetProperty("refused429").GetInt32()); // 2xx or 429, nothing else
        Assert.Equal(0, api.GetProperty("acknowledgedNotStored").GetInt32());
        Assert.Equal(0, api.GetProperty("acknowledgedNotDelivered").GetInt32());
        Assert.True(hostile.GetProperty("forged").GetInt64() > 0 && hostile.GetProperty("garbage").GetInt64() > 0);
        Assert.True(hostile.GetProperty("bytesTheGatewaySentBack").GetInt64() <= hostile.GetProperty("bytesSent").GetInt64()); // challenges only: never more than they sent
    }
}
