using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// The embedded broker against strangers: anonymous clients may read but not publish, may not take the bridge's
/// client id, and cannot reach the broker from anywhere but loopback unless Gateway:Mqtt:Bind opens it.
/// </summary>
public sealed class EmbeddedBrokerSecurityTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-embsec-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Anonymous_clients_can_subscribe_and_read_but_cannot_publish_or_use_the_bridges_client_id()
    {
        int mqttPort = FreePort.Tcp();
        string data = Path.Combine(_folder.Path, "gw");
        using GatewayProcess gateway = new GatewayProcess("gwsec", data, mqttPort, "embedded").Start();
        string passwordFile = Path.Combine(data, BridgeLogin.PasswordFileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        string bridgeId = BridgeLogin.ClientIdFor("gwsec", GatewayIdentity.LoadOrCreate(new GatewayOptions { DataDirectory = data }));
        Assert.StartsWith("gwsec-", bridgeId, StringComparison.Ordinal);
        Assert.NotEqual("gwsec", bridgeId);

        // An anonymous reader subscribes and receives what the gateway publishes.
        using IMqttClient reader = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, (await reader.ConnectAsync(Options(mqttPort, "reader"))).ResultCode);
        var topics = new ConcurrentQueue<string>();
        reader.ApplicationMessageReceivedAsync += e =>
        {
            topics.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        MqttClientSubscribeResult subscribed = await reader.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("mm/1/EU_868/e/+", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, subscribed.Items.Single().ResultCode);
        var alice = new TestDevice("alice");
        SendOverUdp(alice.Take(), gateway.UdpPort);
        MosquittoBroker.WaitUntil(() => topics.Contains($"mm/1/EU_868/e/{alice.Id:x8}"), TimeSpan.FromSeconds(15), "the anonymous reader to receive alice's entry");

        // An anonymous publish of a valid entry is refused with Not authorized and never stored.
        var carol = new TestDevice("carol");
        byte[] carolGenesis = EntryOf(carol.Take()[0]);
        MqttClientPublishResult refused = await reader.PublishAsync(Message(carol.Id, carolGenesis));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);

        // A client with the broker credential publishes dave's entry, then carol's same entry: both are stored,
        // so the refusal above was the only thing that kept carol's entry out.
        using IMqttClient member = new MqttClientFactory().CreateMqttClient();
        Assert.Equal(MqttClientConnectResultCode.Success, (await member.ConnectAsync(Options(mqttPort, "member", BridgeLogin.EmbeddedUserName, File.ReadAllText(passwordFile).Trim()))).ResultCode);
        var dave = new TestDevice("dave");
        Assert.True((await member.PublishAsync(Message(dave.Id, EntryOf(dave.Take()[0])))).IsSuccess);
        MosquittoBroker.WaitUntil(() => gateway.Entries().ContainsKey($"{dave.Id:x8}"), TimeSpan.FromSeconds(15), "dave's entry from the logged-in client");
        Assert.False(gateway.Entries().ContainsKey($"{carol.Id:x8}"), "the anonymous publish was stored");
        Assert.True((await member.PublishAsync(Message(carol.Id, carolGenesis))).IsSuccess);
        MosquittoBroker.WaitUntil(() => gateway.Entries().ContainsKey($"{carol.Id:x8}"), TimeSpan.FromSeconds(15), "carol's entry from the logged-in client");

        // An anonymous client with the bridge's client id is refused at connect; so is a wrong password.
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResultAsync(Options(mqttPort, bridgeId)));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResultAsync(Options(mqttPort, "member")));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResultAsync(Options(mqttPort, "guess", BridgeLogin.EmbeddedUserName, "password")));

        // The bridge kept its session throughout.
        System.Text.Json.JsonElement health = gateway.Health()!.Value;
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("connected", health.GetProperty("mqtt").GetString());
        Assert.Equal(0, health.GetProperty("problems").GetArrayLength());
        Assert.DoesNotContain("mqtt_session_takeovers", gateway.Metrics(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_credential_and_the_reserved_client_id_survive_a_restart_and_the_broker_listens_on_loopback_unless_opened()
    {
        int mqttPort = FreePort.Tcp();
        string data = Path.Combine(_folder.Path, "gw");
        using GatewayProcess gateway = new GatewayProcess("gwre", data, mqttPort, "embedded").Start();
        string password = File.ReadAllText(Path.Combine(data, BridgeLogin.PasswordFileName));
        string bridgeId = BridgeLogin.ClientIdFor("gwre", GatewayIdentity.LoadOrCreate(new GatewayOptions { DataDirectory = data }));

        // 127.0.0.2 is a loopback address too, but a listener bound to 127.0.0.1 alone does not answer it.
        using (var outside = new TcpClient())
        {
            Assert.Throws<SocketException>(() => outside.Connect(IPAddress.Parse("127.0.0.2"), mqttPort));
        }

        gateway.Kill9();
        gateway.Start(); // the bridge logs in again with the same credential
        Assert.Equal(password, File.ReadAllText(Path.Combine(data, BridgeLogin.PasswordFileName)));
        Assert.Equal(bridgeId, BridgeLogin.ClientIdFor("gwre", GatewayIdentity.LoadOrCreate(new GatewayOptions { DataDirectory = data })));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResultAsync(Options(mqttPort, bridgeId)));

        // Gateway:Mqtt:Bind=0.0.0.0 opens the broker to every address.
        int openPort = FreePort.Tcp();
        using GatewayProcess open = new GatewayProcess("gwopen", Path.Combine(_folder.Path, "open"), openPort, "embedded", "--Gateway:Mqtt:Bind=0.0.0.0").Start();
        using var client = new TcpClient();
        client.Connect(IPAddress.Parse("127.0.0.2"), openPort);
        Assert.True(client.Connected);
    }

    private static MqttClientOptions Options(int port, string clientId, string? user = null, string? password = null)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithTimeout(TimeSpan.FromSeconds(5));
        return (user is null ? builder : builder.WithCredentials(user, password)).Build();
    }

    private static async Task<MqttClientConnectResultCode> ConnectResultAsync(MqttClientOptions options)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        return (await client.ConnectAsync(options)).ResultCode;
    }

    private static MqttApplicationMessage Message(uint author, byte[] entry) =>
        new MqttApplicationMessageBuilder().WithTopic($"mm/1/EU_868/e/{author:x8}").WithPayload(entry).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private static byte[] EntryOf(byte[] frame)
    {
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f));
        return f!.Payload;
    }

    internal static void SendOverUdp(IEnumerable<byte[]> frames, int port)
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        foreach (byte[] frame in frames)
        {
            socket.Send(frame, frame.Length, new IPEndPoint(IPAddress.Loopback, port));
            Thread.Sleep(2);
        }
    }
}
