using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
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
/// challenge whose proof is the receipt.
/// </summary>
public sealed class UdpLink(IOptions<GatewayOptions> options, FrameIngest ingest, StoreAndForward held, GatewayCounters counters, NodeDirectory directory, NodeIdentity identity, ILogger<UdpLink> log) : BackgroundService
{
    /// <summary>Challenges to unproven addresses of one IP address outstanding at most; a new one evicts that address's oldest.</summary>
    public const int MaxChallengesPerAddress = 8;

    /// <summary>Addresses (ports) proven for one node at most; a new proof drops the oldest, so one key cannot hold every neighbour slot.</summary>
    public const int MaxEndpointsPerNode = 2;

    /// <summary>Datagrams being handled at once at most; more are dropped (udp_dropped_busy), so a flood cannot pile up tasks and buffers.</summary>
    public const int MaxReceivesInFlight = 256;

    private readonly object _gate = new();
    private readonly Dictionary<IPEndPoint, Outstanding> _challenges = [];
    private readonly Dictionary<IPEndPoint, Neighbour> _neighbours = [];
    private readonly Channel<IngestedEntry> _downlink = Channel.CreateBounded<IngestedEntry>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Protocol.Platform.ISignatureVerifier _verifier = new NSecVerifier();
    private readonly SemaphoreSlim _inFlight = new(MaxReceivesInFlight, MaxReceivesInFlight);
    private UdpClient? _socket;

    /// <summary>The port actually bound (useful when configured as an ephemeral port).</summary>
    public int BoundPort { get; private set; }

    /// <summary>Devices currently counted as direct (proven) neighbours.</summary>
    public int NeighbourCount
    {
        get
        {
            long now = Environment.TickCount64;
            lock (_gate)
            {
                return _neighbours.Values.Count(n => n.Live(now, NeighbourMilliseconds));
            }
        }
    }

    private UdpOptions Udp => options.Value.Udp;

    private long NeighbourMilliseconds => Udp.NeighbourSeconds * 1000L;

    /// <summary>Challenges to unproven addresses now outstanding (expired ones count until the sweep forgets them).</summary>
    public int OutstandingChallenges
    {
        get
        {
            lock (_gate)
            {
                return _challenges.Values.Count(c => c.Node is null);
            }
        }
    }

    /// <summary>True if the device at <paramref name="endpoint"/> has proved it holds <paramref name="node"/>'s key and is still a neighbour.</summary>
    public bool IsProven(IPEndPoint endpoint, uint node)
    {
        lock (_gate)
        {
            return _neighbours.TryGetValue(endpoint, out Neighbour? n) && n.Node == node && n.Live(Environment.TickCount64, NeighbourMilliseconds);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Udp.Port == 0)
        {
            return;
        }

        _socket = new UdpClient(new IPEndPoint(IPAddress.Parse(Udp.Bind), Udp.Port));
        BoundPort = ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;
        log.LogInformation("UDP link listening on {Bind}:{Port}", Udp.Bind, BoundPort);
        ingest.Stored += entry => _downlink.Writer.TryWrite(entry); // the sender itself is skipped below

        Task sender = SendLoop(stoppingToken);
        Task sweeper = SweepLoop(stoppingToken);
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

            counters.Add("udp_bytes_in", datagram.Buffer.Length);
            if (datagram.Buffer.Length > FrameLimits.Ip)
            {
                counters.Add("dropped_oversized");
                continue;
            }

            if (!_inFlight.Wait(0))
            {
                counters.Add("udp_dropped_busy");
                continue;
            }

            // Proofs answer this link's challenges; they are not stored, and are checked only against an outstanding nonce.
            _ = HandleAsync(datagram, stoppingToken);
        }

        _downlink.Writer.TryComplete();
        await Task.WhenAll(sender, sweeper).ConfigureAwait(false);
        _socket.Dispose();
    }

    /// <summary>Sends a frame to the proven neighbour(s) that are node <paramref name="node"/>, within their downlink budget.</summary>
    public async Task SendToNodeAsync(uint node, byte[] frame, CancellationToken ct = default)
    {
        foreach (IPEndPoint endpoint in ProvenEndpoints(n => n.Node == node))
        {
            if (TakeBudget(endpoint, frame.Length))
            {
                await SendRawAsync(frame, endpoint, ct).ConfigureAwait(false);
                counters.Add("frames_out_udp");
            }
        }
    }

    private async Task HandleAsync(UdpReceiveResult datagram, CancellationToken ct)
    {
        try
        {
            await (datagram.Buffer.Length > FrameLimits.HeaderSize && (datagram.Buffer[0] & 0x1F) == (int)FrameType.Proof
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
            IngestOutcome outcome = await ingest.IngestAsync(datagram.Buffer, IngestSource.Udp, datagram.RemoteEndPoint.ToString(), ct).ConfigureAwait(false);
            if (outcome is not (IngestOutcome.Stored or IngestOutcome.Duplicate)
                || FrameCodec.TryDecode(datagram.Buffer, 0, datagram.Buffer.Length, FrameLimits.Ip, out Frame? frame) != ProtocolError.None
                || EntryCodec.TryDecode(frame!.Payload, 0, frame.Payload.Length, out Entry? entry) != ProtocolError.None)
            {
                return;
            }

            if (frame.HopLimit == frame.HopStart)
            {
                directory.Heard(entry!.Author, IngestSource.Udp, null, null);
            }

            IPEndPoint from = datagram.RemoteEndPoint;
            long now = Environment.TickCount64;
            byte[]? challenge = null;
            uint? provenNode = null;
            lock (_gate)
            {
                if (_neighbours.TryGetValue(from, out Neighbour? neighbour) && neighbour.Live(now, NeighbourMilliseconds))
                {
                    provenNode = neighbour.Node; // already proven: resume its hand-over if one is not running
                }
                else if (!_challenges.TryGetValue(from, out Outstanding? open) || open.Expired(now))
                {
                    // Spoofed datagrams must not lock new devices out: a full table (or a full share of one IP
                    // address) evicts its oldest challenge rather than refusing the new one.
                    _challenges.Remove(from);
                    counters.Add("udp_challenges_evicted", EvictOldestChallenge(c => c.Key.Address.Equals(from.Address), MaxChallengesPerAddress - 1));
                    counters.Add("udp_challenges_evicted", EvictOldestChallenge(_ => true, Udp.MaxOutstandingChallenges - 1));
                    challenge = NewChallenge(from, null, [], now);
                }
            }

            // Never more bytes to an unproven address than it sent: a challenge is 25 bytes, a verified entry far more.
            if (challenge is not null && challenge.Length <= datagram.Buffer.Length)
            {
                await SendRawAsync(challenge, from, ct).ConfigureAwait(false);
                counters.Add("udp_challenges_sent");
            }
            else if (provenNode is uint node)
            {
                await HandOverAsync(from, node, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A proof for this address's outstanding challenge: verified with the node's stored key, then the receipt is recorded and the next round sent.</summary>
    private async Task TakeProofAsync(UdpReceiveResult datagram, CancellationToken ct)
    {
        Neighbour? owned = null;
        try
        {
            IPEndPoint from = datagram.RemoteEndPoint;
            if (FrameCodec.TryDecode(datagram.Buffer, 0, datagram.Buffer.Length, FrameLimits.Ip, out Frame? frame) != ProtocolError.None
                || frame!.HopStart != 0
                || LinkProof.TryDecode(frame.Payload, 0, frame.Payload.Length, out LinkProof? proof) != ProtocolError.None)
            {
                counters.Add("udp_proofs_malformed");
                return;
            }

            long now = Environment.TickCount64;
            Outstanding? answered;
            lock (_gate)
            {
                // Nonces are single use: the first proof quoting one consumes it, valid or not.
                if (!_challenges.TryGetValue(from, out answered) || answered.Expired(now) || !answered.Nonce.AsSpan().SequenceEqual(proof!.Nonce))
                {
                    answered = null;
                }
                else
                {
                    _challenges.Remove(from);
                    if (_neighbours.TryGetValue(from, out Neighbour? busy))
                    {
                        // Until this receipt is recorded, a round started by other traffic would resend what it confirms.
                        busy.RoundBusy = true;
                        owned = busy;
                    }
                }
            }

            if (answered is null)
            {
                counters.Add("udp_proofs_unsolicited");
                return;
            }

            byte[]? key = held.SigningKeyOf(proof!.Node);
            if (key is null || (answered.Node is uint expected && expected != proof.Node) || !proof.Verify(_verifier, key, answered.Payload))
            {
                counters.Add("udp_proofs_refused");
                return;
            }

            lock (_gate)
            {
                // One key proven from many ports must not hold every slot: its least recently proven addresses go first.
                counters.Add("udp_neighbours_evicted", EvictLeastRecentlyProven(p => p.Value.Node == proof.Node && !p.Key.Equals(from), MaxEndpointsPerNode - 1));
                if (_neighbours.TryGetValue(from, out Neighbour? neighbour))
                {
                    neighbour.Node = proof.Node;
                    neighbour.ProvenAt = now;
                }
                else
                {
                    foreach (IPEndPoint gone in _neighbours.Where(p => !p.Value.Live(now, NeighbourMilliseconds)).Select(p => p.Key).ToList())
                    {
                        _neighbours.Remove(gone);
                    }

                    counters.Add("udp_neighbours_evicted", EvictLeastRecentlyProven(_ => true, Udp.MaxNeighbours - 1));
                    _neighbours[from] = new Neighbour(proof.Node, now, Udp.DownlinkBurstBytes);
                }
            }

            counters.Add("udp_proofs_accepted");
            if (answered.Items.Length > 0)
            {
                List<HeldEntry> confirmed = [.. answered.Items.Where((_, i) => proof.Holds(i))];
                held.Confirm(proof.Node, confirmed);
                counters.Add("held_confirmed", confirmed.Count);

                // What the device could not confirm (it may lack the author's key, or the entry is for another node
                // sharing the hint) is set aside after a few offers, so it never blocks newer entries.
                counters.Add("held_set_aside", held.Unconfirmed(proof.Node, answered.Items.Where((_, i) => !proof.Holds(i))));
            }

            await HandOverAsync(from, proof.Node, ct, ownsRound: owned is not null).ConfigureAwait(false);
            owned = null; // the round released it
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (owned is not null)
            {
                lock (_gate)
                {
                    owned.RoundBusy = false;
                }
            }
        }
    }

    /// <summary>
    /// One hand-over round: the oldest unconfirmed held entries (at most 32, within the downlink budget),
    /// then a challenge listing them. Only one round runs per address; the proof starts the next.
    /// </summary>
    /// <param name="to">The proven address.</param>
    /// <param name="node">The node proven there.</param>
    /// <param name="ct">Stops the sends.</param>
    /// <param name="ownsRound">The caller already marked the neighbour busy (a proof being recorded); the round takes that over.</param>
    private async Task HandOverAsync(IPEndPoint to, uint node, CancellationToken ct, bool ownsRound = false)
    {
        Neighbour? neighbour;
        lock (_gate)
        {
            long start = Environment.TickCount64;
            if (!_neighbours.TryGetValue(to, out neighbour) || neighbour.Node != node || !neighbour.Live(start, NeighbourMilliseconds)
                || (!ownsRound && (neighbour.RoundBusy || (_challenges.TryGetValue(to, out Outstanding? open) && !open.Expired(start)))))
            {
                if (ownsRound && neighbour is not null)
                {
                    neighbour.RoundBusy = false;
                }

                return; // not proven, or a round (or challenge) is already running for this address
            }

            neighbour.RoundBusy = true; // the batch below is read outside the lock
        }

        try
        {
            await SendRoundAsync(to, node, neighbour, ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                neighbour.RoundBusy = false; // from here an outstanding challenge, if any, holds the next round back
            }
        }
    }

    private async Task SendRoundAsync(IPEndPoint to, uint node, Neighbour neighbour, CancellationToken ct)
    {
        List<HeldEntry> batch = held.NextBatch(node, LinkChallenge.MaxItems);
        if (batch.Count == 0)
        {
            return;
        }

        long now = Environment.TickCount64;
        var sending = new List<(HeldEntry Entry, byte[][] Frames)>(batch.Count);
        byte[] challenge;
        lock (_gate)
        {

            foreach (HeldEntry entry in batch)
            {
                byte[][] frames = FramesOf(entry.Encoded);
                if (!neighbour.Budget.TryTake(frames.Sum(f => f.Length), now, Udp.DownlinkBytesPerSecond, Udp.DownlinkBurstBytes))
                {
                    neighbour.Deferred = true; // the sweep resumes once the budget refills
                    counters.Add("held_deferred");
                    break;
                }

                sending.Add((entry, frames));
            }

            if (sending.Count == 0)
            {
                return;
            }

            neighbour.Deferred = sending.Count < batch.Count;
            challenge = NewChallenge(to, node, [.. sending.Select(s => s.Entry)], now);
        }

        foreach (var (_, frames) in sending)
        {
            foreach (byte[] frame in frames)
            {
                await SendRawAsync(frame, to, ct).ConfigureAwait(false);
            }

            counters.Add("frames_out_held");
        }

        await SendRawAsync(challenge, to, ct).ConfigureAwait(false);
        counters.Add("udp_challenges_sent");
    }

    /// <summary>Removes the oldest challenges to unproven addresses matching <paramref name="which"/> until at most <paramref name="keep"/> remain; returns how many went. Call under the lock.</summary>
    private int EvictOldestChallenge(Func<KeyValuePair<IPEndPoint, Outstanding>, bool> which, int keep)
    {
        List<KeyValuePair<IPEndPoint, Outstanding>> open = [.. _challenges.Where(c => c.Value.Node is null && which(c))];
        int evict = open.Count - Math.Max(0, keep);
        foreach (var gone in open.OrderBy(c => c.Value.ExpiresAt).Take(Math.Max(0, evict)))
        {
            _challenges.Remove(gone.Key);
        }

        return Math.Max(0, evict);
    }

    /// <summary>Removes the least recently proven neighbours matching <paramref name="which"/> until at most <paramref name="keep"/> remain; returns how many went. Call under the lock.</summary>
    private int EvictLeastRecentlyProven(Func<KeyValuePair<IPEndPoint, Neighbour>, bool> which, int keep)
    {
        List<KeyValuePair<IPEndPoint, Neighbour>> proven = [.. _neighbours.Where(which)];
        int evict = proven.Count - Math.Max(0, keep);
        foreach (var gone in proven.OrderBy(p => p.Value.ProvenAt).Take(Math.Max(0, evict)))
        {
            _neighbours.Remove(gone.Key);
        }

        return Math.Max(0, evict);
    }

    /// <summary>Registers a challenge for <paramref name="to"/> (replacing an expired one) and returns its frame. Call under the lock.</summary>
    private byte[] NewChallenge(IPEndPoint to, uint? node, HeldEntry[] items, long now)
    {
        var challenge = new LinkChallenge(identity.Id, RandomNumberGenerator.GetBytes(LinkChallenge.NonceSize), [.. items.Select(i => i.Author)], [.. items.Select(i => i.Sequence)]);
        byte[] payload = challenge.Encode();
        _challenges[to] = new Outstanding(node, challenge.Nonce, payload, items, now + (Udp.ChallengeSeconds * 1000L));
        return FrameCodec.Encode(new Frame(FrameType.Challenge, 0, 0, false, 0, NodeId.HintOf(identity.Id), payload), FrameLimits.Ip);
    }

    private byte[][] FramesOf(byte[] encodedEntry) =>
        [.. Fragmenter.Split(encodedEntry, FrameLimits.Ip, 0, false, NodeId.HintOf(identity.Id)).Select(f => FrameCodec.Encode(f, FrameLimits.Ip))];

    private List<IPEndPoint> ProvenEndpoints(Func<Neighbour, bool> which)
    {
        long now = Environment.TickCount64;
        lock (_gate)
        {
            return [.. _neighbours.Where(p => p.Value.Live(now, NeighbourMilliseconds) && which(p.Value)).Select(p => p.Key)];
        }
    }

    private bool TakeBudget(IPEndPoint to, int bytes)
    {
        lock (_gate)
        {
            if (_neighbours.TryGetValue(to, out Neighbour? n) && n.Budget.TryTake(bytes, Environment.TickCount64, Udp.DownlinkBytesPerSecond, Udp.DownlinkBurstBytes))
            {
                return true;
            }
        }

        counters.Add("udp_downlink_dropped");
        return false;
    }

    private async Task SendRawAsync(byte[] frame, IPEndPoint to, CancellationToken ct)
    {
        try
        {
            await _socket!.SendAsync(frame, to, ct).ConfigureAwait(false);
            counters.Add("udp_bytes_out", frame.Length);
        }
        catch (SocketException e)
        {
            counters.Add("udp_errors");
            log.LogDebug("UDP send to {To}: {Message}", to, e.Message);
        }
    }

    private async Task SendLoop(CancellationToken ct)
    {
        try
        {
            await foreach (IngestedEntry entry in _downlink.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                byte[][]? frames = null;
                List<(IPEndPoint Endpoint, uint Node)> targets;
                long now = Environment.TickCount64;
                lock (_gate)
                {
                    targets = [.. _neighbours.Where(p => p.Value.Live(now, NeighbourMilliseconds)).Select(p => (p.Key, p.Value.Node))];
                }

                foreach (var (endpoint, node) in targets)
                {
                    if (endpoint.ToString() == entry.Origin)
                    {
                        continue;
                    }

                    if (entry.Hint == NodeId.HintOf(node) && entry.Author != node)
                    {
                        // Held for this neighbour: it goes in a hand-over round, so its receipt is recorded.
                        await HandOverAsync(endpoint, node, ct).ConfigureAwait(false);
                        continue;
                    }

                    frames ??= FramesOf(entry.Encoded);
                    if (TakeBudget(endpoint, frames.Sum(f => f.Length)))
                    {
                        foreach (byte[] frame in frames)
                        {
                            await SendRawAsync(frame, endpoint, ct).ConfigureAwait(false);
                        }

                        counters.Add("frames_out_udp");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Once a second: forgets expired challenges and neighbours, and resumes hand-overs the budget deferred.</summary>
    private async Task SweepLoop(CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                long now = Environment.TickCount64;
                List<(IPEndPoint Endpoint, uint Node)> resume;
                lock (_gate)
                {
                    foreach (IPEndPoint gone in _challenges.Where(p => p.Value.Expired(now)).Select(p => p.Key).ToList())
                    {
                        _challenges.Remove(gone);
                    }

                    foreach (IPEndPoint gone in _neighbours.Where(p => !p.Value.Live(now, NeighbourMilliseconds)).Select(p => p.Key).ToList())
                    {
                        _neighbours.Remove(gone);
                    }

                    resume = [.. _neighbours.Where(p => p.Value.Deferred && !_challenges.ContainsKey(p.Key)).Select(p => (p.Key, p.Value.Node))];
                }

                foreach (var (endpoint, node) in resume)
                {
                    await HandOverAsync(endpoint, node, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A challenge waiting for its proof: for a hand-over round, the node it was for and the entries it lists.</summary>
    private sealed record Outstanding(uint? Node, byte[] Nonce, byte[] Payload, HeldEntry[] Items, long ExpiresAt)
    {
        public bool Expired(long now) => now > ExpiresAt;
    }

    /// <summary>An address that proved a node's key, with its downlink budget.</summary>
    private sealed class Neighbour(uint node, long provenAt, int burst)
    {
        public uint Node { get; set; } = node;

        public long ProvenAt { get; set; } = provenAt;

        public bool Deferred { get; set; }

        /// <summary>A round is being prepared or its receipt recorded: no second round may pick the same entries meanwhile.</summary>
        public bool RoundBusy { get; set; }

        public TokenBucket Budget { get; } = new(burst, provenAt);

        public bool Live(long now, long neighbourMilliseconds) => now - ProvenAt <= neighbourMilliseconds;
    }

    /// <summary>Bytes a neighbour may be sent: refills at a steady rate up to a burst (the classic token bucket).</summary>
    private sealed class TokenBucket(int tokens, long now)
    {
        private double _tokens = tokens;
        private long _refilledAt = now;

        public bool TryTake(int bytes, long now, int perSecond, int burst)
        {
            _tokens = Math.Min(burst, _tokens + ((now - _refilledAt) * perSecond / 1000.0));
            _refilledAt = now;
            if (_tokens < bytes)
            {
                return false;
            }

            _tokens -= bytes;
            return true;
        }
    }
}
