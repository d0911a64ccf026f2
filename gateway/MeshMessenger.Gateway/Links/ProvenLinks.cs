using System.Security.Cryptography;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// The challenge and proof state of one IP link (UDP, WebSocket), keyed by the link's address of a peer (a UDP
/// endpoint, a WebSocket connection): challenges issued and single-use nonces (docs/protocol.md §5.4), proofs
/// verified with the node's stored key, proven peers with their downlink token bucket, and the hand-over rounds of
/// what <see cref="StoreAndForward"/> holds (at most 32 entries, then a challenge whose signed bitmap is the
/// receipt). Each link keeps its own address policy (caps, evictions) and passes it in where room is made.
/// Counters are named after the link: <c>{link}_challenges_sent</c>, <c>{link}_proofs_accepted</c>,
/// <c>{link}_proofs_refused</c>, <c>{link}_proofs_unsolicited</c>, <c>{link}_proofs_malformed</c>, <c>{link}_challenges_withdrawn</c>,
/// <c>{link}_downlink_dropped</c>, <c>frames_out_{link}</c>; hand-overs count <c>held_*</c> and <c>frames_out_held</c>.
/// </summary>
/// <typeparam name="TKey">What names a peer's address on the link.</typeparam>
public sealed class ProvenLinks<TKey>
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<TKey, Outstanding> _challenges = [];
    private readonly Dictionary<TKey, Peer> _proven = [];
    private readonly Protocol.Platform.ISignatureVerifier _verifier = new NSecVerifier();
    private readonly string _link;
    private readonly NodeIdentity _identity;
    private readonly StoreAndForward _held;
    private readonly GatewayCounters _counters;
    private readonly ProvenLinkLimits _limits;
    private readonly Func<TKey, byte[], CancellationToken, Task> _send;

    /// <summary>Creates the state of one link.</summary>
    /// <param name="link">The link's counter name ("udp", "ws").</param>
    /// <param name="identity">The gateway's identity (its id goes into every challenge).</param>
    /// <param name="held">What is held for nodes, and their stored keys.</param>
    /// <param name="counters">Where counts go.</param>
    /// <param name="limits">Lifetimes and the downlink budget.</param>
    /// <param name="send">Sends one frame to one address.</param>
    public ProvenLinks(string link, NodeIdentity identity, StoreAndForward held, GatewayCounters counters, ProvenLinkLimits limits, Func<TKey, byte[], CancellationToken, Task> send)
    {
        _link = link;
        _identity = identity;
        _held = held;
        _counters = counters;
        _limits = limits;
        _send = send;
    }

    /// <summary>Addresses currently proven.</summary>
    public int ProvenCount
    {
        get
        {
            long now = Environment.TickCount64;
            lock (_gate)
            {
                return _proven.Values.Count(p => p.Live(now, _limits.ProvenMilliseconds));
            }
        }
    }

    /// <summary>Challenges to unproven addresses now outstanding (expired ones count until the sweep forgets them).</summary>
    public int OutstandingUnproven
    {
        get
        {
            lock (_gate)
            {
                return _challenges.Values.Count(c => c.Unproven);
            }
        }
    }

    /// <summary>True if the peer at <paramref name="key"/> has proved it holds <paramref name="node"/>'s key and is still proven.</summary>
    public bool IsProven(TKey key, uint node) => ProvenNodeOf(key) == node;

    /// <summary>The node proven at <paramref name="key"/>, or null.</summary>
    public uint? ProvenNodeOf(TKey key)
    {
        lock (_gate)
        {
            return _proven.TryGetValue(key, out Peer? p) && p.Live(Environment.TickCount64, _limits.ProvenMilliseconds) ? p.Node : null;
        }
    }

    /// <summary>Registers a fresh challenge (no items) for <paramref name="to"/>, replacing any outstanding one, and returns its frame for the caller to send.</summary>
    public byte[] Challenge(TKey to)
    {
        lock (_gate)
        {
            return NewChallenge(to, null, [], Environment.TickCount64, unproven: true);
        }
    }

    /// <summary>
    /// After a verified entry from <paramref name="from"/>: if it is proven, its node (so the caller can resume its
    /// hand-over) and no challenge; otherwise a new challenge frame if none is outstanding, else nothing.
    /// <paramref name="makeRoom"/> runs under the lock before a new challenge is registered (the link's caps).
    /// With <paramref name="expect"/>, only that node's proof answers the challenge (a heads query names the node
    /// that asks about its own chain); without, any node whose key the gateway holds.
    /// </summary>
    public byte[]? ChallengeIfUnproven(TKey from, Action? makeRoom, out uint? provenNode, uint? expect = null)
    {
        provenNode = null;
        long now = Environment.TickCount64;
        lock (_gate)
        {
            if (_proven.TryGetValue(from, out Peer? peer) && peer.Live(now, _limits.ProvenMilliseconds))
            {
                provenNode = peer.Node;
                return null;
            }

            if (_challenges.TryGetValue(from, out Outstanding? open) && !open.Expired(now))
            {
                return null;
            }

            _challenges.Remove(from);
            makeRoom?.Invoke();
            return NewChallenge(from, expect, [], now, unproven: true);
        }
    }

    /// <summary>Removes the oldest challenges to unproven addresses matching <paramref name="which"/> until at most <paramref name="keep"/> remain; returns how many went.</summary>
    public int EvictOldestChallenges(Func<TKey, bool> which, int keep)
    {
        lock (_gate)
        {
            List<KeyValuePair<TKey, Outstanding>> open = [.. _challenges.Where(c => c.Value.Unproven && which(c.Key))];
            int evict = Math.Max(0, open.Count - Math.Max(0, keep));
            foreach (var gone in open.OrderBy(c => c.Value.ExpiresAt).Take(evict))
            {
                _challenges.Remove(gone.Key);
            }

            return evict;
        }
    }

    /// <summary>Removes the least recently proven addresses matching <paramref name="which"/> (address, node) until at most <paramref name="keep"/> remain; returns how many went.</summary>
    public int EvictLeastRecentlyProven(Func<TKey, uint, bool> which, int keep)
    {
        lock (_gate)
        {
            List<KeyValuePair<TKey, Peer>> proven = [.. _proven.Where(p => which(p.Key, p.Value.Node))];
            int evict = Math.Max(0, proven.Count - Math.Max(0, keep));
            foreach (var gone in proven.OrderBy(p => p.Value.ProvenAt).Take(evict))
            {
                _proven.Remove(gone.Key);
            }

            return evict;
        }
    }

    /// <summary>
    /// A proof frame from <paramref name="from"/>: checked against that address's outstanding nonce (single use,
    /// consumed valid or not), verified with the node's stored key, then the address is proven, the receipt of
    /// the round it answers recorded, and the next round sent. <paramref name="makeRoom"/> (given the node, and
    /// whether this address was proven already) runs under the lock before the address is recorded. Returns the node proven, or null if refused.
    /// </summary>
    public async Task<uint?> TakeProofAsync(TKey from, byte[] frameBytes, Action<uint, bool>? makeRoom, CancellationToken ct)
    {
        Peer? owned = null;
        try
        {
            if (FrameCodec.TryDecode(frameBytes, 0, frameBytes.Length, FrameLimits.Ip, out Frame? frame) != ProtocolError.None
                || frame!.HopStart != 0
                || LinkProof.TryDecode(frame.Payload, 0, frame.Payload.Length, out LinkProof? proof) != ProtocolError.None)
            {
                _counters.Add($"{_link}_proofs_malformed");
                return null;
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
                    if (_proven.TryGetValue(from, out Peer? busy))
                    {
                        // Until this receipt is recorded, a round started by other traffic would resend what it confirms.
                        busy.RoundBusy = true;
                        owned = busy;
                    }
                }
            }

            if (answered is null)
            {
                // A proof of a nonce this address was not sent: if another address (or link) was, its challenge goes, so
                // a copy of this proof presented there is refused (ChallengeNonces).
                if (_held.Nonces.Withdraw(proof!.Nonce))
                {
                    _counters.Add($"{_link}_challenges_withdrawn");
                }

                _counters.Add($"{_link}_proofs_unsolicited");
                return null;
            }

            _held.Nonces.Consumed(answered.Nonce);

            byte[]? key = _held.SigningKeyOf(proof!.Node);
            if (key is null || (answered.Node is uint expected && expected != proof.Node) || !proof.Verify(_verifier, key, answered.Payload))
            {
                _counters.Add($"{_link}_proofs_refused");
                return null;
            }

            lock (_gate)
            {
                bool already = _proven.ContainsKey(from);
                if (!already)
                {
                    foreach (TKey gone in _proven.Where(p => !p.Value.Live(now, _limits.ProvenMilliseconds)).Select(p => p.Key).ToList())
                    {
                        _proven.Remove(gone);
                    }
                }

                makeRoom?.Invoke(proof.Node, already);
                if (_proven.TryGetValue(from, out Peer? peer))
                {
                    peer.Node = proof.Node;
                    peer.ProvenAt = now;
                }
                else
                {
                    _proven[from] = new Peer(proof.Node, now, _limits.DownlinkBurstBytes);
                }
            }

            _counters.Add($"{_link}_proofs_accepted");
            if (answered.Items.Length > 0)
            {
                List<HeldEntry> confirmed = [.. answered.Items.Where((_, i) => proof.Holds(i))];
                _held.Confirm(proof.Node, confirmed);
                _counters.Add("held_confirmed", confirmed.Count);

                // What the node could not confirm (it may lack the author's key, or the entry is for another node
                // sharing the hint) is set aside after a few offers, so it never blocks newer entries.
                _counters.Add("held_set_aside", _held.Unconfirmed(proof.Node, answered.Items.Where((_, i) => !proof.Holds(i))));
            }

            await HandOverAsync(from, proof.Node, ct, ownsRound: owned is not null).ConfigureAwait(false);
            owned = null; // the round released it
            return proof.Node;
        }
        catch (OperationCanceledException)
        {
            return null;
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
    /// One hand-over round: the oldest unconfirmed held entries (at most 32, within the downlink budget), then a
    /// challenge listing them. Only one round runs per address; the proof starts the next.
    /// </summary>
    /// <param name="to">The proven address.</param>
    /// <param name="node">The node proven there.</param>
    /// <param name="ct">Stops the sends.</param>
    /// <param name="ownsRound">The caller already marked the peer busy (a proof being recorded); the round takes that over.</param>
    public async Task HandOverAsync(TKey to, uint node, CancellationToken ct, bool ownsRound = false)
    {
        Peer? peer;
        lock (_gate)
        {
            long start = Environment.TickCount64;
            if (!_proven.TryGetValue(to, out peer) || peer.Node != node || !peer.Live(start, _limits.ProvenMilliseconds)
                || (!ownsRound && (peer.RoundBusy || (_challenges.TryGetValue(to, out Outstanding? open) && !open.Expired(start)))))
            {
                if (ownsRound && peer is not null)
                {
                    peer.RoundBusy = false;
                }

                return; // not proven, or a round (or challenge) is already running for this address
            }

            peer.RoundBusy = true; // the batch below is read outside the lock
        }

        try
        {
            await SendRoundAsync(to, node, peer, ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                peer.RoundBusy = false; // from here an outstanding challenge, if any, holds the next round back
            }
        }
    }

    /// <summary>
    /// Sends a newly stored entry to every proven address but those <paramref name="isOrigin"/> names: as a
    /// hand-over round where it is held for the node proven there (so its receipt is recorded), else within
    /// that address's downlink budget.
    /// </summary>
    public async Task ForwardAsync(IngestedEntry entry, Func<TKey, bool> isOrigin, CancellationToken ct)
    {
        byte[][]? frames = null;
        foreach (var (address, node) in Proven())
        {
            if (isOrigin(address))
            {
                continue;
            }

            if (entry.IsAddressedTo(NodeId.HintOf(node)) && entry.Author != node)
            {
                await HandOverAsync(address, node, ct).ConfigureAwait(false);
                continue;
            }

            frames ??= IpFrames.OfEntry(entry.Encoded, _identity.Id);
            if (TryTakeDownlink(address, frames.Sum(f => f.Length)))
            {
                foreach (byte[] frame in frames)
                {
                    await _send(address, frame, ct).ConfigureAwait(false);
                }

                _counters.Add($"frames_out_{_link}");
            }
        }
    }

    /// <summary>Sends a frame to the proven address(es) of node <paramref name="node"/>, within their downlink budget.</summary>
    public async Task SendToNodeAsync(uint node, byte[] frame, CancellationToken ct)
    {
        foreach (var (address, _) in Proven().Where(p => p.Node == node))
        {
            if (TryTakeDownlink(address, frame.Length))
            {
                await _send(address, frame, ct).ConfigureAwait(false);
                _counters.Add($"frames_out_{_link}");
            }
        }
    }

    /// <summary>Runs <see cref="SweepAsync"/> once a second until <paramref name="ct"/> is cancelled.</summary>
    public async Task SweepEverySecondAsync(CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                await SweepAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One sweep: forgets expired challenges and proofs, and resumes hand-overs the budget deferred.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        long now = Environment.TickCount64;
        List<(TKey Address, uint Node)> resume;
        lock (_gate)
        {
            foreach (TKey gone in _challenges.Where(p => p.Value.Expired(now)).Select(p => p.Key).ToList())
            {
                _challenges.Remove(gone);
            }

            foreach (TKey gone in _proven.Where(p => !p.Value.Live(now, _limits.ProvenMilliseconds)).Select(p => p.Key).ToList())
            {
                _proven.Remove(gone);
            }

            resume = [.. _proven.Where(p => p.Value.Deferred && !_challenges.ContainsKey(p.Key)).Select(p => (p.Key, p.Value.Node))];
        }

        foreach (var (address, node) in resume)
        {
            await HandOverAsync(address, node, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets everything about <paramref name="key"/> (a closed connection).</summary>
    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _challenges.Remove(key);
            _proven.Remove(key);
        }
    }

    private List<(TKey Address, uint Node)> Proven()
    {
        long now = Environment.TickCount64;
        lock (_gate)
        {
            return [.. _proven.Where(p => p.Value.Live(now, _limits.ProvenMilliseconds)).Select(p => (p.Key, p.Value.Node))];
        }
    }

    /// <summary>
    /// Takes <paramref name="bytes"/> from the downlink token bucket of the proven address <paramref name="to"/>:
    /// false (counted as <c>{link}_downlink_dropped</c>) if it is not proven or the bucket lacks them, and then
    /// nothing may be sent. Everything the gateway sends a proven peer, sync answers included, is paid from it,
    /// so a small request can never make it send more than the bucket allows.
    /// </summary>
    public bool TryTakeDownlink(TKey to, int bytes)
    {
        lock (_gate)
        {
            if (_proven.TryGetValue(to, out Peer? p) && p.Budget.TryTake(bytes, Environment.TickCount64, _limits.DownlinkBytesPerSecond, _limits.DownlinkBurstBytes))
            {
                return true;
            }
        }

        _counters.Add($"{_link}_downlink_dropped");
        return false;
    }

    private async Task SendRoundAsync(TKey to, uint node, Peer peer, CancellationToken ct)
    {
        List<HeldEntry> batch = _held.NextBatch(node, LinkChallenge.MaxItems);
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
                byte[][] frames = IpFrames.OfEntry(entry.Encoded, _identity.Id);
                if (!peer.Budget.TryTake(frames.Sum(f => f.Length), now, _limits.DownlinkBytesPerSecond, _limits.DownlinkBurstBytes))
                {
                    peer.Deferred = true; // the sweep resumes once the budget refills
                    _counters.Add("held_deferred");
                    break;
                }

                sending.Add((entry, frames));
            }

            if (sending.Count == 0)
            {
                return;
            }

            peer.Deferred = sending.Count < batch.Count;
            challenge = NewChallenge(to, node, [.. sending.Select(s => s.Entry)], now, unproven: false);
        }

        foreach (var (_, frames) in sending)
        {
            foreach (byte[] frame in frames)
            {
                await _send(to, frame, ct).ConfigureAwait(false);
            }

            _counters.Add("frames_out_held");
        }

        await _send(to, challenge, ct).ConfigureAwait(false);
        _counters.Add($"{_link}_challenges_sent");
    }

    /// <summary>Registers a challenge for <paramref name="to"/> (replacing any) and returns its frame. Call under the lock.</summary>
    private byte[] NewChallenge(TKey to, uint? node, HeldEntry[] items, long now, bool unproven)
    {
        var challenge = new LinkChallenge(_identity.Id, RandomNumberGenerator.GetBytes(LinkChallenge.NonceSize), [.. items.Select(i => i.Author)], [.. items.Select(i => i.Sequence)]);
        byte[] payload = challenge.Encode();
        byte[] nonce = challenge.Nonce;
        _challenges[to] = new Outstanding(node, nonce, payload, items, now + _limits.ChallengeMilliseconds, unproven);
        _held.Nonces.Issue(nonce, now + _limits.ChallengeMilliseconds, () =>
        {
            lock (_gate)
            {
                if (_challenges.TryGetValue(to, out Outstanding? open) && open.Nonce.AsSpan().SequenceEqual(nonce))
                {
                    _challenges.Remove(to);
                }
            }
        });
        return FrameCodec.Encode(new Frame(FrameType.Challenge, 0, 0, false, 0, NodeId.HintOf(_identity.Id), payload), FrameLimits.Ip);
    }

    /// <summary>
    /// A challenge waiting for its proof: the node it was for (a hand-over round, or a heads query naming it), the
    /// entries it lists, and whether it went to an unproven address (those are the ones capped and evicted).
    /// </summary>
    private sealed record Outstanding(uint? Node, byte[] Nonce, byte[] Payload, HeldEntry[] Items, long ExpiresAt, bool Unproven)
    {
        public bool Expired(long now) => now > ExpiresAt;
    }

    /// <summary>An address that proved a node's key, with its downlink budget.</summary>
    private sealed class Peer(uint node, long provenAt, int burst)
    {
        public uint Node { get; set; } = node;

        public long ProvenAt { get; set; } = provenAt;

        public bool Deferred { get; set; }

        /// <summary>A round is being prepared or its receipt recorded: no second round may pick the same entries meanwhile.</summary>
        public bool RoundBusy { get; set; }

        public TokenBucket Budget { get; } = new(burst, provenAt);

        public bool Live(long now, long provenMilliseconds) => now - ProvenAt <= provenMilliseconds;
    }
}
