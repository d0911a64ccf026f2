using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MeshMessenger.Gateway.Tests;

/// <summary>A whole gateway in this process (GatewayHost, Kestrel on a free loopback port, real SQLite), UDP and MQTT off, for the WebSocket link.</summary>
internal sealed class LinkGateway : IAsyncDisposable
{
    private readonly TestFolder _folder;
    private readonly WebApplication _app;

    private LinkGateway(string prefix, string[] extra)
    {
        _folder = new TestFolder(prefix);
        _app = GatewayHost.Build(
        [
            "--Urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Gateway:Name=ws-test",
            $"--Gateway:DataDirectory={_folder.Path}",
            "--Gateway:Mqtt:Mode=off",
            "--Gateway:Udp:Port=0",
            "--Gateway:Emulate:MessagesPerMinute=0.01", // emulated devices write only when a test makes them
            .. extra,
        ]);
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string BaseUrl { get; private set; } = "";

    public Uri LinkUri => new(BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/api/link");

    public IServiceProvider Services => _app.Services;

    public GatewayCounters Counters => Services.GetRequiredService<GatewayCounters>();

    public StoreAndForward Held => Services.GetRequiredService<StoreAndForward>();

    public EmulatedDevices Emulated => Services.GetRequiredService<EmulatedDevices>();

    public WebSocketLink Link => Services.GetRequiredService<WebSocketLink>();

    public static async Task<LinkGateway> StartAsync(string prefix, params string[] extra)
    {
        var gateway = new LinkGateway(prefix, extra);
        await gateway._app.StartAsync();
        gateway.BaseUrl = gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return gateway;
    }

    /// <summary>Stores frames as if they had come from another link (the radio).</summary>
    public async Task StoreFromElsewhere(IEnumerable<byte[]> frames)
    {
        FrameIngest ingest = Services.GetRequiredService<FrameIngest>();
        foreach (byte[] frame in frames)
        {
            IngestOutcome outcome = await ingest.IngestAsync(frame, IngestSource.Radio, "radio");
            Assert.True(outcome is IngestOutcome.Stored or IngestOutcome.Duplicate, $"setup frame refused: {outcome}");
        }
    }

    public string CountersText() => string.Join(", ", Counters.Snapshot().Select(p => $"{p.Key}={p.Value}"));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}
