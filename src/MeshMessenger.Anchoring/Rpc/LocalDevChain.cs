using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshMessenger.Anchoring.Rpc;

/// <summary>
/// A local Ethereum development chain (Foundry's anvil 1.7.1, chain id 31337) for <c>meshmsg up</c> and the
/// tests: installed from the npm registry on first use, started on a free port, stopped on dispose. Its
/// state lives in memory, so every start is a fresh chain, unless a state file is given: then it is loaded
/// at start, saved every few seconds and on exit, and the chain carries on where it stopped.
/// </summary>
public sealed class LocalDevChain : IDisposable
{
    /// <summary>The npm package that carries the anvil binary.</summary>
    public const string Package = "@foundry-rs/anvil-linux-amd64@1.7.1";

    /// <summary>anvil's dev account #0 (mnemonic "test test ... junk"): funded, and accepted by the gateway only on chain id 31337.</summary>
    public static readonly byte[] Account0Key = Convert.FromHexString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    private readonly Process _process;

    private LocalDevChain(Process process, int port)
    {
        _process = process;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The JSON-RPC port.</summary>
    public int Port { get; }

    /// <summary>The JSON-RPC address.</summary>
    public Uri Url { get; }

    /// <summary>
    /// The anvil executable: the one tests/setup.sh installed into the repository's .tools/anvil, or else one
    /// installed now with npm into ~/.cache/meshmessenger/anvil.
    /// </summary>
    /// <exception cref="InvalidOperationException">This machine cannot run or install anvil; the message says what to do.</exception>
    public static string EnsureInstalled(Action<string> progress)
    {
        if (AnvilTool.Find() is { } found)
        {
            return found;
        }

        if (!OperatingSystem.IsLinux() || RuntimeInformationArchitecture() != "x64")
        {
            throw new InvalidOperationException("the local dev chain (anvil) is packaged for Linux x64 only; use --no-anchoring, or run meshmsg-gateway with --Gateway:Anchoring:Rpc=URL of another Ethereum node");
        }

        string prefix = AnvilTool.CacheFolder;
        progress($"installing the local dev chain ({Package}) with npm into {prefix}; this happens once");
        Directory.CreateDirectory(prefix);
        try
        {
            using Process npm = Process.Start(new ProcessStartInfo("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--silent", "--prefix", prefix, Package]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            string errors = npm.StandardError.ReadToEnd();
            npm.WaitForExit();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm could not install {Package}: {errors.Trim()}");
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("npm is needed once to install the local dev chain: install it (Debian: sudo apt-get install npm), or use --no-anchoring");
        }

        return AnvilTool.Find() ?? throw new InvalidOperationException($"npm finished but {AnvilTool.InCache} is missing");
    }

    /// <summary>Starts anvil on a free port and waits until it answers (at most 30 s).</summary>
    /// <param name="executable">From <see cref="EnsureInstalled"/> or <see cref="AnvilTool.Find"/>.</param>
    /// <param name="blockSeconds">Mine a block this often even without transactions (so 'finalized' moves on), or null to mine only on transactions.</param>
    /// <param name="stateFile">Keep the chain in this file across runs (anvil's --state, saved every 2 s and on exit), or null for a fresh chain.</param>
    public static LocalDevChain Start(string executable, int? blockSeconds = null, string? stateFile = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        List<string> args = ["--port", port.ToString(CultureInfo.InvariantCulture), "--slots-in-an-epoch", "1", "--silent"];
        if (blockSeconds is int seconds)
        {
            args.AddRange(["--block-time", seconds.ToString(CultureInfo.InvariantCulture)]);
        }

        if (stateFile is not null)
        {
            args.AddRange(["--state", stateFile, "--state-interval", "2"]);
        }

        var process = Process.Start(new ProcessStartInfo(executable, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var chain = new LocalDevChain(process, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var rpc = new EthereumRpcClient(http, chain.Url);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                rpc.ChainIdAsync().GetAwaiter().GetResult();
                return chain;
            }
            catch (RpcException) when (watch.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (RpcException e)
            {
                chain.Dispose();
                throw new InvalidOperationException($"anvil did not start on port {port}: {e.Message}");
            }
        }
    }

    /// <summary>Stops anvil: SIGTERM first, so that it saves its state file, then a kill if it has not exited within 5 s.</summary>
    public void Dispose()
    {
        if (!_process.HasExited && OperatingSystem.IsLinux())
        {
            using Process? term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            term?.WaitForExit();
            _process.WaitForExit(5000);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static string RuntimeInformationArchitecture() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
}
