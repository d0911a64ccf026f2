using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// Wi-Fi devices over UDP: each datagram is one frame (docs/protocol.md §5, IP limit 1,232 bytes). Being
/// heard proves nothing, since a source address can be spoofed and a genuine entry replayed, so a datagram
/// registers nothing by itself. Once the ingest has verified an entry from an address that is not a proven
/// neighbour, the address gets one 25-byte challenge (docs/protocol.md §5.4); a proof signed by a known
/// node's key makes it a proven neighbour for <see cref="UdpOptions.NeighbourSeconds"/>. Only proven
/// neighbours get downlink (new entries with hop limit 0, anchor notices), rate-limited per neighbour, and
/// what <see cref="StoreAndForward"/> holds for them, in rounds of at most 32 entries each followed by a
/// challenge whose proof is the receipt (<see cref="ProvenLinks{TKey}"/>, shared with the WebSocket link).
/// Heads and wants (docs/protocol.md §8) are answered from the store by <see cref="SyncResponder"/>, as on the
/// WebSocket link, but only to a proven address and paid from its downlink budget: a heads request from an
/// unproven address gets a challenge (for the node its query names) no larger than the request, and its answer
/// waits for the proof; a want from an unproven address gets nothing (udp_sync_refused_unproven); an answer
/// the budget cannot pay stops at the first entry that does not fit (udp_sync_answers_cut), and the asker asks
/// again with its next heads. No datagram makes the gateway send an unproven address more than it sent.
/// </summary>
public sealed class UdpLink : BackgroundService
{
    /// <summary>Challenges to unproven addresses of one IP address outstanding at most; a new one evicts that address's oldest.</summary>
    public const int MaxChallengesPerAddress = 8;

    /// <summary>Addresses (ports) proven for one node at most; a new proof drops the oldest, so one key cannot hold every neighbour slot.</summary>
    public const int MaxEndpointsPerNode = 2;

    /// <summary>
    /// Proven neighbours one source host (an IPv4 address, or an IPv6 /64, as <see cref="LinkBudgets.HostOf"/>) may hold
    /// at once; a proof from a host at the cap drops that host's least recently proven address. Anyone can make keys,
    /// so without it one host with 128 made-up identities proven from two ports each filled <c>Udp:MaxNeighbours</c>
    /// and every new proof of theirs evicted a real device, which then got no downlink until it proved again.
    /// </summary>
    public const int MaxNeighboursPerAddress = 8;

    /// <summary>
    /// Challenges larger than the heads query that asked for them, per source IP address at most, refilled one per
    /// <see cref="UdpOptions.ChallengeSeconds"/>: a restoring device's query (about 20 bytes) is smaller than a
    /// challenge (25), so a spoofed source can make the gateway send a victim at most this many 25-byte frames in a
    /// burst, and one per challenge lifetime after (udp_challenges_rate_limited beyond).
    /// </summary>
    public const int QueryChallengesPerAddress = 2;

    /// <summary>Datagrams being handled at once at most; more are dropped (udp_dropped_busy), so a flood cannot pile up tasks and buffers.</summary>
    public const int MaxReceivesInFlight = 256;

    private readonly IOptions<GatewayOptions> _options;
    private readonly FrameIngest _ingest;
    private readonly GatewayCounters _counters;
    private readonly NodeDirectory _directory;
    private readonly ILogger<UdpLink> _log;
    private readonly ProvenLinks<IPEndPoint> _links;
    private readonly SyncResponder _sync;
    private readonly object _syncGate = new();
    private readonly Dictionary<IPEndPoint, PendingHeads> _pendingHeads = [];
    private readonly Dictionary<IPEndPoint, int> _headsOffsets = [];
    private readonly Dictionary<IPAddress, TokenBucket> _queryChallenges = [];
    private readonly Channel<IngestedEntry> _downlink = Channel.CreateBounded<IngestedEntry>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly SemaphoreSlim _inFlight = new(MaxReceivesInFlight, MaxReceivesInFlight);
    private UdpClient? _socket;

    /// <summary>Creates the link; it binds when started.</summary>
    public UdpLink(IOptions<GatewayOptions> options, FrameIngest ingest, StoreAndForward held, GatewayCounters counters, NodeDirectory directory, NodeIdentity identity, SyncResponder sync, ILogger<UdpLink> log)
    {
        _sync = sync;
        _options = options;
        _ingest = ingest;
        _counters = counters;
        _directory = directory;
        _log = log;
        UdpOptions udp = options.Value.Udp;
        _links = new ProvenLinks<IPEndPoint>(
            "udp",
            identity,
            held,
            counters,
            new ProvenLinkLimits(udp.ChallengeSeconds * 1000, udp.NeighbourSeconds * 1000L, udp.DownlinkBytesPerSecond, udp.DownlinkBurstBytes),
            (to, frame, ct) => SendRawAsync(frame, to, ct));
    }

    /// <summary>The port actually bound once started (the system's pick with <see cref="UdpOptions.AnyPort"/>); 0 while the link is off.</summary>
    public int BoundPort { get; private set; }

    /// <summary>Devices currently counted as direct (proven) neighbours.</summary>
    public int NeighbourCount => _links.ProvenCount;

    /// <summary>Challenges to unproven addresses now outstanding (expired ones count until the sweep forgets them).</summary>
    public int OutstandingChallenges => _links.OutstandingUnproven;

    /// <summary>Datagrams taken and still being handled; none once a stop has returned.</summary>
    public int ReceivesInFlight => MaxReceivesInFlight - _inFlight.CurrentCount;

    private UdpOptions Udp => _options.Value.Udp;

    /// <summary>True if the device at <paramref name="endpoint"/> has proved it holds <paramref name="node"/>'s key and is still a neighbour.</summary>
    public bool IsProven(IPEndPoint endpoint, uint node) => _links.IsProven(endpoint, node);

    /// <summary>
    /// Binds the socket before the host goes on, so <see cref="BoundPort"/> is set when the host's start returns and
    /// a port that cannot be bound (taken, not permitted) fails the start with its cause. Bound in the background,
    /// the failure would only show as a link that never listens.
    /// </summary>
    /// <exception cref="IOException">The configured address and port cannot be bound (as Kestrel reports a taken HTTP port); the inner exception says why.</exception>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Udp.Port != 0 || Udp.AnyPort)
        {
            int port = Udp.AnyPort ? 0 : Udp.Port;
            try
            {
                _socket = new UdpClient(new IPEndPoint(IPAddress.Parse(Udp.Bind), port));
            }
            catch (SocketException e)
            {
                throw new IOException($"the UDP link cannot listen on {Udp.Bind}:{port}: {e.SocketErrorCode} ({e.Message})", e);
            }

            BoundPort = ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;
            _log.LogInformation("UDP link listening on {Bind}:{Port}", Udp.Bind, BoundPort);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_socket is null)
        {
            return; // Udp:Port 0 without Udp:AnyPort: the link is off
        }

        _ingest.Stored += entry => _downlink.Writer.TryWrite(entry); // the sender itself is skipped below

        Task sender = SendLoop(stoppingToken);
        Task sweeper = _links.SweepEverySecondAsync(stoppingToken);
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
                _counters.Add("udp_errors");
                _log.LogDebug("UDP receive: {Message}", e.Message);
                continue;
            }

            _counters.Add("udp_bytes_in", datagram.Buffer.Length);
            if (datagram.Buffer.Length > FrameLimits.Ip)
            {
                _counters.Add("dropped_oversized");
                continue;
            }

            if (!_inFlight.Wait(0))
            {
                _counters.Add("udp_dropped_busy");
                continue;
            }

            // Proofs answer this link's challenges; they are not stored, and are checked only against an outstanding nonce.
            _ = HandleAsync(datagram, stoppingToken);
        }

        try
        {
            _downlink.Writer.TryComplete();
            await Task.WhenAll(sender, sweeper).ConfigureAwait(false);
        }
        finally
        {
            // Handlers already started still write to the store (a hand-over confirms what it delivered): a stop
            // returns only once every one has ended, so nothing touches the database after the host says stopped,
            // even when the sender or the sweep failed.
            for (int slot = 0; slot < MaxReceivesInFlight; slot++)
            {
                await _inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            _inFlight.Release(MaxReceivesInFlight);
            _socket.Dispose();
        }
    }

    /// <summary>Sends a frame to the proven neighbour(s) that are node <paramref name="node"/>, within their downlink budget.</summary>
    public Task SendToNodeAsync(uint node, byte[] frame, CancellationToken ct = default) => _links.SendToNodeAsync(node, frame, ct);

    private async Task HandleAsync(UdpReceiveResult datagram, CancellationToken ct)
    {
        try
        {
            await (FrameCodec.TryPeek(datagram.Buffer, 0, datagram.Buffer.Length, out FrameType type, out _) == ProtocolError.None && type == FrameType.Proof
                ? TakeProofAsync(datagram, ct)
                : ReceiveAsync(datagram, ct)).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task ReceiveAsync(UdpReceiveResult datagram, CancellationToken ct)
    {
        try
        {
            IngestOutcome outcome = await _ingest.IngestAsync(datagram.Buffer, IngestSource.Udp, datagram.RemoteEndPoint.ToString(), ct).ConfigureAwait(false);
            if (outcome is not (IngestOutcome.RateLimited or IngestOutcome.Malformed)
                && FrameCodec.TryDecode(datagram.Buffer, 0, datagram.Buffer.Length, FrameLimits.Ip, out Frame? sync) == ProtocolError.None
                && sync!.Type is FrameType.Heads or FrameType.Want)
            {
                await TakeSyncAsync(datagram, sync, ct).ConfigureAwait(false);
                return;
            }

            if (outcome is not (IngestOutcome.Stored or IngestOutcome.Duplicate)
                || FrameCodec.TryDecode(datagram.Buffer, 0, datagram.Buffer.Length, FrameLimits.Ip, out Frame? frame) != ProtocolError.None
                || EntryCodec.TryDecode(frame!.Payload, 0, frame.Payload.Length, out Entry? entry) != ProtocolError.None)
            {
                return;
            }

            if (frame.HopLimit == frame.HopStart)
            {
                _directory.Heard(entry!.Author, IngestSource.Udp, null, null);
            }

            IPEndPoint from = datagram.RemoteEndPoint;

            // Spoofed datagrams must not lock new devices out: a full table (or a full share of one IP address)
            // evicts its oldest challenge rather than refusing the new one.
            byte[]? challenge = _links.ChallengeIfUnproven(from, () =>
            {
                _counters.Add("udp_challenges_evicted", _links.EvictOldestChallenges(k => k.Address.Equals(from.Address), MaxChallengesPerAddress - 1));
                _counters.Add("udp_challenges_evicted", _links.EvictOldestChallenges(_ => true, Udp.MaxOutstandingChallenges - 1));
            }, out uint? provenNode);

            // Never more bytes to an unproven address than it sent: a challenge is 25 bytes, a verified entry far more.
            if (challenge is not null && challenge.Length <= datagram.Buffer.Length)
            {
                await SendRawAsync(challenge, from, ct).ConfigureAwait(false);
                _counters.Add("udp_challenges_sent");
            }
            else if (provenNode is uint node)
            {
                await _links.HandOverAsync(from, node, ct).ConfigureAwait(false); // already proven: resume its hand-over if one is not running
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A proof for this address's outstanding challenge; one key holds at most <see cref="MaxEndpointsPerNode"/> addresses and the table <see cref="UdpOptions.MaxNeighbours"/>.</summary>
    private async Task TakeProofAsync(UdpReceiveResult datagram, CancellationToken ct)
    {
        IPEndPoint from = datagram.RemoteEndPoint;
        if (await ProveAsync(datagram, ct).ConfigureAwait(false) is uint node)
        {
            _directory.Heard(node, IngestSource.Udp, null, null);
            PendingHeads? waiting;
            lock (_syncGate)
            {
                _pendingHeads.Remove(from, out waiting);
            }

            if (waiting is not null)
            {
                await AnswerHeadsAsync(from, waiting.Heads, ct).ConfigureAwait(false);
            }
        }
    }

    private Task<uint?> ProveAsync(UdpReceiveResult datagram, CancellationToken ct)
    {
        IPEndPoint from = datagram.RemoteEndPoint;
        return _links.TakeProofAsync(from, datagram.Buffer, (node, already) =>
        {
            // One key proven from many ports must not hold every slot: its least recently proven addresses go first.
            _counters.Add("udp_neighbours_evicted", _links.EvictLeastRecentlyProven((address, proven) => proven == node && !address.Equals(from), MaxEndpointsPerNode - 1));
            if (!already)
            {
                string host = LinkBudgets.HostOf(from.ToString());
                _counters.Add("udp_neighbours_evicted", _links.EvictLeastRecentlyProven((address, _) => !address.Equals(from) && LinkBudgets.HostOf(address.ToString()) == host, MaxNeighboursPerAddress - 1));
                _counters.Add("udp_neighbours_evicted", _links.EvictLeastRecentlyProven((_, _) => true, Udp.MaxNeighbours - 1));
            }
        }, ct);
    }

    /// <summary>
    /// A heads or want frame (docs/protocol.md §8). A proven address is answered from the store within its
    /// downlink budget. An unproven one may be a spoofed source: a heads request is kept (one per address, at most
    /// <see cref="UdpOptions.MaxOutstandingChallenges"/>) and answered after the proof of a challenge that is never
    /// larger than the request; a want is refused. Every refusal is counted.
    /// </summary>
    private async Task TakeSyncAsync(UdpReceiveResult datagram, Frame frame, CancellationToken ct)
    {
        IPEndPoint from = datagram.RemoteEndPoint;
        HeadsMessage? heads = null;
        WantMessage? want = null;
        if (frame.HopStart != 0
            || (frame.Type == FrameType.Heads ? HeadsMessage.TryDecode(frame.Payload, out heads) : WantMessage.TryDecode(frame.Payload, out want)) != ProtocolError.None)
        {
            _counters.Add("udp_sync_malformed"); // relayed wants belong to the radio; over IP every want is one hop
            return;
        }

        if (_links.ProvenNodeOf(from) is uint)
        {
            if (heads is not null)
            {
                await AnswerHeadsAsync(from, heads, ct).ConfigureAwait(false);
            }
            else
            {
                await AnswerWantAsync(from, want!, frame.NextHop, frame.Relay, ct).ConfigureAwait(false);
            }

            return;
        }

        if (heads is null || !heads.RequestReply)
        {
            _counters.Add("udp_sync_refused_unproven");
            return;
        }

        // The query names the node that asks about its own chain (a restoring device has no entry to send, so its
        // heads query is what gets it challenged); only that node's proof then answers the challenge.
        uint? named = heads.Query && heads.Heads.Length > 0 ? heads.Heads[0].Author : null;
        byte[]? challenge = _links.ChallengeIfUnproven(from, () =>
        {
            _counters.Add("udp_challenges_evicted", _links.EvictOldestChallenges(k => k.Address.Equals(from.Address), MaxChallengesPerAddress - 1));
            _counters.Add("udp_challenges_evicted", _links.EvictOldestChallenges(_ => true, Udp.MaxOutstandingChallenges - 1));
        }, out uint? provenNode, named);
        if (provenNode is not null)
        {
            await AnswerHeadsAsync(from, heads, ct).ConfigureAwait(false); // proven meanwhile
            return;
        }

        lock (_syncGate)
        {
            long now = Environment.TickCount64;
            if (!_pendingHeads.ContainsKey(from) && _pendingHeads.Count >= Udp.MaxOutstandingChallenges)
            {
                // Full: expired requests go first, then the oldest, so spoofed requests never lock a device out.
                foreach (IPEndPoint gone in _pendingHeads.Where(p => now - p.Value.At > Udp.ChallengeSeconds * 1000L).Select(p => p.Key).ToList())
                {
                    _pendingHeads.Remove(gone);
                }

                if (_pendingHeads.Count >= Udp.MaxOutstandingChallenges)
                {
                    _pendingHeads.Remove(_pendingHeads.MinBy(p => p.Value.At).Key);
                    _counters.Add("udp_sync_heads_evicted");
                }
            }

            _pendingHeads[from] = new PendingHeads(heads, now);
        }

        _counters.Add("udp_sync_heads_deferred");
        if (challenge is not null && (challenge.Length <= datagram.Buffer.Length || MayChallengeLarger(from.Address)))
        {
            await SendRawAsync(challenge, from, ct).ConfigureAwait(false);
            _counters.Add("udp_challenges_sent");
        }
        else if (challenge is not null)
        {
            _counters.Add("udp_challenges_rate_limited"); // a smaller request, and its address's allowance is spent: nothing is sent
        }
    }

    /// <summary>Takes one of <paramref name="address"/>'s <see cref="QueryChallengesPerAddress"/> challenges larger than their query; the table is capped like the challenges.</summary>
    private bool MayChallengeLarger(IPAddress address)
    {
        long now = Environment.TickCount64;
        lock (_syncGate)
        {
            if (!_queryChallenges.TryGetValue(address, out TokenBucket? bucket))
            {
                if (_queryChallenges.Count >= Udp.MaxOutstandingChallenges)
                {
                    _queryChallenges.Clear(); // a flood of spoofed addresses: start over rather than grow (each still gets at most the burst)
                }

                bucket = new TokenBucket(QueryChallengesPerAddress * 1000, now);
                _queryChallenges[address] = bucket;
            }

            // Tokens are counted in thousandths so the bucket's whole-number rate can refill one per ChallengeSeconds.
            return bucket.TryTake(1000, now, 1000 / Math.Max(1, Udp.ChallengeSeconds), QueryChallengesPerAddress * 1000);
        }
    }

    private async Task AnswerHeadsAsync(IPEndPoint to, HeadsMessage heads, CancellationToken ct)
    {
        byte[]? reply;
        lock (_syncGate)
        {
            if (!_headsOffsets.TryGetValue(to, out int offset) && _headsOffsets.Count >= Udp.MaxNeighbours * MaxEndpointsPerNode)
            {
                _headsOffsets.Clear(); // rotation restarts; it only spreads which chains are advertised first
            }

            reply = _sync.AnswerHeads(heads, _links.ProvenNodeOf(to), ref offset);
            _headsOffsets[to] = offset;
        }

        if (reply is null)
        {
            return;
        }

        if (!_links.TryTakeDownlink(to, reply.Length))
        {
            _counters.Add("udp_sync_answers_cut");
            return;
        }

        await SendRawAsync(reply, to, ct).ConfigureAwait(false);
        _counters.Add("udp_sync_frames_sent");
    }

    /// <summary>
    /// The want's entries, each paid from the address's downlink budget: a want of a few bytes can ask for 64
    /// entries (tens of kilobytes), so the answer stops at the first entry the bucket cannot pay, counted as
    /// udp_sync_answers_cut; the asker's next heads exchange asks for the rest.
    /// </summary>
    private async Task AnswerWantAsync(IPEndPoint to, WantMessage want, byte nextHop, byte asker, CancellationToken ct)
    {
        foreach (byte[][] entry in _sync.AnswerWant(want, nextHop, asker))
        {
            if (!_links.TryTakeDownlink(to, entry.Sum(f => f.Length)))
            {
                _counters.Add("udp_sync_answers_cut");
                return;
            }

            foreach (byte[] f in entry)
            {
                await SendRawAsync(f, to, ct).ConfigureAwait(false);
            }

            _counters.Add("udp_sync_frames_sent", entry.Length);
        }
    }

    private async Task SendRawAsync(byte[] frame, IPEndPoint to, CancellationToken ct)
    {
        try
        {
            await _socket!.SendAsync(frame, to, ct).ConfigureAwait(false);
            _counters.Add("udp_bytes_out", frame.Length);
        }
        catch (SocketException e)
        {
            _counters.Add("udp_errors");
            _log.LogDebug("UDP send to {To}: {Message}", to, e.Message);
        }
    }

    private async Task SendLoop(CancellationToken ct)
    {
        try
        {
            await foreach (IngestedEntry entry in _downlink.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await _links.ForwardAsync(entry, endpoint => entry.Source == IngestSource.Udp && endpoint.ToString() == entry.Origin, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A heads request from an address not yet proven, answered once its proof arrives.</summary>
    private sealed record PendingHeads(HeadsMessage Heads, long At);
}
