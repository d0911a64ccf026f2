using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// Wi-Fi devices over UDP: each datagram is one frame (docs/protocol.md §5, IP limit 1,232 bytes). A
/// device that sent something within <see cref="UdpOptions.NeighbourSeconds"/> is a direct neighbour and
/// receives, with hop limit 0, every entry the gateway newly stores from elsewhere, so downlink reaches
/// the gateway's neighbours and goes no further. When a device is heard for the first time, or again after
/// being away, it is first handed what <see cref="StoreAndForward"/> held for it.
/// </summary>
public sealed class UdpLink(IOptions<GatewayOptions> options, FrameIngest ingest, StoreAndForward held, GatewayCounters counters, NodeDirectory directory, ILogger<UdpLink> log) : BackgroundService
{
    private readonly ConcurrentDictionary<IPEndPoint, long> _neighbours = new();
    private readonly ConcurrentDictionary<IPEndPoint, uint> _nodes = new();
    private readonly Channel<IngestedEntry> _downlink = Channel.CreateBounded<IngestedEntry>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
    private UdpClient? _socket;

    /// <summary>The port actually bound (useful when configured as an ephemeral port).</summary>
    public int BoundPort { get; private set; }

    /// <summary>Devices currently counted as direct neighbours.</summary>
    public int NeighbourCount => _neighbours.Count(n => Environment.TickCount64 - n.Value < options.Value.Udp.NeighbourSeconds * 1000L);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        UdpOptions udp = options.Value.Udp;
        if (udp.Port == 0)
        {
            return;
        }

        _socket = new UdpClient(new IPEndPoint(IPAddress.Parse(udp.Bind), udp.Port));
        BoundPort = ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;
        log.LogInformation("UDP link listening on {Bind}:{Port}", udp.Bind, BoundPort);
        ingest.Stored += entry => _downlink.Writer.TryWrite(entry); // the sender itself is skipped below

        Task sender = SendLoop(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _socket.ReceiveAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e)
            {
                counters.Add("udp_errors");
                log.LogDebug("UDP receive: {Message}", e.Message);
                continue;
            }

            long now = Environment.TickCount64;
            bool away = !_neighbours.TryGetValue(datagram.RemoteEndPoint, out long lastHeard) || now - lastHeard > udp.NeighbourSeconds * 1000L;
            _neighbours[datagram.RemoteEndPoint] = now;
            if (datagram.Buffer.Length > FrameLimits.Ip)
            {
                counters.Add("dropped_oversized");
                continue;
            }

            _ = ReceiveAsync(datagram, away, stoppingToken);
        }

        _downlink.Writer.TryComplete();
        await sender.ConfigureAwait(false);
        _socket.Dispose();
    }

    /// <summary>Sends a frame to the device(s) known to be node <paramref name="node"/>, if heard recently.</summary>
    public async Task SendToNodeAsync(uint node, byte[] frame, CancellationToken ct = default)
    {
        long now = Environment.TickCount64;
        foreach (var (endpoint, id) in _nodes)
        {
            if (id == node && _neighbours.TryGetValue(endpoint, out long heard) && now - heard <= options.Value.Udp.NeighbourSeconds * 1000L && _socket is not null)
            {
                await _socket.SendAsync(frame, endpoint, ct).ConfigureAwait(false);
                counters.Add("frames_out_udp");
            }
        }
    }

    private async Task ReceiveAsync(UdpReceiveResult datagram, bool away, CancellationToken ct)
    {
        try
        {
            IngestOutcome outcome = await ingest.IngestAsync(datagram.Buffer, IngestSource.Udp, datagram.RemoteEndPoint.ToString(), ct).ConfigureAwait(false);
            if (outcome is not (IngestOutcome.Stored or IngestOutcome.Duplicate)
                || FrameCodec.TryDecode(datagram.Buffer, 0, datagram.Buffer.Length, FrameLimits.Ip, out Frame? frame) != ProtocolError.None
                || EntryCodec.TryDecode(frame!.Payload, 0, frame.Payload.Length, out Entry? entry) != ProtocolError.None)
            {
                return;
            }

            // The author of a verified entry from this address is the device there.
            bool known = _nodes.TryGetValue(datagram.RemoteEndPoint, out uint node) && node == entry!.Author;
            _nodes[datagram.RemoteEndPoint] = entry!.Author;
            if (frame.HopLimit == frame.HopStart)
            {
                directory.Heard(entry.Author, IngestSource.Udp, null, null);
            }

            if (known && !away)
            {
                return;
            }

            foreach (byte[] heldEntry in held.TakeHeld(entry.Author))
            {
                await SendAsync(heldEntry, datagram.RemoteEndPoint, ct).ConfigureAwait(false);
                counters.Add("frames_out_held");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(byte[] encodedEntry, IPEndPoint to, CancellationToken ct)
    {
        if (encodedEntry.Length + 4 > FrameLimits.Ip)
        {
            return; // large entries travel as fragments; not yet sent on downlink
        }

        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0, encodedEntry), FrameLimits.Ip);
        await _socket!.SendAsync(frame, to, ct).ConfigureAwait(false);
    }

    private async Task SendLoop(CancellationToken ct)
    {
        try
        {
            await foreach (IngestedEntry entry in _downlink.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                long now = Environment.TickCount64;
                foreach (var (endpoint, lastHeard) in _neighbours)
                {
                    if (now - lastHeard > options.Value.Udp.NeighbourSeconds * 1000L || endpoint.ToString() == entry.Origin)
                    {
                        continue;
                    }

                    await SendAsync(entry.Encoded, endpoint, ct).ConfigureAwait(false);
                    counters.Add("frames_out_udp");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
