using System.Diagnostics;

namespace MeshMessenger.Gateway.Hardware.Tests.Gnss;

/// <summary>
/// Two linked pseudo-terminals from socat (Debian package socat): the receiver reads <see cref="ReceiverPort"/> as
/// its serial port; the test writes NMEA bytes into <see cref="ModulePort"/> as the GNSS module would.
/// </summary>
public sealed class PtyPair : IDisposable
{
    private readonly Process _socat;
    private FileStream? _module;

    /// <summary>Starts socat and waits for both links.</summary>
    public PtyPair()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mm-pty-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        ReceiverPort = Path.Combine(folder, "receiver");
        ModulePort = Path.Combine(folder, "module");
        _socat = Process.Start(new ProcessStartInfo("socat", ["-d", "-d", $"pty,raw,echo=0,link={ReceiverPort}", $"pty,raw,echo=0,link={ModulePort}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("socat did not start (apt-get install socat, or bash tests/setup.sh)");
        _socat.ErrorDataReceived += (_, _) => { };
        _socat.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (!(File.Exists(ReceiverPort) && File.Exists(ModulePort)))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10) || _socat.HasExited)
            {
                throw new InvalidOperationException("socat made no pty pair within 10 s");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>The port the gateway opens.</summary>
    public string ReceiverPort { get; }

    /// <summary>The module's side.</summary>
    public string ModulePort { get; }

    /// <summary>Writes <paramref name="text"/> as the module would.</summary>
    public void Send(string text)
    {
        _module ??= new FileStream(ModulePort, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(text);
        _module.Write(bytes);
        _module.Flush();
    }

    /// <summary>Stops socat (by its own process id) and removes the links.</summary>
    public void Dispose()
    {
        _module?.Dispose();
        if (!_socat.HasExited)
        {
            _socat.Kill();
            _socat.WaitForExit(5000);
        }

        _socat.Dispose();
        Directory.Delete(Path.GetDirectoryName(ReceiverPort)!, recursive: true);
    }
}
