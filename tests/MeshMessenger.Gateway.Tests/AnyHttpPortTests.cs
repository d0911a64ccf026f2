using System.Net;
using System.Net.Sockets;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// A gateway started with <c>--Urls=http://127.0.0.1:0</c> listens on a port the system picks and says which, in its log
/// and in /health, so a process that starts it never probes for a free port (which another process may take first).
/// </summary>
public sealed class AnyHttpPortTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-anyport-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Two_gateways_on_port_0_each_report_the_port_they_bound_and_a_restart_comes_back_on_it()
    {
        using var a = new GatewayProcess("any-a", Path.Combine(_folder.Path, "a"), 1, "off").StartDetached();
        using var b = new GatewayProcess("any-b", Path.Combine(_folder.Path, "b"), 1, "off").StartDetached();

        Assert.NotEqual(0, a.HttpPort);
        Assert.NotEqual(a.HttpPort, b.HttpPort);
        foreach (GatewayProcess gateway in new[] { a, b })
        {
            string url = $"http://127.0.0.1:{gateway.HttpPort}";
            Assert.Equal([url], gateway.Health()!.Value.GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
            Assert.Contains("HTTP listening on " + url, File.ReadAllText(Path.Combine(gateway.DataDirectory, "gateway.log")));
            Assert.False(CanBind(gateway.HttpPort), "the reported port is not the one bound");
        }

        int port = a.HttpPort;
        a.Kill9();
        a.StartDetached();
        Assert.Equal(port, a.HttpPort);
        Assert.Equal("ok", a.Health()!.Value.GetProperty("status").GetString());
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
