using System.Net.WebSockets;
using System.Threading.Channels;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// Browser nodes over a WebSocket (<c>GET /api/link</c>, RFC 6455): each binary message is one frame exactly as a
/// UDP datagram carries it (docs/protocol.md §5). Every frame but a proof goes through the ingest, charged to the
/// client's address (<see cref="LinkBudgets"/>). A new socket is sent a challenge at once (docs/protocol.md §5.4),
/// and another after a verified entry while none is outstanding; a proof signed with the node's stored key binds
/// the socket to that node for as long as it stays open (<see cref="ProvenLinks{TKey}"/>, as on UDP). Only a
/// proven socket gets anything but challenges: every newly stored entry but its own, anchor notices for its node,
/// hand-over rounds of what <see cref="StoreAndForward"/> holds for it (the proof is the receipt), and answers to
/// its heads and wants from the store (<see cref="SyncResponder"/>). A heads request heard before the proof waits
/// for it (the last one only). Connections are capped per client address and in total.
/// </summary>
public sealed class WebSocketLink : BackgroundService
{
    private readonly WebSocketLinkOptions _options;
    private readonly FrameIngest _ingest;
    private readonly GatewayCounters _counters;
    private readonly NodeDirectory _directory;
    private readonly SyncResponder _sync;
    private readonly ProvenLinks<WebSocketSession> _links;
    private readonly Channel<IngestedEntry> _downlink = Channel.CreateBounded<IngestedEntry>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly CancellationToken _stopping;
    private int _open;

    /// <summary>Creates the link; sockets arrive through <see cref="RunAsync"/>.</summary>
    public WebSocketLink(IOptions<GatewayOptions> options, FrameIngest ingest, StoreAndForward held, GatewayCounters counters, NodeDirectory directory, NodeIdentity identity, SyncResponder sync, IHostApplicationLifetime lifetime)
    {
        _options = options.Value.WebSocket;
        _ingest = ingest;
        _counters = counters;
        _directory = directory;
        _sync = sync;
        _stopping = lifetime.ApplicationStopping; // before Kestrel waits for requests to end, so open sockets do not hold the shutdown
        _links = new ProvenLinks<WebSocketSession>(
            "ws",
            identity,
            held,
            counters,
            new ProvenLinkLimits(_options.ChallengeSeconds * 1000, long.MaxValue, _options.DownlinkBytesPerSecond, _options.DownlinkBurstBytes),
            (session, frame, _) =>
            {
                session.TryEnqueue(frame);
                return Task.CompletedTask;
            });
        ingest.Stored += entry => _downlink.Writer.TryWrite(entry);
    }

    /// <summary>Sockets open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Sockets proven now.</summary>
    public int ProvenConnections => _links.ProvenCount;

    /// <summary>
    /// Reserves a connection slot for a client at <paramref name="origin"/> ("ip:port"): null, with the status
    /// (429: this address has <see cref="WebSocketLinkOptions.MaxConnectionsPerAddress"/> open; 503: the gateway has
    /// <see cref="WebSocketLinkOptions.MaxConnections"/>) and the reason, if it may not open one more. Dispose the
    /// slot when the socket ends.
    /// </summary>
    public IDisposable? TryReserve(string origin, out int status, out string reason)
    {
        string address = LinkBudgets.HostOf(origin);
        lock (_gate)
        {
            if (_open >= _options.MaxConnections)
            {
                _counters.Add("ws_refused_full");
                (status, reason) = (StatusCodes.Status503ServiceUnavailable, $"the gateway has {_options.MaxConnections} links open, its limit; try again later");
                return null;
            }

            if (_perAddress.GetValueOrDefault(address) >= _options.MaxConnectionsPerAddress)
            {
                _counters.Add("ws_refused_address");
                (status, reason) = (StatusCodes.Status429TooManyRequests, $"{address} has {_options.MaxConnectionsPerAddress} links open, the limit per address; close one first");
                return null;
            }

            _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
            _open++;
        }

        (status, reason) = (StatusCodes.Status101SwitchingProtocols, "");
        return new Slot(this, address);
    }

    /// <summary>Runs an accepted socket from <paramref name="origin"/> ("ip:port") until it closes.</summary>
    public async Task RunAsync(WebSocket socket, string origin, CancellationToken aborted)
    {
        var session = new WebSocketSession(socket, origin, _options.SendQueueFrames, _counters);
        _counters.Add("ws_connections");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping);
        try
        {
            session.TryEnqueue(_links.Challenge(session));
            _counters.Add("ws_challenges_sent");

            // A socket that never proves a key would only hold a slot others need: a browser node proves within a
            // second of connecting (or of its first entry being stored), so one that has not after ProveWithinSeconds goes.
            int proveWithin = _options.ProveWithinSeconds;
            using var deadline = new Timer(_ =>
            {
                if (_links.ProvenNodeOf(session) is null)
                {
                    session.CloseUnproven(proveWithin);
                }
            }, null, proveWithin * 1000L, Timeout.Infinite);
            await session.RunAsync(TakeFrameAsync, TimeSpan.FromSeconds(_options.IdleSeconds), stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _links.Forget(session);
        }
    }

    /// <summary>Sends a frame (an anchor notice) to the proven socket(s) of node <paramref name="node"/>, within their downlink budget.</summary>
    public Task SendToNodeAsync(uint node, byte[] frame, CancellationToken ct = default) => _links.SendToNodeAsync(node, frame, ct);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task sweeper = _links.SweepEverySecondAsync(stoppingToken);
        try
        {
            await foreach (IngestedEntry entry in _downlink.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await _links.ForwardAsync(entry, session => entry.Source == IngestSource.WebSocket && session.Origin == entry.Origin, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await sweeper.ConfigureAwait(false);
    }

    /// <summary>One frame from a socket, in order: a proof is checked here; anything else goes through the ingest first.</summary>
    private async Task TakeFrameAsync(WebSocketSession session, byte[] bytes, CancellationToken ct)
    {
        _counters.Add("ws_frames_in");
        _counters.Add("ws_bytes_in", bytes.Length);
        try
        {
            if (FrameCodec.TryPeek(bytes, 0, bytes.Length, out FrameType type, out _) == ProtocolError.None && type == FrameType.Proof)
            {
                await TakeProofAsync(session, bytes, ct).ConfigureAwait(false);
                return;
            }

            IngestOutcome outcome = await _ingest.IngestAsync(bytes, IngestSource.WebSocket, session.Origin, ct).ConfigureAwait(false);
            if (outcome is IngestOutcome.RateLimited or IngestOutcome.Malformed
                || FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.Ip, out Frame? frame) != ProtocolError.None)
            {
                return; // over its budget, or junk: nothing is answered
            }

            uint? proven = _links.ProvenNodeOf(session);
            if (proven is uint heard)
            {
                _directory.Heard(heard, IngestSource.WebSocket, null, null);
            }

            switch (frame!.Type)
            {
                case FrameType.Heads when HeadsMessage.TryDecode(frame.Payload, out HeadsMessage? heads) == ProtocolError.None:
                    if (proven is null)
                    {
                        session.PendingHeads = heads; // answered once the socket has proved a key
                        await ChallengeAsync(session, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        AnswerHeads(session, heads!);
                    }

                    break;
                case FrameType.Want when WantMessage.TryDecode(frame.Payload, out WantMessage? want) == ProtocolError.None:
                    if (proven is null)
                    {
                        _counters.Add("ws_dropped_unproven");
                        await ChallengeAsync(session, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        session.DeferredWant = null; // a new want supersedes the rest of a cut answer
                        AnswerWant(session, new DeferredWant(want!, frame.NextHop, frame.Relay, 0));
                    }

                    break;
                default:
                    if (outcome is IngestOutcome.Stored || (outcome is IngestOutcome.Duplicate && frame.Type == FrameType.Entry))
                    {
                        await ChallengeAsync(session, ct).ConfigureAwait(false); // a verified entry: challenge, or resume the proven node's hand-over
                    }

                    break;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Challenges an unproven socket if none is outstanding; for a proven one, resumes its hand-over if none is running.</summary>
    private async Task ChallengeAsync(WebSocketSession session, CancellationToken ct)
    {
        byte[]? challenge = _links.ChallengeIfUnproven(session, null, out uint? provenNode);
        if (challenge is not null)
        {
            session.TryEnqueue(challenge);
            _counters.Add("ws_challenges_sent");
        }
        else if (provenNode is uint node)
        {
            await _links.HandOverAsync(session, node, ct).ConfigureAwait(false);
        }
    }

    private async Task TakeProofAsync(WebSocketSession session, byte[] bytes, CancellationToken ct)
    {
        if (await _links.TakeProofAsync(session, bytes, null, ct).ConfigureAwait(false) is not uint node)
        {
            return;
        }

        _directory.Heard(node, IngestSource.WebSocket, null, null);
        if (session.PendingHeads is HeadsMessage waiting)
        {
            session.PendingHeads = null;
            AnswerHeads(session, waiting);
        }
    }

    /// <summary>
    /// Sync answers are paid from the socket's downlink budget like everything else it is sent: a want of a
    /// hundred bytes can ask for 64 entries (tens of kilobytes), so the inbound budget alone would let each
    /// small frame buy a large answer. The answer stops at the first entry that does not fit and carries on from
    /// there once the bucket has refilled enough for it (one cut answer per socket is kept: its want and how far
    /// it got), so a restoring node is not left waiting for its next heads; every resumed entry is paid as well.
    /// </summary>
    private void AnswerWant(WebSocketSession session, DeferredWant answer)
    {
        List<byte[][]> entries = _sync.AnswerWant(answer.Want, answer.NextHop, answer.Asker);
        for (int i = answer.Sent; i < entries.Count; i++)
        {
            int bytes = entries[i].Sum(f => f.Length);
            if (!_links.TryTakeDownlink(session, bytes))
            {
                _counters.Add("ws_sync_answers_cut");
                session.DeferredWant = answer with { Sent = i };
                if (Interlocked.Exchange(ref session.ResumeScheduled, 1) == 0)
                {
                    _ = ResumeWantAsync(session, bytes);
                }

                return;
            }

            foreach (byte[] f in entries[i])
            {
                session.TryEnqueue(f);
            }

            _counters.Add("ws_sync_frames_sent", entries[i].Length);
        }
    }

    /// <summary>Waits until the bucket (refilled at DownlinkBytesPerSecond) would hold the entry that did not fit, then carries on with the cut answer.</summary>
    private async Task ResumeWantAsync(WebSocketSession session, int bytes)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(1000.0 * bytes / Math.Max(1, _options.DownlinkBytesPerSecond), 10, 5000)), _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            Volatile.Write(ref session.ResumeScheduled, 0);
        }

        // A closed socket is forgotten (no longer proven): its cut answer goes with it.
        if (Interlocked.Exchange(ref session.DeferredWantSlot, null) is DeferredWant rest && _links.ProvenNodeOf(session) is not null)
        {
            _counters.Add("ws_sync_answers_resumed");
            AnswerWant(session, rest);
        }
    }

    private void AnswerHeads(WebSocketSession session, HeadsMessage heads)
    {
        if (_sync.AnswerHeads(heads, _links.ProvenNodeOf(session), ref session.HeadsOffset) is byte[] reply && _links.TryTakeDownlink(session, reply.Length))
        {
            session.TryEnqueue(reply);
            _counters.Add("ws_sync_frames_sent");
        }
    }

    private void Release(string address)
    {
        lock (_gate)
        {
            _open--;
            if (--_perAddress[address] == 0)
            {
                _perAddress.Remove(address);
            }
        }
    }

    /// <summary>A reserved connection slot; disposing it frees the slot once.</summary>
    private sealed class Slot(WebSocketLink link, string address) : IDisposable
    {
        private int _freed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _freed, 1) == 0)
            {
                link.Release(address);
            }
        }
    }
}
