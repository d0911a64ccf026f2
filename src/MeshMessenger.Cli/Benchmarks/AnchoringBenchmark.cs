using System.Diagnostics;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Merkle;
using MeshMessenger.Anchoring.Rpc;

namespace MeshMessenger.Cli.Benchmarks;

/// <summary>
/// <c>meshmsg bench anchoring</c>: Merkle build and proof time for a million checkpoint leaves, and gas per
/// message at several batch sizes from real receipts on a local anvil (or any dev chain given with --rpc).
/// </summary>
public static class AnchoringBenchmark
{
    /// <summary>anvil's dev account #2, used only on the local chain 31337.</summary>
    private static readonly byte[] DevKey = Convert.FromHexString("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    /// <summary>Runs the measurements; <paramref name="progress"/> hears each step.</summary>
    public static async Task<AnchoringBenchmarkReport> RunAsync(int merkleLeaves, int[] batchSizes, string? rpc, Action<string> progress)
    {
        progress($"building a Merkle tree of {merkleLeaves:N0} checkpoints");
        List<byte[]> leaves = Leaves(merkleLeaves);
        var watch = Stopwatch.StartNew();
        List<byte[][]> levels = MerkleTree.Levels(leaves);
        double buildSeconds = watch.Elapsed.TotalSeconds;
        byte[] root = levels[^1][0];
        var random = new Random(1);
        const int proofs = 10_000;
        watch.Restart();
        int maxHashes = 0;
        for (int i = 0; i < proofs; i++)
        {
            int index = random.Next(merkleLeaves);
            InclusionProof proof = MerkleTree.Prove(index, levels);
            maxHashes = Math.Max(maxHashes, proof.Path.Count);
            if (!proof.Verifies(leaves[index], root))
            {
                throw new InvalidOperationException($"proof {index} did not verify");
            }
        }

        double proofMicroseconds = watch.Elapsed.TotalMilliseconds * 1000 / proofs;

        var gas = new List<AnchoringGasRow>();
        LocalDevChain? anvil = null;
        string? endpoint = rpc;
        try
        {
            if (endpoint is null && AnvilTool.Find() is string executable)
            {
                anvil = LocalDevChain.Start(executable);
                endpoint = anvil.Url.ToString();
            }

            if (endpoint is not null)
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var client = new EthereumRpcClient(http, new Uri(endpoint));
                await WaitForNodeAsync(client);
                string dir = Directory.CreateTempSubdirectory("bench-anchoring-").FullName;
                var store = new AnchorStore(Path.Combine(dir, "anchors.db"));
                var anchorer = new Anchorer(client, store, DevKey, await client.ChainIdAsync());
                foreach (int size in batchSizes)
                {
                    progress($"anchoring a batch of {size:N0} checkpoints");
                    long batch = store.AddBatch(size == merkleLeaves ? leaves : Leaves(size)); // each leaf names its own tree size
                    for (int step = 0; step < 10 && store.Batch(batch).State < AnchorState.Included; step++)
                    {
                        await anchorer.StepAsync();
                        await client.CallAsync("evm_mine", []);
                    }

                    AnchorBatch done = store.Batch(batch);
                    long used = done.GasUsed ?? throw new InvalidOperationException($"batch of {size} was not mined");
                    gas.Add(new AnchoringGasRow(size, used, (double)used / size));
                }
            }
        }
        finally
        {
            anvil?.Dispose();
        }

        return new AnchoringBenchmarkReport(DateTimeOffset.UtcNow, Environment.ProcessorCount, merkleLeaves, buildSeconds, proofMicroseconds, maxHashes, 32 * maxHashes, endpoint is null ? "no chain (install anvil with tests/setup.sh, or give --rpc)" : endpoint, gas);
    }

    private static List<byte[]> Leaves(int n)
    {
        var leaves = new List<byte[]>(n);
        var hash = new byte[32];
        for (int i = 0; i < n; i++)
        {
            BitConverter.TryWriteBytes(hash, i);
            leaves.Add(new CheckpointLeaf((uint)i, (uint)(i % 1000), hash).Encode(i, n));
        }

        return leaves;
    }

    private static async Task WaitForNodeAsync(EthereumRpcClient client)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.ChainIdAsync();
                return;
            }
            catch (RpcException) when (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }
}
