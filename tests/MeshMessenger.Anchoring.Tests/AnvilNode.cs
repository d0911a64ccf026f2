using System.Text.Json.Nodes;
using MeshMessenger.Anchoring.Rpc;

namespace MeshMessenger.Anchoring.Tests;

/// <summary>
/// A local anvil (Foundry 1.7.1, installed by tests/setup.sh from the npm package into .tools/anvil) on a
/// free loopback port, chain 31337, with 'finalized' two blocks behind the head (--slots-in-an-epoch 1),
/// mining only when a transaction arrives or a test calls <see cref="Mine"/>.
/// </summary>
internal sealed class AnvilNode : IDisposable
{
    /// <summary>anvil's dev account #0 (mnemonic "test test ... junk").</summary>
    public static readonly byte[] Account0Key = LocalDevChain.Account0Key;

    private readonly LocalDevChain _chain;

    public AnvilNode()
    {
        _chain = LocalDevChain.Start(Executable);
        Rpc = new EthereumRpcClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, _chain.Url);
    }

    public static string Executable => AnvilTool.Find()
        ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh (it installs @foundry-rs/anvil-linux-amd64@1.7.1 into .tools/anvil)");

    public int Port => _chain.Port;

    public EthereumRpcClient Rpc { get; }

    public Task<JsonNode?> Call(string method, params JsonNode?[] parameters) => Rpc.CallAsync(method, new JsonArray(parameters));

    public async Task Mine(int blocks = 1)
    {
        for (int i = 0; i < blocks; i++)
        {
            await Call("evm_mine");
        }
    }

    public void Dispose() => _chain.Dispose();
}
