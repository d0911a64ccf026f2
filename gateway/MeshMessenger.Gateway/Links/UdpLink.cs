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
    /// <summary>Challenges outstanding at once at most (one per address); more addresses get none until some expire.</summary>
    public const int MaxOutstandingChallenges = 1024;

    private readonly object _gate = new();
    private readonly Dictionary<IPEndPoint, Outstanding> _challenges = [];
    private readonly Dictionary<IPEndPoint, Neighbour> _neighbours = [];
    private readonly Channel<IngestedEntry> _downlink = Channel.CreateBounded<IngestedEntry>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Protocol.Platform.ISignatureVerifier _verifier = new NSecVerifier();
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

            // Proofs answer this link's challenges; they are not stored, and are checked only against an outstanding nonce.
            _ = datagram.Buffer.Length > FrameLimits.HeaderSize && (datagram.Buffer[0] & 0x1F) == (int)FrameType.Proof
                ? TakeProofAsync(datagram, stoppingToken)
                : ReceiveAsync(datagram, stoppingToken);
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
                    if (_challenges.Count >= MaxOutstandingChallenges)
                    {
                        counters.Add("udp_challenges_refused");
                    }
                    else
                    {
                        challenge = NewChallenge(from, null, [], now);
                    }
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

                    if (_neighbours.Count >= Udp.MaxNeighbours)
                    {
                        counters.Add("udp_neighbours_full");
                        return;
                    }

                    _neighbours[from] = new Neighbour(proof.Node, now, Udp.DownlinkBurstBytes);
                }
            }

            counters.Add("udp_proofs_accepted");
            if (answered.Items.Length > 0)
            {
                List<HeldEntry> confirmed = [.. answered.Items.Where((_, i) => proof.Holds(i))];
                held.Confirm(proof.Node, confirmed);
                counters.Add("held_confirmed", confirmed.Count);
                if (confirmed.Count == 0)
                {
                    // The device holds none of what was sent (it may lack the authors' keys): stop until it is heard again.
                    counters.Add("held_rounds_without_progress");
                    return;
                }
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
