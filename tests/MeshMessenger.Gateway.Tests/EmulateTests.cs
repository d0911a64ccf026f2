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

    private static long Receipts(GatewayProcess gateway)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(gateway.DataDirectory, "gateway.db")}");
        c.Open();
        return GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM receipts");
    }
}
