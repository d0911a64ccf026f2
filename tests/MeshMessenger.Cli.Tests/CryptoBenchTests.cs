using System.Text.Json;
using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Cli.Commands;

namespace MeshMessenger.Cli.Tests;

public sealed class CryptoBenchTests
{
    [Fact]
    public void Bench_prints_the_three_way_table_and_writes_json()
    {
        var console = new RecordingConsole();
        string path = Path.Combine(Path.GetTempPath(), $"meshmsg-bench-{Guid.NewGuid():N}.json");

        try
        {
            int exit = BenchCommand.RunCrypto(0.01, new FileInfo(path), console.Console);

            Assert.Equal(0, exit);
            foreach (string operation in CryptoSuite.Operations)
            {
                Assert.Contains(operation, console.Text);
            }

            Assert.Contains("BouncyCastle", console.Text);
            Assert.Contains("NSec", console.Text);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement rows = json.RootElement.GetProperty("rows");
            Assert.Equal(CryptoSuite.Operations.Count, rows.GetArrayLength());
            foreach (JsonElement row in rows.EnumerateArray())
            {
                foreach (string field in new[] { "managed", "bouncyCastle", "nSec", "managedVsBouncyCastle", "managedVsNSec" })
                {
                    Assert.True(row.GetProperty(field).GetDouble() > 0, $"{row.GetProperty("operation")} {field} missing");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_suite_passes_its_self_check_on_the_same_inputs()
    {
        var inputs = new BenchmarkInputs();
        using var nsec = new NSecCryptoSuite(inputs);
        CryptoSuite[] suites = [new ManagedCryptoSuite(inputs), new BouncyCastleCryptoSuite(inputs), nsec];

        foreach (CryptoSuite suite in suites)
        {
            suite.SelfCheck();
            foreach (string operation in CryptoSuite.Operations)
            {
                suite.Operation(operation)();
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => suites[0].Operation("no such operation"));
    }
}
