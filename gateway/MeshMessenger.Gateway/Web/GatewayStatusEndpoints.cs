using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Gateway.Anchoring;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Mqtt;
using MeshMessenger.Protocol.Identity;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Web;

/// <summary>The gateway's own state for the web app (docs/gateway.md §6): live updates, settings, the nodes it hears and anchoring.</summary>
internal static class GatewayStatusEndpoints
{
    /// <summary>Maps the status routes under <paramref name="api"/>.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/events", LiveEvents);
        api.MapGet("/gateway", Gateway);
        api.MapGet("/nodes", Nodes);
        api.MapGet("/anchoring", AnchoringStatus);
    }

    /// <summary>
    /// A live-update stream, unless this client address holds <see cref="ClientQuotas.StreamsPerAddress"/> already
    /// (429) or the gateway holds <see cref="LiveUpdates.MaxSubscribers"/> (503); both say when to retry.
    /// </summary>
    private static IResult LiveEvents(LiveUpdates live, ClientQuotas quotas, HttpContext http, CancellationToken ct)
    {
        if (live.SubscriberCount >= LiveUpdates.MaxSubscribers)
        {
            http.Response.Headers.RetryAfter = "30";
            return Results.Problem("too many live pages are open on this gateway; retry later", statusCode: 503);
        }

        if (quotas.TryOpenStream(ClientQuotas.ClientOf(http)) is not { } lease)
        {
            http.Response.Headers.RetryAfter = "30";
            return Results.Problem($"this address holds {ClientQuotas.StreamsPerAddress} live-update streams already; close a page or retry later", statusCode: 429);
        }

        // Given back when the response ends, however it ends (the stream may never be enumerated).
        http.Response.RegisterForDispose(lease);
        return TypedResults.ServerSentEvents(live.SubscribeAsync(ct));
    }

    private static IResult Gateway(IOptions<GatewayOptions> options, NodeIdentity identity, MqttBridge mqtt, AnchoringService anchoring, UdpLink udp) => Results.Json(new
    {
        name = options.Value.Name,
        node = NodeIdText.Hex(identity.Id),
        region = options.Value.Region,
        preset = options.Value.Radio.Preset,
        udpPort = udp.BoundPort != 0 ? udp.BoundPort : options.Value.Udp.Port, // the bound port with Udp:AnyPort
        channel = EmulatedDevices.Village.Name,
        channelInvite = EmulatedDevices.Village.ToText(), // its secret is public by design (derived from its name)
        mqtt = mqtt.State,
        anchoring = anchoring.Store is not null,
        maxTextBytes = HostedDeviceEndpoints.MaxTextBytes,
        loraTextBytes = 152, // docs/protocol.md §5.3: a DM of up to 152 bytes fits one 255-byte LoRa frame
    });

    private static IResult Nodes(NodeDirectory directory, EmulatedDevices devices, GatewayStatus status)
    {
        Dictionary<uint, VirtualDevice> hosted = devices.Devices.ToDictionary(d => d.Id);
        IReadOnlyList<HeardNode> heard = directory.Snapshot();
        Dictionary<uint, string> contacts = status.ContactNames(heard.Where(n => !hosted.ContainsKey(n.Id)).Select(n => n.Id));
        Dictionary<uint, string> names = DisplayNames.Distinct(heard.Select(n => (n.Id, hosted.TryGetValue(n.Id, out VirtualDevice? d) ? d.Name : contacts.GetValueOrDefault(n.Id, "?"))));
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Results.Json(heard.Select(n => new
        {
            id = NodeIdText.Hex(n.Id),
            name = names[n.Id],
            kind = hosted.ContainsKey(n.Id) ? "demo device" : "device",
            link = n.Link.ToString().ToLowerInvariant(),
            rssi = n.RssiDbm,
            snr = n.SnrDb,
            quality = n.Quality,
            lastHeard = n.LastHeard.ToUnixTimeMilliseconds(),
            secondsAgo = (now - n.LastHeard.ToUnixTimeMilliseconds()) / 1000,
            frames = n.Frames,
        }));
    }

    private static IResult AnchoringStatus(AnchoringService anchoring, IOptions<GatewayOptions> options)
    {
        if (anchoring.Store is not { } store)
        {
            return Results.Json(new { enabled = options.Value.Anchoring.Enabled, started = false, address = anchoring.Address?.ToString(), batches = Array.Empty<object>(), lastError = anchoring.LastError });
        }

        List<AnchorBatch> batches = [.. store.Final(), .. store.Unfinished()];
        return Results.Json(new
        {
            enabled = true,
            started = true,
            address = anchoring.Address?.ToString(), // the sender of every anchor: check a proof's transaction against it
            chainId = options.Value.Anchoring.ChainId,
            batchMinutes = options.Value.Anchoring.BatchMinutes,
            lastError = anchoring.LastError,
            batches = batches.OrderByDescending(b => b.Id).Take(50).Select(b => new
            {
                id = b.Id,
                state = b.State.ToString().ToLowerInvariant(),
                leaves = b.LeafCount,
                root = Convert.ToHexStringLower(b.Root),
                tx = b.TransactionHash,
                block = b.BlockNumber,
                gasUsed = b.GasUsed,
            }),
        });
    }
}
