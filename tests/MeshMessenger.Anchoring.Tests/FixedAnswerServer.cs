using System.Net;

namespace MeshMessenger.Anchoring.Tests;

/// <summary>
/// An HTTP server on a free loopback port that answers every request with the same JSON: a lying gateway or a
/// broken node, the untrusted side of a check (no real part is replaced by it).
/// </summary>
internal sealed class FixedAnswerServer : IDisposable
{
    private readonly HttpListener _listener = new();

    /// <summary>Starts answering with <paramref name="json"/>.</summary>
    public FixedAnswerServer(string json)
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        byte[] body = System.Text.Encoding.UTF8.GetBytes(json);
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }

                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
    }

    /// <summary>The server's base URL, ending in a slash.</summary>
    public string Url { get; }

    public void Dispose() => _listener.Close();
}
