using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace MeshMessenger.Gateway.Tests;

/// <summary>Free loopback TCP ports for the processes a test starts (UDP links bind a port of their own choosing, Udp:AnyPort).</summary>
internal static class FreePort
{
    public static int Tcp()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A real Mosquitto broker (Debian's package) on a free loopback port, with persistence in a temp folder.</summary>
internal sealed class MosquittoBroker : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("mosquitto-").FullName;
    private Process? _process;

    public MosquittoBroker(string extraConfiguration = "allow_anonymous true\n")
    {
        Port = FreePort.Tcp();
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir, (UnixFileMode)0x1FF); // Mosquitto started as root drops to its own user, which must write the persistence file
        }
        File.WriteAllText(Path.Combine(_dir, "mosquitto.conf"), $"listener {Port} 127.0.0.1\n{extraConfiguration}persistence true\npersistence_location {_dir}/\nautosave_interval 1\nmax_queued_messages 20000\nlog_dest file {_dir}/mosquitto.log\nconnection_messages true\n");
        Start();
    }

    public static string Executable => "/usr/sbin/mosquitto";

    /// <summary>The broker's folder (for a password file and the like).</summary>
    public string Directory => _dir;

    public int Port { get; }

    /// <summary>The broker's log so far (Mosquitto logs each client's id as it connects).</summary>
    public string Log()
    {
        string path = Path.Combine(_dir, "mosquitto.log");
        if (!File.Exists(path))
        {
            return "";
        }

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo(Executable, ["-c", Path.Combine(_dir, "mosquitto.conf")]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        WaitUntil(() => CanConnect(), TimeSpan.FromSeconds(10), "mosquitto to listen");
    }

    /// <summary>A clean restart: SIGTERM (Mosquitto saves its persistence file), then start again on the same port.</summary>
    public void Restart()
    {
        Process.Start("kill", ["-TERM", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        _process.WaitForExit(10_000);
        Start();
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        System.IO.Directory.Delete(_dir, recursive: true);
    }

    private bool CanConnect()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what, int pollMs = 100)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:F0} s for {what}");
            }

            Thread.Sleep(pollMs);
        }
    }
}

/// <summary>
/// A gateway process (meshmsg-gateway.dll from this test's output), killable with SIGKILL and restartable on the same data.
/// Its first launch binds HTTP on a port the system picks (<c>--Urls=http://127.0.0.1:0</c>) and the port is read from the
/// gateway's "HTTP listening on" log line, so no other process can take a port probed free in between; later launches
/// listen on that same port, as a restarted service would.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private static readonly System.Text.RegularExpressions.Regex Listening = new(@"HTTP listening on http://127\.0\.0\.1:(\d+)");
    private readonly string[] _args;
    private Process? _process;
    private int _launches;
    private int _udpPort;
    private int _udpPortLaunch;
    private int _httpPort;

    public GatewayProcess(string name, string dataDirectory, int mqttPort, string mqttMode = "external", params string[] extra)
    {
        Name = name;
        DataDirectory = dataDirectory;
        _args =
        [
            Path.Combine(AppContext.BaseDirectory, "meshmsg-gateway.dll"),
            $"--Gateway:Name={name}",
            $"--Gateway:DataDirectory={dataDirectory}",
            "--Gateway:Udp:AnyPort=true", // a port probed free could be taken before the gateway binds it
            "--Gateway:Udp:Bind=127.0.0.1",
            $"--Gateway:Mqtt:Mode={mqttMode}",
            "--Gateway:Mqtt:Host=127.0.0.1",
            $"--Gateway:Mqtt:Port={mqttPort}",
            "--Gateway:RateLimitPerMinute=0",
            .. extra,
        ];
    }

    public string Name { get; }

    public string DataDirectory { get; }

    /// <summary>
    /// The UDP port the running launch bound (the system's pick), read from /health once per launch; while the
    /// process is down, the port it had (datagrams to it are lost, as to any gateway that is down).
    /// </summary>
    public int UdpPort
    {
        get
        {
            if (_udpPortLaunch != _launches && _process is { HasExited: false })
            {
                MosquittoBroker.WaitUntil(() => Health() is not null, TimeSpan.FromSeconds(30), $"{Name} to answer /health");
                _udpPort = Health()!.Value.GetProperty("udpPort").GetInt32();
                _udpPortLaunch = _launches;
            }

            return _udpPort;
        }
    }

    /// <summary>
    /// The HTTP port the first launch bound (the system's pick), waiting for its log line while that launch runs;
    /// 0 if the process ended without binding.
    /// </summary>
    public int HttpPort
    {
        get
        {
            if (Volatile.Read(ref _httpPort) == 0 && _process is not null)
            {
                MosquittoBroker.WaitUntil(() => Volatile.Read(ref _httpPort) != 0 || _process.HasExited, TimeSpan.FromSeconds(30), $"{Name} to log the port it listens on", pollMs: 20);
            }

            return Volatile.Read(ref _httpPort);
        }
    }

    /// <summary>Extra environment variables for the process.</summary>
    public Dictionary<string, string>? Environment { get; init; }

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process is { HasExited: true };

    /// <summary>Starts the process without waiting for the broker (for gateways that are expected not to connect).</summary>
    public GatewayProcess StartDetached()
    {
        Launch();
        MosquittoBroker.WaitUntil(() => Health() is not null, TimeSpan.FromSeconds(30), $"{Name} to answer /health");
        return this;
    }

    public GatewayProcess Start()
    {
        Launch();
        MosquittoBroker.WaitUntil(() => Health()?.GetProperty("mqtt").GetString() == "connected", TimeSpan.FromSeconds(30), $"{Name} to connect to the broker");
        return this;
    }

    /// <summary>Starts the process and returns at once.</summary>
    public void Launch()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in _args)
        {
            info.ArgumentList.Add(a);
        }

        info.ArgumentList.Add($"--Urls=http://127.0.0.1:{Volatile.Read(ref _httpPort)}"); // 0 on the first launch: any port

        foreach (var (name, value) in Environment ?? [])
        {
            info.Environment[name] = value;
        }

        _process = Process.Start(info)!;
        _launches++;
        Directory.CreateDirectory(DataDirectory);
        var log = new StreamWriter(Path.Combine(DataDirectory, "gateway.log"), append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) =>
        {
            lock (log) { log.WriteLine(e.Data); }
            if (e.Data is not null && Volatile.Read(ref _httpPort) == 0 && Listening.Match(e.Data) is { Success: true } bound)
            {
                Volatile.Write(ref _httpPort, int.Parse(bound.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        _process.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill9()
    {
        _process!.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public JsonElement? Health()
    {
        if (HttpPort == 0)
        {
            return null;
        }

        try
        {
            return Http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{HttpPort}/health").GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public Dictionary<string, List<long>> Entries() =>
        Http.GetFromJsonAsync<Dictionary<string, List<long>>>($"http://127.0.0.1:{HttpPort}/api/entries").GetAwaiter().GetResult()!;

    public string Metrics() => Http.GetStringAsync($"http://127.0.0.1:{HttpPort}/metrics").GetAwaiter().GetResult();

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }
}
