using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol.Frames;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeshMessenger.Gateway.Tests;

/// <summary>SIGKILL in the middle of ingest: nothing the gateway acknowledged is lost, nothing is stored twice, the file stays sound.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-crash-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_gateway_killed_mid_ingest_ends_with_every_entry_exactly_once()
    {
        const int posts = 12000;
        using var broker = new MosquittoBroker();
        using var gateway = new GatewayProcess("crashy", Path.Combine(_folder.Path, "crashy"), broker.Port).Start();
        gateway.Kill9(); // its persistent session stays on the broker, which now queues for it

        // Another gateway's traffic: one device's genesis and thousands of posts, published at QoS 1.
        var device = new TestDevice("prolific");
        var entries = new List<byte[]>();
        for (int i = 0; i <= posts; i++)
        {
            if (i > 0)
            {
                device.Node.PostPublic($"post {i}");
            }

            foreach (byte[] frame in device.Take())
            {
                FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f);
                entries.Add(f!.Payload);
            }
        }

        using (IMqttClient feeder = new MqttClientFactory().CreateMqttClient())
        {
            await feeder.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("feeder").Build());
            foreach (byte[] entry in entries)
            {
                await feeder.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"mm/1/EU_868/e/{device.Id:x8}").WithPayload(entry).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }
        }

        gateway.Start();
        MosquittoBroker.WaitUntil(() => Count(gateway) > 100, TimeSpan.FromSeconds(60), "ingest to be under way", pollMs: 5);
        gateway.Kill9();
        long before = Count(gateway);
        Assert.InRange(before, 1, posts); // killed part-way

        gateway.Start();
        MosquittoBroker.WaitUntil(() => gateway.Health()?.GetProperty("entries").GetInt64() == posts + 1, TimeSpan.FromSeconds(60), "every entry after the restart");
        Thread.Sleep(500);
        Assert.Equal(posts + 1, Count(gateway));
        Assert.Equal("ok", new GatewayDatabase(Path.Combine(gateway.DataDirectory, "gateway.db")).IntegrityCheck());
        Assert.Equal(Enumerable.Range(0, posts + 1).Select(i => (long)i), gateway.Entries()[device.Id.ToString("x8")]);
    }

    private static long Count(GatewayProcess gateway)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(gateway.DataDirectory, "gateway.db")}");
        c.Open();
        return GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries");
    }
}
