using System.Text.Json;
using MeshMessenger.Cli.Commands;

namespace MeshMessenger.Cli.Tests;

public sealed class ProtocolBenchTests
{
    [Fact]
    public void Protocol_bench_prints_every_operation_and_writes_json()
    {
        var console = new RecordingConsole();
        string path = Path.Combine(Path.GetTempPath(), $"meshmsg-bench-protocol-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, BenchCommand.RunProtocol(0.01, new FileInfo(path), console.Console));
            Assert.Contains("check a received frame", console.Text);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(152, json.RootElement.GetProperty("singleFrameTextBytes").GetInt32());
            Assert.Equal(255, json.RootElement.GetProperty("directMessageFrameBytes").GetInt32());
            JsonElement rows = json.RootElement.GetProperty("rows");
            Assert.Equal(4, rows.GetArrayLength());
            Assert.All(rows.EnumerateArray(), r => Assert.True(r.GetProperty("perSecond").GetDouble() > 0));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
