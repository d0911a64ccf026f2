using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MeshMessenger.Web.Tests;

/// <summary>Records every MQTT message on a broker: Mosquitto's own client subscribed to '#', topic and payload of each.</summary>
internal sealed class MqttRecorder : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private bool _stopped;

    public MqttRecorder(int port)
    {
        var start = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "#", "-F", "%t %x" })
        {
            start.ArgumentList.Add(a);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                _lines.Enqueue(line);
            }
        };
        _process.BeginOutputReadLine();
        Thread.Sleep(500); // the subscription is in place before anything is published
    }

    /// <summary>Messages recorded so far.</summary>
    public int Count => _lines.Count;

    /// <summary>Each message as its topic (UTF-8) followed by its payload bytes.</summary>
    public IEnumerable<(string Source, byte[] Bytes)> Messages() => _lines.Select((line, i) =>
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        string topic = space < 0 ? line : line[..space];
        byte[] payload = space < 0 ? [] : Convert.FromHexString(line[(space + 1)..]);
        return ($"MQTT message {i} on {topic}", (byte[])[.. System.Text.Encoding.UTF8.GetBytes(topic), .. payload]);
    });

    /// <summary>Stops recording (and keeps what was recorded); may be called more than once.</summary>
    public void Dispose()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
