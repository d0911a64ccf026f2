using System.Diagnostics;

namespace MeshMessenger.Gateway.Tests;

/// <summary>An external broker that wants a user name and password (Mosquitto with a password file).</summary>
public sealed class CredentialsTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-creds-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_right_credentials_connect_and_wrong_ones_leave_the_gateway_degraded_and_retrying()
    {
        string passwords = Path.Combine(_folder.Path, "passwords");
        File.WriteAllText(passwords, "");
        Process.Start("mosquitto_passwd", ["-b", passwords, "gateway", "s3cret-Mesh"])!.WaitForExit();
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwords, (UnixFileMode)0x1A4); // 0644: the broker's own user reads it
            File.SetUnixFileMode(_folder.Path, (UnixFileMode)0x1ED);
        }

        using var broker = new MosquittoBroker($"allow_anonymous false\npassword_file {passwords}\n");
        using (var good = new GatewayProcess("good", Path.Combine(_folder.Path, "good"), broker.Port, "external", "--Gateway:Mqtt:Username=gateway", "--Gateway:Mqtt:Password=s3cret-Mesh"))
        {
            good.Start();
            Assert.Equal("ok", good.Health()!.Value.GetProperty("status").GetString());
        }

        using var bad = new GatewayProcess("bad", Path.Combine(_folder.Path, "bad"), broker.Port, "external", "--Gateway:Mqtt:Username=gateway", "--Gateway:Mqtt:Password=wrong").StartDetached();
        MosquittoBroker.WaitUntil(() => bad.Metrics().Contains("meshmsg_gateway_mqtt_errors_total", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the refused connection to be counted");
        Assert.Equal("degraded", bad.Health()!.Value.GetProperty("status").GetString());
        Assert.Equal("connecting", bad.Health()!.Value.GetProperty("mqtt").GetString());
    }
}
