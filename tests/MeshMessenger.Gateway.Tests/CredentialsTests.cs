using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Tests;

/// <summary>An external broker that wants a user name and password (Mosquitto with a password file).</summary>
public sealed class CredentialsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gw-creds-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_right_credentials_connect_and_wrong_ones_leave_the_gateway_degraded_and_retrying()
    {
        string passwords = Path.Combine(_dir, "passwords");
        File.WriteAllText(passwords, "");
        Process.Start("mosquitto_passwd", ["-b", passwords, "gateway", "s3cret-Mesh"])!.WaitForExit();
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwords, (UnixFileMode)0x1A4); // 0644: the broker's own user reads it
            File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);
        }

        using var broker = new MosquittoBroker($"allow_anonymous false\npassword_file {passwords}\n");
        using (var good = new GatewayProcess("good", Path.Combine(_dir, "good"), broker.Port, "external", "--Gateway:Mqtt:Username=gateway", "--Gateway:Mqtt:Password=s3cret-Mesh"))
        {
            good.Start();
            Assert.Equal("ok", good.Health()!.Value.GetProperty("status").GetString());
        }

        using var bad = new GatewayProcess("bad", Path.Combine(_dir, "bad"), broker.Port, "external", "--Gateway:Mqtt:Username=gateway", "--Gateway:Mqtt:Password=wrong").StartDetached();
        MosquittoBroker.WaitUntil(() => bad.Metrics().Contains("meshmsg_gateway_mqtt_errors_total", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the refused connection to be counted");
        Assert.Equal("degraded", bad.Health()!.Value.GetProperty("status").GetString());
        Assert.Equal("connecting", bad.Health()!.Value.GetProperty("mqtt").GetString());
    }
}
