using MeshMessenger.Cli.Benchmarks;
using MeshMessenger.Gateway.Tests;

namespace MeshMessenger.Web.Tests;

/// <summary>
/// People whose keys were made in their browsers (the web app's welcome screen) write to each other through one gateway, then through two gateways
/// federated over a real Mosquitto broker; afterwards nothing the gateways and the broker kept or said (every file of
/// their data folders including the SQLite database and WAL, their logs, every MQTT message) holds a message text
/// or any form of anyone's secret.
/// </summary>
public sealed class BrowserDirectMessagesTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mm-web-dm-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Direct_messages_cross_one_gateway_and_two_federated_ones_and_no_text_or_secret_reaches_a_gateway_or_the_broker()
    {
        using var broker = new MosquittoBroker();
        using var mqtt = new MqttRecorder(broker.Port);
        var gw1 = new GatewayProcess("gw1", Path.Combine(_folder, "gw1"), broker.Port, "external", "--Gateway:Emulate:Devices=0");
        var gw2 = new GatewayProcess("gw2", Path.Combine(_folder, "gw2"), broker.Port, "external", "--Gateway:Emulate:Devices=0");
        var texts = new List<string>();
        var codes = new Dictionary<string, string>();
        try
        {
            gw1.Start();
            gw2.Start();
            string url1 = $"http://127.0.0.1:{gw1.HttpPort}";
            string url2 = $"http://127.0.0.1:{gw2.HttpPort}";
            WebAppPage ada = await chromium.PersonAsync(url1);
            WebAppPage ben = await chromium.PersonAsync(url1);
            WebAppPage cleo = await chromium.PersonAsync(url2);
            codes["Ada"] = await ada.CreateAsync("Ada");
            codes["Ben"] = await ben.CreateAsync("Ben");
            codes["Cleo"] = await cleo.CreateAsync("Cleo");

            // One gateway: Ada and Ben add each other's contact cards and write both ways.
            await Exchange(ada, ben, "Ada to Ben through one gateway: the well at six", "Ben to Ada through one gateway: six is fine");

            // Two gateways: Ada on gw1, Cleo on gw2; every frame between them crosses the broker.
            await Exchange(ada, cleo, "Ada to Cleo across the broker: bring the rope", "Cleo to Ada across the broker: rope packed");
        }
        finally
        {
            gw1.Dispose();
            gw2.Dispose();
        }

        // The secret scan, over everything the gateways and the broker kept or said.
        Assert.True(mqtt.Count > 0, "the recorder heard no MQTT message: the scan would prove nothing");
        mqtt.Dispose();
        var needles = texts.SelectMany(t => SecretScanner.Text($"message \"{t}\"", t))
            .Concat(codes.SelectMany(p => SecretScanner.BackupCode(p.Key, p.Value)))
            .ToList();
        List<(string Source, byte[] Bytes)> haystacks =
        [
            .. SecretScanner.Files(gw1.DataDirectory),
            .. SecretScanner.Files(gw2.DataDirectory),
            .. SecretScanner.Files(broker.Directory),
            .. mqtt.Messages(),
        ];
        Assert.Contains(haystacks, h => h.Source.EndsWith("gateway.db", StringComparison.Ordinal));
        Assert.Contains(haystacks, h => h.Source.EndsWith("gateway.log", StringComparison.Ordinal) && h.Bytes.Length > 0);

        // Positive control: the same scan finds a secret planted in a gateway's folder, in one of the forms it looks for.
        string planted = Path.Combine(gw1.DataDirectory, "planted-control.bin");
        byte[] seed = SecretScanner.BackupCode("Ben", codes["Ben"]).Single(n => n.Label == "Ben's seed bytes 7..18").Bytes;
        await File.WriteAllBytesAsync(planted, [.. "junk before "u8.ToArray(), .. seed, .. " junk after"u8.ToArray()]);
        List<string> control = SecretScanner.Scan(SecretScanner.Files(gw1.DataDirectory), needles);
        Assert.Contains("Ben's seed bytes 7..18 in " + planted, control);
        Assert.All(control, hit => Assert.EndsWith(" in " + planted, hit, StringComparison.Ordinal));
        File.Delete(planted);

        Assert.Empty(SecretScanner.Scan(haystacks, needles));

        async Task Exchange(WebAppPage a, WebAppPage b, string aToB, string bToA)
        {
            texts.Add(aToB);
            texts.Add(bToA);
            await a.AddContactAsync(await b.CardAsync());
            await b.AddContactAsync(await a.CardAsync());
            await a.OpenConversationAsync(b.Id);
            await a.SendAsync(aToB);
            await b.WaitForMessageAsync(a.Id, aToB);
            await b.SendAsync(bToA);
            await a.WaitForMessageAsync(b.Id, bToA);
        }
    }
}
