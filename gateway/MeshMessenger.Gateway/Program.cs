using MeshMessenger.Gateway;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Gateway.Storage;

// meshmsg-gateway: the Raspberry Pi gateway service. Exit codes: 0 stopped cleanly, 1 a benchmark failed,
// 2 bad configuration. `meshmsg-gateway bench [JSON] [NODES] [POSTS]` runs the benchmarks instead.
if (args.Length > 0 && args[0] == "bench")
{
    return await MeshMessenger.Gateway.Benchmarks.GatewayBenchmark.RunAsync(
        args.Length > 1 ? args[1] : "results/bench-gateway.json",
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 39);
}

// `--emulate N` is short for --Gateway:Emulate:Devices=N.
args = [.. args.Select((a, i) => a == "--emulate" ? "--Gateway:Emulate:Devices" : a)];
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection("Gateway"));
var options = builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
MeshMessenger.Protocol.Identity.NodeIdentity identity;
try
{
    GatewayOptionsValidator.Validate(options, string.IsNullOrEmpty(options.Radio.BoardsDirectory) ? BoardCatalog.Default() : new BoardCatalog(options.Radio.BoardsDirectory));
    identity = GatewayIdentity.LoadOrCreate(options);
}
catch (ConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var topics = new TopicLayout(options.Mqtt.TopicRoot, options.Region);
builder.Services.AddSingleton(new GatewayDatabase(Path.Combine(options.DataDirectory, "gateway.db")));
builder.Services.AddSingleton(identity);
builder.Services.AddSingleton<GatewayCounters>();
builder.Services.AddSingleton(sp => new FrameIngest(
    sp.GetRequiredService<GatewayDatabase>(),
    sp.GetRequiredService<GatewayCounters>(),
    new RateLimiter(options.RateLimitPerMinute, Math.Max(10, options.RateLimitPerMinute / 2)),
    new NSecVerifier(),
    entry => options.Mqtt.Mode != "off" && options.Mqtt.Uplink && entry.Source != IngestSource.Mqtt && !entry.LocalOnly ? topics.EntryTopic(entry.Author) : null));
builder.Services.AddHostedService<EmbeddedBroker>();
builder.Services.AddSingleton<MqttBridge>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<MqttBridge>());
builder.Services.AddSingleton<StoreAndForward>();
builder.Services.AddSingleton<EmulatedDevices>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<EmulatedDevices>());
builder.Services.AddSingleton<RadioLink>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<RadioLink>());
builder.Services.AddSingleton<UdpLink>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<UdpLink>());
builder.Services.AddSingleton<MeshMessenger.Gateway.Anchoring.AnchoringService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<MeshMessenger.Gateway.Anchoring.AnchoringService>());
builder.Services.AddSingleton<GatewayStatus>();

WebApplication app = builder.Build();
app.MapGet("/health", (GatewayStatus status) => Results.Json(status.Health()));
app.MapGet("/metrics", (GatewayStatus status) => Results.Text(status.Metrics(), "text/plain; version=0.0.4"));
app.MapGet("/api/entries", (GatewayStatus status) => Results.Json(status.Entries()));
app.MapGet("/api/proofs/{author}/{sequence}", (string author, uint sequence, MeshMessenger.Gateway.Anchoring.AnchoringService anchoring) =>
{
    // The proof bundle for an entry: the anchored checkpoint of its author at or after its sequence.
    if (anchoring.Store is null)
    {
        return Results.Problem("anchoring is off on this gateway", statusCode: 404);
    }

    if (!uint.TryParse(author, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out uint id))
    {
        return Results.Problem("author must be 8 hex digits", statusCode: 400);
    }

    return anchoring.Store.FindCovering(id, sequence) is { } found
        ? Results.Text(MeshMessenger.Anchoring.Proofs.ProofBundle.For(anchoring.Store, found.BatchId, found.Index).ToJson(), "application/json")
        : Results.Problem($"no anchored checkpoint of {author} covers sequence {sequence} yet", statusCode: 404);
});
// Anchor notices go back to their authors on the links that reach them.
app.Services.GetRequiredService<MeshMessenger.Gateway.Anchoring.AnchoringService>().NoticeReady += (author, frame) =>
{
    _ = app.Services.GetRequiredService<UdpLink>().SendToNodeAsync(author, frame);
    app.Services.GetRequiredService<EmulatedDevices>().DeliverTo(author, frame);
    app.Services.GetRequiredService<RadioLink>().EnqueueNotice(author, frame);
};
app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<FrameIngest>().DisposeAsync().AsTask().GetAwaiter().GetResult());
await app.RunAsync();
return 0;
