using System.Collections.Concurrent;
using System.Text.Json;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// A gateway in external mode on a real Mosquitto broker that lets anyone in: its bridge connects under a client
/// id derived from its key, and a client that connects with that id anyway (taking the session, MQTT 5 reason
/// 0x8E) makes /health say so, while every entry the gateway accepted still reaches the broker.
/// </summary>
public sealed class SessionTakeoverTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-takeover-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_bridge_uses_a_client_id_derived_from_its_key_not_its_name_and_the_same_after_a_restart()
    {
        using var broker = new MosquittoBroker();
        string data = Path.Combine(_folder.Path, "gw");
        using GatewayProcess gateway = new GatewayProcess("gwid", data, broker.Port).Start();
        string bridgeId = BridgeLogin.ClientIdFor("gwid", GatewayIdentity.LoadOrCreate(new GatewayOptions { DataDirectory = data }));
        Assert.Matches("^gwid-[0-9a-f]{16}$", bridgeId);
        MosquittoBroker.WaitUntil(() => broker.Log().Contains($" as {bridgeId} ", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "Mosquitto to log the bridge's client id");

        gateway.Kill9();
        gateway.Start();
        MosquittoBroker.WaitUntil(() => CountOf(broker.Log(), $" as {bridgeId} ") == 2, TimeSpan.FromSeconds(10), "the restarted bridge to connect under the same id");
        Assert.DoesNotContain(" as gwid ", broker.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_takes_the_bridges_session_makes_health_degraded_and_no_accepted_entry_is_lost()
    {
        using var broker = new MosquittoBroker();
        string data = Path.Combine(_folder.Path, "victim");
        using GatewayProcess gateway = new GatewayProcess("victim", data, broker.Port).Start();
        string bridgeId = BridgeLogin.ClientIdFor("victim", GatewayIdentity.LoadOrCreate(new GatewayOptions { DataDirectory = data }));

        // An observer with its own persistent session collects every entry that reaches the broker.
        var seen = new ConcurrentDictionary<(uint Author, uint Sequence), bool>();
        using IMqttClient observer = new MqttClientFactory().CreateMqttClient();
        observer.ApplicationMessageReceivedAsync += e =>
        {
            byte[] payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            if (EntryCodec.TryDecode(payload, 0, payload.Length, out Entry? entry) == ProtocolError.None)
            {
                seen[(entry!.Author, entry.Sequence)] = true;
            }

            return Task.CompletedTask;
        };
        await observer.ConnectAsync(Options(broker.Port, "observer"));
        await observer.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("mm/1/EU_868/e/+", MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var device = new TestDevice("dora");
        var sent = new List<uint>();
        void Write(string label, int count)
        {
            for (int i = 0; i < count; i++)
            {
                device.Node.PostPublic($"{label} {i}");
            }

            byte[][] frames = device.Take();
            foreach (byte[] frame in frames)
            {
                if (FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f) == ProtocolError.None && f!.Type == FrameType.Entry
                    && EntryCodec.TryDecode(f.Payload, 0, f.Payload.Length, out Entry? e) == ProtocolError.None)
                {
                    sent.Add(e!.Sequence);
                }
            }

            EmbeddedBrokerSecurityTests.SendOverUdp(frames, gateway.UdpPort);
        }

        Write("before", 5);
        MosquittoBroker.WaitUntil(() => seen.Count == sent.Count, TimeSpan.FromSeconds(15), "the first entries at the broker");

        // The hostile client takes the bridge's session; the gateway accepts more entries meanwhile.
        using IMqttClient hostile = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, (await hostile.ConnectAsync(Options(broker.Port, bridgeId))).ResultCode);
        Write("during", 10);
        MosquittoBroker.WaitUntil(() => Problems(gateway).Any(p => p.Contains("session taken over", StringComparison.Ordinal)), TimeSpan.FromSeconds(15), "/health to name the takeover");
        JsonElement health = gateway.Health()!.Value;
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains("session taken over 1 time", health.GetProperty("mqtt").GetString(), StringComparison.Ordinal);
        Assert.Contains("meshmsg_gateway_mqtt_session_takeovers_total 1", gateway.Metrics(), StringComparison.Ordinal);

        // The bridge takes its session back after its back-off, which throws the hostile client off in turn.
        MosquittoBroker.WaitUntil(() => !hostile.IsConnected, TimeSpan.FromSeconds(30), "the bridge to take its session back");
        MosquittoBroker.WaitUntil(() => gateway.Health()!.Value.GetProperty("mqtt").GetString()!.StartsWith("connected;", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the bridge to reconnect");
        Write("after", 5);

        // Nothing the gateway accepted is lost: it stored every entry, every one reached the broker, the outbox is empty.
        string author = $"{device.Id:x8}";
        MosquittoBroker.WaitUntil(
            () => gateway.Entries().GetValueOrDefault(author) is { } held && held.SequenceEqual(sent.Select(s => (long)s))
                && sent.All(s => seen.ContainsKey((device.Id, s)))
                && gateway.Health()!.Value.GetProperty("outbox").GetInt64() == 0,
            TimeSpan.FromSeconds(30),
            "every accepted entry at the broker");
        Assert.True(sent.Count > 20, $"{sent.Count} entries sent"); // the genesis and 20 posts
        Assert.Equal("degraded", gateway.Health()!.Value.GetProperty("status").GetString()); // reported for ten minutes after the last takeover
    }

    [Fact]
    public void A_broker_restart_is_not_taken_for_a_session_takeover()
    {
        using var broker = new MosquittoBroker();
        using GatewayProcess gateway = new GatewayProcess("steady", Path.Combine(_folder.Path, "steady"), broker.Port).Start();
        MosquittoBroker.WaitUntil(() => CountOf(broker.Log(), " as steady-") == 2, TimeSpan.FromSeconds(10), "the bridge and its watch connection");
        broker.Restart();
        MosquittoBroker.WaitUntil(() => gateway.Metrics().Contains("meshmsg_gateway_mqtt_connects_total 2", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the bridge to reconnect");
        MosquittoBroker.WaitUntil(() => CountOf(broker.Log(), " as steady-") == 2 + 2, TimeSpan.FromSeconds(30), "the watch connection to reconnect");
        JsonElement health = gateway.Health()!.Value;
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("connected", health.GetProperty("mqtt").GetString());
        Assert.DoesNotContain("mqtt_session_takeovers", gateway.Metrics(), StringComparison.Ordinal);
    }

    private static string[] Problems(GatewayProcess gateway) =>
        gateway.Health() is { } health ? [.. health.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!)] : [];

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static MqttClientOptions Options(int port, string clientId) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
}
