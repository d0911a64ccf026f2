using System.Text.Json;
using MeshMessenger.Gateway.Benchmarks;

namespace MeshMessenger.Gateway.Tests;

public sealed class BenchmarkTests
{
    [Fact]
    public async Task The_gateway_benchmark_runs_small_and_writes_its_figures()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bench-gateway-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, await GatewayBenchmark.RunAsync(path, nodes: 20, postsPerNode: 3));
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(80, json.RootElement.GetProperty("frames").GetInt32());
            Assert.True(json.RootElement.GetProperty("ingest").GetProperty("FramesPerSecond").GetDouble() > 0);
            Assert.True(json.RootElement.GetProperty("mqtt").GetProperty("QoS1PerSecond").GetDouble() > 0);
            Assert.True(json.RootElement.GetProperty("memory").GetProperty("DatabaseKbPer1000Nodes").GetDouble() > 0);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
