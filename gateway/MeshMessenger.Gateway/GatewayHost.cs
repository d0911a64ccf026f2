using MeshMessenger.Gateway.Anchoring;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Gateway.PeopleMigration;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Gateway.Timekeeping;
using MeshMessenger.Gateway.Web;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Gateway;

/// <summary>
/// Builds the gateway (links, ingest, store, MQTT bridge, anchoring, web app) from command-line settings.
/// <c>meshmsg-gateway</c> runs it as a service; <c>meshmsg up</c> runs it in-process with the embedded defaults.
/// </summary>
public static class GatewayHost
{
    /// <summary>
    /// Builds the application. Settings come from appsettings.json, MM_-free environment variables and
    /// <paramref name="args"/> (<c>--Gateway:Region=US</c>; <c>--emulate N</c> is short for
    /// <c>--Gateway:Emulate:Devices=N</c>).
    /// </summary>
    /// <exception cref="ConfigurationException">A setting is wrong; the message names it.</exception>
    /// <exception cref="DataDirectoryInUseException">Another process runs on Gateway:DataDirectory; the message names the folder and its pid.</exception>
    public static WebApplication Build(string[] args)
    {
        args = [.. args.Select(a => a == "--emulate" ? "--Gateway:Emulate:Devices" : a)];
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json travels with the binaries, wherever they are started from, unless --contentRoot
            // names another folder (the systemd unit's /etc/meshmsg).
            ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection("Gateway"));
        var options = builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        GatewayOptionsValidator.Validate(options, string.IsNullOrEmpty(options.Radio.BoardsDirectory) ? BoardCatalog.Default() : new BoardCatalog(options.Radio.BoardsDirectory));
        // Two gateways on one folder would write one store and sign with one anchoring nonce sequence: refuse the second.
        DataDirectoryLock dataLock = DataDirectoryLock.Acquire(options.DataDirectory);
        try
        {
            return Build(builder, options, dataLock);
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }
    }

    private static WebApplication Build(WebApplicationBuilder builder, GatewayOptions options, DataDirectoryLock dataLock)
    {
        NodeIdentity identity = GatewayIdentity.LoadOrCreate(options);
        builder.Services.AddSingleton(_ => dataLock); // created by the container, so disposed with the app

        var topics = new TopicLayout(options.Mqtt.TopicRoot, options.Region);
        builder.Services.AddSingleton(new GatewayDatabase(Path.Combine(options.DataDirectory, "gateway.db")));
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(new GatewayClock(TimeProvider.System, new LinuxClockSyncState(), new ClockFloorFile(Path.Combine(options.DataDirectory, "clock-floor")), options.Gnss));
        builder.Services.AddSingleton<GnssTime>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GnssTime>());
        builder.Services.AddSingleton<GatewayCounters>();
        builder.Services.AddSingleton(sp => new FrameIngest(
            sp.GetRequiredService<GatewayDatabase>(),
            sp.GetRequiredService<GatewayCounters>(),
            new LinkBudgets(options.RateLimitPerMinute, options.RateLimitBurst),
            new NSecVerifier(),
            entry => options.Mqtt.Mode != "off" && options.Mqtt.Uplink && entry.Source != IngestSource.Mqtt && !entry.LocalOnly ? topics.EntryTopic(entry.Author) : null,
            log: message => sp.GetRequiredService<ILogger<FrameIngest>>().LogError("{Problem}", message),
            clock: sp.GetRequiredService<GatewayClock>()));
        builder.Services.AddSingleton(BridgeLogin.For(options, identity));
        builder.Services.AddHostedService<EmbeddedBroker>();
        builder.Services.AddSingleton(topics);
        builder.Services.AddSingleton<MqttSync>();
        builder.Services.AddSingleton<MqttBridge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MqttBridge>());
        builder.Services.AddSingleton<StoreAndForward>();
        builder.Services.AddSingleton<NodeDirectory>();
        builder.Services.AddSingleton<EmulatedDevices>();
        builder.Services.AddSingleton<PendingMigrations>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmulatedDevices>());
        builder.Services.AddSingleton<RadioLink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RadioLink>());
        builder.Services.AddSingleton<UdpLink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UdpLink>());
        builder.Services.AddSingleton<SyncResponder>();
        builder.Services.AddSingleton<WebSocketLink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebSocketLink>());
        builder.Services.AddSingleton<AnchoringService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AnchoringService>());
        builder.Services.AddSingleton<ChainAccess.ChainAccessService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChainAccess.ChainAccessService>());
        builder.Services.AddSingleton<GatewayStatus>();
        builder.Services.AddSingleton<Display.DisplayHealth>();
        builder.Services.AddHostedService<Display.StatusDisplayService>();
        builder.Services.AddSingleton<LiveUpdates>();
        builder.Services.AddWebHardening();

        WebApplication app = builder.Build();
        app.Services.GetRequiredService<DataDirectoryLock>();
        app.Services.GetRequiredService<PendingMigrations>(); // reads an earlier release's people.json now, so a bad one is reported at start
        app.MapGet("/health", (GatewayStatus status) => Results.Json(status.Health()));
        app.MapGet("/metrics", (GatewayStatus status) => Results.Text(status.Metrics(), "text/plain; version=0.0.4"));
        app.MapGet("/api/entries", (GatewayStatus status) => Results.Json(status.Entries()));
        app.MapGet("/api/proofs/{author}/{sequence}", (string author, uint sequence, AnchoringService anchoring) =>
            ProofLookup.Find(anchoring, author, sequence) is { } found
                ? Results.Text(found.Bundle.ToJson(), "application/json")
                : ProofLookup.Missing(anchoring, author, sequence));
        app.MapWebApp();
        app.MapLink();

        // Anchor notices go back to their authors on the links that reach them.
        app.Services.GetRequiredService<AnchoringService>().NoticeReady += (author, frame) =>
        {
            _ = app.Services.GetRequiredService<UdpLink>().SendToNodeAsync(author, frame);
            _ = app.Services.GetRequiredService<WebSocketLink>().SendToNodeAsync(author, frame);
            app.Services.GetRequiredService<EmulatedDevices>().DeliverTo(author, frame);
            app.Services.GetRequiredService<RadioLink>().EnqueueNotice(author, frame);
        };
        app.Services.GetRequiredService<LiveUpdates>().Attach(app.Services.GetRequiredService<FrameIngest>(), app.Services.GetRequiredService<AnchoringService>(), app.Lifetime.ApplicationStopping);
        app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<FrameIngest>().DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }
}
