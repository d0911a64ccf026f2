using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MeshMessenger.Anchoring.Rpc;

namespace MeshMessenger.Anchoring.Tests;

/// <summary>
/// A local anvil (Foundry 1.7.1, installed by tests/setup.sh from the npm package into .tools/anvil) on a
/// free loopback port, chain 31337, with 'finalized' two blocks behind the head (--slots-in-an-epoch 1).
/// </summary>
internal sealed class AnvilNode : IDisposable
{
    /// <summary>anvil's dev account #0 (mnemonic "test test ... junk").</summary>
    public static readonly byte[] Account0Key = Convert.FromHexString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    private readonly Process _process;

    public AnvilNode()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _process = Process.Start(new ProcessStartInfo(Executable, ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--slots-in-an-epoch", "1", "--silent"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        Rpc = new EthereumRpcClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, new Uri($"http://127.0.0.1:{Port}"));
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Rpc.ChainIdAsync().GetAwaiter().GetResult();
                return;
            }
            catch (RpcException) when (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(100);
            }
        }
    }

    public static string Executable => AnvilTool.Find()
        ?? throw new FileNotFoundException("anvil is not installed: run tests/setup.sh (it installs @foundry-rs/anvil-linux-amd64@1.7.1 into .tools/anvil)");

    public int Port { get; }

    public EthereumRpcClient Rpc { get; }

    public Task<JsonNode?> Call(string method, params JsonNode?[] parameters) => Rpc.CallAsync(method, new JsonArray(parameters));

    public async Task Mine(int blocks = 1)
    {
        for (int i = 0; i < blocks; i++)
        {
            await Call("evm_mine");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }
}
