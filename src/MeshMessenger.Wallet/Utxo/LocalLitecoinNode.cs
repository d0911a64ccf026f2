using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// A throwaway Litecoin Core regtest node (Debian's <c>litecoind</c>, installed by tests/setup.sh) for the tests, the
/// emulator and benches: a fresh data folder, free RPC and P2P ports, no peers, no wallet, a transaction index.
/// <see cref="Dispose"/> kills the process and deletes the folder. Started with <c>-regtest -datadir=&lt;temp&gt;
/// -rpcport=&lt;free&gt; -port=&lt;free&gt; -listen=0 -txindex=1 -fallbackfee=0.0002 -rpcuser -rpcpassword=&lt;random&gt; -server
/// -disablewallet -mempoolreplacement=1</c>.
/// </summary>
public sealed class LocalLitecoinNode : IDisposable
{
    /// <summary>
    /// Where Debian's package puts the daemon itself (/usr/bin/litecoind is a wrapper script that also writes
    /// ~/.litecoin, which a throwaway node does not need).
    /// </summary>
    public const string DefaultExecutable = "/usr/lib/litecoin/litecoind";

    /// <summary>The RPC user of every local node.</summary>
    public const string RpcUser = "meshmessenger";

    private readonly Process _process;
    private bool _disposed;

    private LocalLitecoinNode(Process process, string dataDirectory, int rpcPort, string password)
    {
        _process = process;
        DataDirectory = dataDirectory;
        RpcPort = rpcPort;
        RpcPassword = password;
        Url = new Uri($"http://127.0.0.1:{rpcPort}/");
        Rpc = new UtxoRpcClient(Url, RpcUser, password);
    }

    /// <summary>The node's data folder (deleted on dispose); its log is regtest/debug.log below it.</summary>
    public string DataDirectory { get; }

    /// <summary>The JSON-RPC port.</summary>
    public int RpcPort { get; }

    /// <summary>The random RPC password of this run.</summary>
    public string RpcPassword { get; }

    /// <summary>The JSON-RPC address.</summary>
    public Uri Url { get; }

    /// <summary>A client for the node's RPC.</summary>
    public UtxoRpcClient Rpc { get; }

    /// <summary>The node's log file.</summary>
    public string LogFile => Path.Combine(DataDirectory, "regtest", "debug.log");

    /// <summary>Starts a fresh regtest node and waits (at most <paramref name="timeout"/>, default 60 s) until its RPC answers.</summary>
    /// <exception cref="InvalidOperationException">litecoind is missing, exited, or did not answer in time; the message names its log.</exception>
    public static async Task<LocalLitecoinNode> StartAsync(string executable = DefaultExecutable, TimeSpan? timeout = null)
    {
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: run tests/setup.sh (Debian: apt-get install litecoind)");
        }

        string folder = Directory.CreateTempSubdirectory("meshmsg-litecoind-").FullName;
        int rpcPort = FreePort();
        int p2pPort = FreePort();
        string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "-regtest", "-datadir=" + folder, "-rpcport=" + rpcPort.ToString(CultureInfo.InvariantCulture),
            "-port=" + p2pPort.ToString(CultureInfo.InvariantCulture), "-listen=0", "-txindex=1", "-fallbackfee=0.0002",
            "-rpcuser=" + RpcUser, "-rpcpassword=" + password, "-server", "-disablewallet", "-printtoconsole=0",

            // Litecoin Core ships with BIP-125 replacement off (-mempoolreplacement, default 0), unlike Bitcoin Core;
            // the local node turns it on so fee bumps can be exercised as on Bitcoin.
            "-mempoolreplacement=1",
        })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var node = new LocalLitecoinNode(process, folder, rpcPort, password);
        try
        {
            await node.WaitForRpcAsync(timeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch
        {
            node.Dispose();
            throw;
        }

        return node;
    }

    /// <summary>Mines <paramref name="blocks"/> blocks paying their coinbase to <paramref name="address"/>; returns the block hashes.</summary>
    public async Task<string[]> MineAsync(int blocks, string address, CancellationToken ct = default)
    {
        JsonNode? result = await Rpc.CallAsync("generatetoaddress", [blocks, address], ct).ConfigureAwait(false);
        JsonArray hashes = result!.AsArray();
        string[] list = new string[hashes.Count];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = hashes[i]!.GetValue<string>();
        }

        return list;
    }

    /// <summary>Kills the node and deletes its data folder.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Rpc.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }

    private async Task WaitForRpcAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                string errors = await _process.StandardError.ReadToEndAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"litecoind exited with code {_process.ExitCode} before answering RPC: {errors.Trim()} (log: {LogFile})");
            }

            try
            {
                await Rpc.CallAsync("getblockcount", [], CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (WalletException e) when (e.Error == WalletError.Unavailable || e.Message.Contains("(code -28)", StringComparison.Ordinal))
            {
                // -28 is RPC_IN_WARMUP: the server listens but is still loading.
                if (clock.Elapsed > timeout)
                {
                    throw new InvalidOperationException($"litecoind did not answer RPC on port {RpcPort} within {timeout.TotalSeconds:0} s: {e.Message} (log: {LogFile})", e);
                }
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
