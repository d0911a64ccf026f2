using System.Globalization;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// Two gateway processes on the embedded broker of one of them: gateway B holds a chain that reached it alone
/// (from its UDP device while its bridge was off), gateway A never heard it; A gets all of it over MQTT, by
/// wants answered from B's store, each answer cut at <see cref="MessengerNode.MaxEntriesPerAnswer"/>.
/// </summary>
public sealed class MqttSyncTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-mqttsync-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_gateway_gets_a_chain_only_another_gateway_holds_in_answers_cut_at_the_cap()
    {
        // Longer than one answer, so the first want is cut and the rest comes with the next heads.
        int posts = MessengerNode.MaxEntriesPerAnswer + 16;
        string bData = Path.Combine(_folder.Path, "b");
        var bob = new TestDevice("bob");
        for (int i = 0; i < posts; i++)
        {
            bob.Node.PostPublic($"post {i} that only gateway B hears");
        }

        string bobKey = bob.Id.ToString("x8", CultureInfo.InvariantCulture);
        using (GatewayProcess alone = new GatewayProcess("gwb", bData, FreePort.Tcp(), "off").StartDetached())
        {
            EmbeddedBrokerSecurityTests.SendOverUdp(bob.Take(), alone.UdpPort);
            MosquittoBroker.WaitUntil(() => alone.Entries().GetValueOrDefault(bobKey)?.Count == posts + 1, TimeSpan.FromSeconds(30), "gateway B to store bob's chain");
        }

        int mqttPort = FreePort.Tcp();
        string aData = Path.Combine(_folder.Path, "a");
        using GatewayProcess a = new GatewayProcess("gwa", aData, mqttPort, "embedded", "--Gateway:Mqtt:SyncIntervalSeconds=1").Start();
        Assert.False(a.Entries().ContainsKey(bobKey));
        string password = File.ReadAllText(Path.Combine(aData, BridgeLogin.PasswordFileName)).Trim();
        using GatewayProcess b = new GatewayProcess("gwb", bData, mqttPort, "external", "--Gateway:Mqtt:SyncIntervalSeconds=1", $"--Gateway:Mqtt:Username={BridgeLogin.EmbeddedUserName}", $"--Gateway:Mqtt:Password={password}").Start();

        try
        {
            MosquittoBroker.WaitUntil(() => a.Entries().GetValueOrDefault(bobKey)?.Count == posts + 1, TimeSpan.FromSeconds(60), "gateway A to hold bob's whole chain");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"A holds {a.Entries().GetValueOrDefault(bobKey)?.Count ?? 0} of {posts + 1}\nA:\n{a.Metrics()}\nB:\n{b.Metrics()}");
        }

        Assert.Equal(Enumerable.Range(0, posts + 1).Select(i => (long)i), a.Entries()[bobKey].Order());
        Assert.True(Counter(b, "mqtt_sync_wants_cut") >= 1, b.Metrics());
        Assert.True(Counter(b, "mqtt_sync_wants_answered") >= 2, b.Metrics());
        Assert.True(Counter(b, "mqtt_sync_entries_sent") >= posts + 1, b.Metrics());
        Assert.True(Counter(a, "mqtt_sync_wants_sent") >= 2, a.Metrics());
        Assert.Equal(0, Counter(b, "mqtt_sync_wants_refused"));
    }

    private static long Counter(GatewayProcess gateway, string counter) =>
        gateway.Metrics().Split('\n').Where(l => l.StartsWith($"meshmsg_gateway_{counter}_total ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).FirstOrDefault();
}
