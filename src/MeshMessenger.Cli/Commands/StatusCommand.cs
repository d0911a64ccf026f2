using System.CommandLine;
using System.Text.Json;
using MeshMessenger.Cli.Terminal;
using Spectre.Console;

namespace MeshMessenger.Cli.Commands;

/// <summary><c>meshmsg status</c>: what a running gateway is doing (health, the nodes it hears, its anchors), from its HTTP API.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var gateway = new Option<string>("--gateway") { Description = "The gateway's web address.", DefaultValueFactory = _ => "http://localhost:8080" };
        var json = new Option<bool>("--json") { Description = "Print health, nodes and anchoring as one JSON document." };
        var command = new Command(
            "status",
            "Ask a running gateway (meshmsg up, or meshmsg-gateway on a Pi) how it is: broker, store, the nodes it hears with link quality, and its anchors. " +
            "Exit code 1 if the gateway cannot be reached.\n\nExamples:\n  meshmsg status\n  meshmsg status --gateway http://gateway.local:8080 --json")
        {
            gateway, json,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(gateway)!, parse.GetValue(json), AnsiConsole.Console, ct));
        return command;
    }

    public static async Task<int> RunAsync(string gateway, bool json, IAnsiConsole console, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(gateway, UriKind.Absolute, out Uri? address) || address.Scheme is not ("http" or "https"))
        {
            console.MarkupLineInterpolated($"[red]error:[/] --gateway must be an http(s) URL, got '{gateway}'");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        JsonElement health, nodes, anchoring;
        try
        {
            health = await GetAsync(http, "/health", ct);
            nodes = await GetAsync(http, "/api/nodes", ct);
            anchoring = await GetAsync(http, "/api/anchoring", ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot read the gateway at {gateway}: {e.Message}");
            return 1;
        }

        if (json)
        {
            RawOutput.Line(console, JsonSerializer.Serialize(new { health, nodes, anchoring }));
            return 0;
        }

        console.MarkupLineInterpolated($"gateway [bold]{health.GetProperty("node").GetString()}[/]: {health.GetProperty("status").GetString()}, MQTT {health.GetProperty("mqtt").GetString()}, {health.GetProperty("entries").GetInt64():N0} entries in {health.GetProperty("chains").GetInt64():N0} chains, outbox {health.GetProperty("outbox").GetInt64()}");
        var table = new Table().Title("nodes heard").AddColumns("name", "node", "kind", "link", "quality", "RSSI dBm", "SNR dB", "last heard", "frames");
        foreach (JsonElement n in nodes.EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(n.GetProperty("name").GetString() ?? "?"), n.GetProperty("id").GetString()!, n.GetProperty("kind").GetString()!, n.GetProperty("link").GetString()!,
                n.GetProperty("quality").GetString()!, Number(n.GetProperty("rssi")), Number(n.GetProperty("snr")), $"{n.GetProperty("secondsAgo").GetInt64()} s ago", n.GetProperty("frames").GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
        if (!anchoring.GetProperty("enabled").GetBoolean())
        {
            console.MarkupLine("anchoring: off");
            return 0;
        }

        var batches = new Table().Title("anchor batches (newest first)").AddColumns("batch", "state", "checkpoints", "block", "transaction", "gas");
        foreach (JsonElement b in anchoring.GetProperty("batches").EnumerateArray())
        {
            batches.AddRow(b.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), b.GetProperty("state").GetString()!, b.GetProperty("leaves").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), Number(b.GetProperty("block")), b.GetProperty("tx").GetString() ?? "—", Number(b.GetProperty("gasUsed")));
        }

        console.Write(batches);
        return 0;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path, CancellationToken ct) =>
        JsonDocument.Parse(await http.GetStringAsync(path, ct)).RootElement.Clone();

    private static string Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "—";
}
