using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MeshMessenger.Anchoring.Rpc;

/// <summary>
/// A local Ethereum development chain (Foundry's anvil 1.7.1, chain id 31337) for <c>meshmsg up</c> and the
/// tests: installed from the npm registry on first use, started on a free port, stopped on dispose. Its
/// state lives in memory, so every start is a fresh chain, unless a state file is given: then it is loaded
/// at start, saved every few seconds and on exit, and the chain carries on where it stopped. anvil dies with
/// the process that started it, even when that process is killed with SIGKILL (see <see cref="Launch"/>).
/// </summary>
public sealed class LocalDevChain : IDisposable
{
    /// <summary>The npm package that carries the anvil binary.</summary>
    public const string Package = "@foundry-rs/anvil-linux-amd64@1.7.1";

    /// <summary>anvil's dev account #0 (mnemonic "test test ... junk"): funded, and accepted by the gateway only on chain id 31337.</summary>
    public static readonly byte[] Account0Key = Convert.FromHexString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    private readonly string _executable;
    private readonly List<string> _args;
    private readonly Lock _gate = new();
    private Process _process;
    private bool _disposed;

    private LocalDevChain(string executable, List<string> args, int port)
    {
        _executable = executable;
        _args = args;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}");
        _process = Launch(executable, args);
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
    /// <param name="stateFile">Keep the chain in this file across runs (anvil's --state, saved every 2 s and on exit), or null for a fresh chain.
    /// An anvil left running on the same file (its parent was killed before its watchdog could act) is stopped first.</param>
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
            stateFile = Path.GetFullPath(stateFile);
            StopLeftovers(stateFile);
            args.AddRange(["--state", stateFile, "--state-interval", "2"]);
        }

        var chain = new LocalDevChain(executable, args, port);
        try
        {
            chain.WaitUntilAnswering(chain._process);
        }
        catch (InvalidOperationException)
        {
            chain.Dispose();
            throw;
        }

        return chain;
    }

    /// <summary>
    /// Watches anvil while the chain is in use: if it dies, it is started again on the same port with the same
    /// state file (the gateway's anchoring reconciles whatever the chain lost since its last save).
    /// </summary>
    /// <param name="log">Told of each restart, in a sentence.</param>
    public void KeepRunning(Action<string> log)
    {
        _ = Task.Run(async () =>
        {
            while (true)
            {
                Process current;
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    current = _process;
                }

                await current.WaitForExitAsync().ConfigureAwait(false);
                log($"the dev chain (anvil, pid {current.Id}) exited with code {current.ExitCode}; restarting it on port {Port}");

                // Its watchdog waits on the pipe: closing it now ends the watchdog, which finds its anvil gone
                // and signals nothing (not whatever process reuses the pid later, when the pipe is finalised).
                CloseInput(current);
                Process? next = null;
                TimeSpan delay = TimeSpan.FromSeconds(1); // no busy loop if it cannot start at all
                while (next is null)
                {
                    await Task.Delay(delay).ConfigureAwait(false);
                    delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 60));
                    lock (_gate)
                    {
                        if (_disposed)
                        {
                            return;
                        }

                        try
                        {
                            next = Launch(_executable, _args);
                            _process = next;
                            current.Dispose();
                        }
                        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
                        {
                            log($"the dev chain (anvil) could not be started again ({e.Message}); trying again in {delay.TotalSeconds:0} s");
                        }
                    }
                }

                try
                {
                    WaitUntilAnswering(next);
                    log($"the dev chain answers again on port {Port} (anvil, pid {next.Id})");
                }
                catch (InvalidOperationException e)
                {
                    log(e.Message);
                }
            }
        });
    }

    /// <summary>anvil's process id (it changes when <see cref="KeepRunning"/> restarts it).</summary>
    public int ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process.Id;
            }
        }
    }

    /// <summary>Stops anvil: SIGTERM first (by closing its watchdog's pipe), so that it saves its state file, then a kill if it has not exited within 5 s.</summary>
    public void Dispose()
    {
        Process process;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            process = _process;
        }

        if (!process.HasExited)
        {
            // Still running, so the pid is still anvil's: closing its stdin makes its watchdog send it SIGTERM (it
            // saves its state file) while the pid cannot have been reused. Without a watchdog, send SIGTERM here.
            if (process.StartInfo.RedirectStandardInput)
            {
                CloseInput(process);
            }
            else if (OperatingSystem.IsLinux())
            {
                using Process? term = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
                term?.WaitForExit();
            }

            process.WaitForExit(5000);
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        CloseInput(process); // an anvil that had exited already: its watchdog finds it gone and signals nothing
        process.Dispose();
    }

    /// <summary>
    /// Starts anvil so that it dies with this process, however this process ends. Under Linux and macOS a
    /// /bin/sh wrapper starts a watchdog, then execs anvil (so anvil keeps the wrapper's pid). The watchdog
    /// blocks reading anvil's stdin, a pipe whose only writer is this process: the kernel closes it when this
    /// process exits, even on SIGKILL, and the watchdog then sends anvil SIGTERM (it saves its state), and
    /// SIGKILL after 5 s; <see cref="Dispose"/> closes the pipe itself to stop anvil the same way.
    /// PR_SET_PDEATHSIG (setpriv --pdeathsig) is not used: it fires when the *thread*
    /// that forked exits (prctl(2)), and .NET may fork from a thread-pool thread that ends at any time.
    /// </summary>
    private static Process Launch(string executable, List<string> args)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return Process.Start(new ProcessStartInfo(executable, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        }

        // The watchdog notes anvil's start time (field 22 of /proc/PID/stat, proc(5)) and signals the pid only
        // while it still has that start time, so never a process that reused the pid (no /proc: it signals anyway).
        const string Watchdog =
            "exec 3<&0; " +
            "(born=$(cut -d' ' -f22 /proc/$$/stat 2>/dev/null); " +
            "ours() { [ -z \"$born\" ] || [ \"$(cut -d' ' -f22 /proc/$$/stat 2>/dev/null)\" = \"$born\" ]; }; " +
            "cat <&3 >/dev/null 2>&1; ours && kill -TERM $$ 2>/dev/null; i=0; " +
            "while [ $i -lt 5 ] && ours && kill -0 $$ 2>/dev/null; do sleep 1; i=$((i+1)); done; ours && kill -KILL $$ 2>/dev/null) >/dev/null 2>&1 & " +
            "exec \"$@\" </dev/null 3<&-";
        var start = new ProcessStartInfo("/bin/sh", ["-c", Watchdog, "meshmsg-anvil-watchdog", executable, .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(start)!;
    }

    /// <summary>Stops every anvil of this user that runs on <paramref name="stateFile"/> (read from /proc/PID/cmdline), so two never write one file.</summary>
    private static void StopLeftovers(string stateFile)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            int state = Array.IndexOf(argv, "--state");
            if (argv.Length == 0 || Path.GetFileName(argv[0]) != "anvil" || state < 0 || state + 1 >= argv.Length || argv[state + 1] != stateFile)
            {
                continue;
            }

            try
            {
                using Process leftover = Process.GetProcessById(pid);
                using (Process? term = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                {
                    term?.WaitForExit();
                }

                var watch = Stopwatch.StartNew();
                while (IsRunning(pid) && watch.Elapsed < TimeSpan.FromSeconds(5))
                {
                    Thread.Sleep(100);
                }

                if (IsRunning(pid))
                {
                    leftover.Kill();
                }
            }
            catch (ArgumentException)
            {
                // exited meanwhile
            }
        }
    }

    /// <summary>True while /proc/PID exists and is not a zombie (an orphan's zombie waits for whoever reaps it).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void WaitUntilAnswering(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var rpc = new EthereumRpcClient(http, Url);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                rpc.ChainIdAsync().GetAwaiter().GetResult();
                return;
            }
            catch (RpcException) when (watch.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (RpcException e)
            {
                throw new InvalidOperationException($"anvil did not start on port {Port}: {e.Message}");
            }
        }
    }

    /// <summary>Closes anvil's stdin (the watchdog's pipe), once; harmless when it is closed already.</summary>
    private static void CloseInput(Process process)
    {
        if (process.StartInfo.RedirectStandardInput)
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // the pipe is broken already: the watchdog has ended
            }
        }
    }

    private static string RuntimeInformationArchitecture() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
}
