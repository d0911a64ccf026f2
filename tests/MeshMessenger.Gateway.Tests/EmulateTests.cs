using System.Net.Http.Json;
using System.Text.Json;
using MeshMessenger.Gateway.Storage;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Tests;

public sealed class EmulateTests : IDisposable
{
    private readonly TestFolder _folder = new("gw-emulate-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Emulated_devices_around_a_gateway_on_its_embedded_broker_exchange_messages_and_receipts()
    {
        int mqttPort = FreePort.Tcp();
        using GatewayProcess gateway = new GatewayProcess("solo", Path.Combine(_folder.Path, "solo"), mqttPort, "embedded", "--emulate", "6", "--Gateway:Emulate:MessagesPerMinute=1200").Start();
        MosquittoBroker.WaitUntil(() => Receipts(gateway) > 3, TimeSpan.FromSeconds(30), "receipts from the emulated devices");
        Dictionary<string, List<long>> entries = gateway.Entries();
        Assert.Equal(6, entries.Count); // six authors, each with a genesis and more
        Assert.All(entries.Values, seqs => Assert.Equal(0, seqs[0]));
        Assert.Contains("meshmsg_gateway_frames_in_emulator_total", gateway.Metrics());
    }

    [Fact]
    public async Task After_a_restart_the_emulated_devices_carry_on_their_chains_without_forking()
    {
        using var gateway = new GatewayProcess("again", Path.Combine(_folder.Path, "again"), FreePort.Tcp(), "embedded", "--emulate", "3", "--Gateway:Emulate:MessagesPerMinute=600");
        gateway.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        JsonElement[] devices = [.. (await http.GetFromJsonAsync<JsonElement>("/api/devices")).EnumerateArray()];
        Assert.All(devices, d => Assert.True(d.GetProperty("demo").GetBoolean()));
        string amina = devices.First(d => d.GetProperty("name").GetString() == "Amina").GetProperty("id").GetString()!;
        string bo = devices.First(d => d.GetProperty("name").GetString() == "Bo").GetProperty("id").GetString()!;
        Assert.True((await http.PostAsJsonAsync($"/api/devices/{amina}/chats/{bo}", new { text = "before the restart" })).IsSuccessStatusCode);
        MosquittoBroker.WaitUntil(() => State(http, amina, bo, "before the restart") is "delivered" or "read", TimeSpan.FromSeconds(20), "the message to be delivered");
        Dictionary<string, List<long>> before = gateway.Entries();

        gateway.Kill9();
        gateway.Launch();
        MosquittoBroker.WaitUntil(() => gateway.Health() is not null, TimeSpan.FromSeconds(30), "the gateway to come back");
        MosquittoBroker.WaitUntil(() => gateway.Entries().Count(a => before.TryGetValue(a.Key, out List<long>? old) && a.Value.Max() > old.Max()) >= 3, TimeSpan.FromSeconds(30), "the devices to write again");

        Assert.DoesNotContain("meshmsg_gateway_dropped_fork_total", gateway.Metrics());
        Assert.Contains(State(http, amina, bo, "before the restart"), new[] { "delivered", "read" });
        long seq = (await (await http.PostAsJsonAsync($"/api/devices/{amina}/chats/{bo}", new { text = "after the restart" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
        Assert.True(seq > before[amina].Max(), $"sequence {seq} reused after {before[amina].Max()}");
        MosquittoBroker.WaitUntil(() => gateway.Entries()[amina].Contains(seq), TimeSpan.FromSeconds(10), "the new message stored");
        Assert.False(File.Exists(Path.Combine(gateway.DataDirectory, "people.json"))); // the gateway keeps no person's secret
    }

    private static string? State(HttpClient http, string device, string peer, string text) =>
        http.GetFromJsonAsync<JsonElement>($"/api/devices/{device}/chats/{peer}").GetAwaiter().GetResult()
            .GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("text").GetString() == text).Select(m => m.GetProperty("state").GetString()).FirstOrDefault();

    private static long Receipts(GatewayProcess gateway)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(gateway.DataDirectory, "gateway.db")}");
        c.Open();
        return GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM receipts");
    }
}
