using System.Net;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Protocol.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The gateway's real UDP link on a loopback socket, over the real ingest and SQLite store.</summary>
internal sealed class UdpLinkFixture : IAsyncDisposable
{
    private readonly IngestFixture _ingest;
    private readonly CancellationTokenSource _stop = new();

    private UdpLinkFixture(string prefix, Action<UdpOptions>? configure)
    {
        _ingest = new IngestFixture(prefix, new LinkBudgets(1_000_000, 1_000_000), _ => null);
        var options = new GatewayOptions { Udp = { AnyPort = true, Bind = "127.0.0.1" } };
        configure?.Invoke(options.Udp);
        Held = new StoreAndForward(_ingest.Database);
        Identity = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)0x6A, 32).ToArray());
        Link = new UdpLink(Options.Create(options), _ingest.Ingest, Held, _ingest.Counters, new NodeDirectory(), Identity, new SyncResponder(_ingest.Database, Identity), NullLogger<UdpLink>.Instance);
    }

    public UdpLink Link { get; }

    public StoreAndForward Held { get; }

    public NodeIdentity Identity { get; }

    public FrameIngest Ingest => _ingest.Ingest;

    public Storage.GatewayDatabase Database => _ingest.Database;

    public GatewayCounters Counters => _ingest.Counters;

    public IPEndPoint Endpoint => new(IPAddress.Loopback, Link.BoundPort);

    public static async Task<UdpLinkFixture> StartAsync(string prefix, Action<UdpOptions>? configure = null)
    {
        var fixture = new UdpLinkFixture(prefix, configure);
        try
        {
            await fixture.Link.StartAsync(fixture._stop.Token); // bound when it returns
        }
        catch (IOException)
        {
            await fixture.DisposeAsync();
            throw;
        }

        return fixture;
    }

    /// <summary>Stores frames as if they had come from another link (another gateway, the radio).</summary>
    public async Task StoreFromElsewhere(IEnumerable<byte[]> frames)
    {
        foreach (byte[] frame in frames)
        {
            IngestOutcome outcome = await Ingest.IngestAsync(frame, IngestSource.Radio, "radio");
            Assert.True(outcome is IngestOutcome.Stored or IngestOutcome.Duplicate, $"setup frame refused: {outcome}");
        }
    }

    public static async Task WaitUntil(Func<bool> condition, string what, Func<string>? detail = null)
    {
        // A bound on liveness, not a speed check: with an emulator sweep sharing 2 cores, 60 hand-overs took over 30 s.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what} {detail?.Invoke()}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Link.StopAsync(CancellationToken.None);
        Link.Dispose();
        await _ingest.DisposeAsync();
        _stop.Dispose();
    }
}
