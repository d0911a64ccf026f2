using System.Text.Json;
using MeshMessenger.Device.Boards;

namespace MeshMessenger.Device.Tests;

public sealed class BoardPinsTests
{
    [Fact]
    public void The_constants_match_every_esp32_board_file()
    {
        string boards = Path.Combine(RepoRoot(), "hardware", "boards");
        var esp32 = new List<string>();
        foreach (string file in Directory.GetFiles(boards, "board.json", SearchOption.AllDirectories))
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            JsonElement b = doc.RootElement;
            if (b.GetProperty("host").GetString() != "esp32")
            {
                continue;
            }

            string name = b.GetProperty("name").GetString()!;
            esp32.Add(name);
            BoardPins? pins = BoardPins.Find(name);
            Assert.True(pins is not null, $"no BoardPins for {name}");
            JsonElement spi = b.GetProperty("spi");
            JsonElement p = b.GetProperty("pins");
            Assert.Equal(b.GetProperty("chip").GetString(), pins.Chip);
            Assert.Equal(spi.GetProperty("bus").GetInt32(), pins.SpiBus);
            Assert.Equal((spi.GetProperty("sck").GetInt32(), spi.GetProperty("miso").GetInt32(), spi.GetProperty("mosi").GetInt32()), (pins.Sck, pins.Miso, pins.Mosi));
            Assert.Equal(p.GetProperty("chipSelect").GetInt32(), pins.ChipSelect);
            Assert.Equal(p.GetProperty("reset").GetInt32(), pins.Reset);
            Assert.Equal(p.TryGetProperty("busy", out JsonElement busy) ? busy.GetInt32() : -1, pins.Busy);
            Assert.Equal(p.GetProperty("irq").GetInt32(), pins.Irq);
            Assert.Equal(b.TryGetProperty("dio2AsRfSwitch", out JsonElement dio2) && dio2.GetBoolean(), pins.Dio2AsRfSwitch);
            Assert.Equal(b.TryGetProperty("tcxoVoltage", out JsonElement tcxo) ? tcxo.GetDouble() : 0, pins.TcxoVoltage);
            Assert.Equal(b.TryGetProperty("paBoost", out JsonElement pa) && pa.GetBoolean(), pins.PaBoost);
            Assert.Equal(b.GetProperty("maxTxPowerDbm").GetInt32(), pins.MaxTxPowerDbm);
            JsonElement extras = b.GetProperty("extras");
            Assert.Equal((extras.GetProperty("serialRx").GetInt32(), extras.GetProperty("serialTx").GetInt32()), (pins.SerialRx, pins.SerialTx));

            // The provisioning pins must not collide with anything else the board file names.
            var used = new List<int> { pins.Sck, pins.Miso, pins.Mosi, pins.ChipSelect, pins.Reset, pins.Busy, pins.Irq };
            foreach (JsonProperty extra in extras.EnumerateObject())
            {
                if (!extra.Name.StartsWith("serial", StringComparison.Ordinal))
                {
                    used.Add(extra.Value.GetInt32());
                }
            }

            Assert.DoesNotContain(pins.SerialRx, used);
            Assert.DoesNotContain(pins.SerialTx, used);
            Assert.NotEqual(pins.SerialRx, pins.SerialTx);
        }

        Assert.Equal(BoardPins.All().Select(x => x.Name).Order(), esp32.Order());
    }

    private static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "MeshMessenger.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
