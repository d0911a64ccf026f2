using System.Text.Json;

namespace MeshMessenger.Anchoring.Tests;

public sealed class AnchoringBenchmarkTests
{
    [Fact]
    public void The_anchoring_benchmark_measures_Merkle_proofs_and_gas_from_real_receipts()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bench-anchoring-{Guid.NewGuid():N}.json");
        try
        {
            var console = new Spectre.Console.Testing.TestConsole();
            Assert.Equal(0, Cli.Commands.BenchCommand.RunAnchoring(200, null, new FileInfo(path), console));
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement gas = json.RootElement.GetProperty("gas");
            Assert.Equal([1, 100], gas.EnumerateArray().Select(g => g.GetProperty("batchSize").GetInt32()));
            Assert.All(gas.EnumerateArray(), g => Assert.InRange(g.GetProperty("gasUsed").GetInt64(), 21_000 + 132, 21_000 + 1_320));
            Assert.Equal(8, json.RootElement.GetProperty("proofHashes").GetInt32()); // ceil(log2 200)
        }
        finally
        {
            File.Delete(path);
        }
    }
}
