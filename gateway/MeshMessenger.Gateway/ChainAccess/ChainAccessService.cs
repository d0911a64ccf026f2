using System.Threading.Channels;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Relay;
using MeshMessenger.Wallet.Utxo;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.ChainAccess;

/// <summary>
/// The gateway's chain access (docs/gateway.md, "Chain access"). With Gateway:Chains set, the gateway runs a
/// protocol node of its own identity whose profile announces the served chains; of the stored entries (any link) that
/// node is handed only what it needs (profile entries, for the requesters' keys, and entries sealed with the gateway's
/// hint), so its memory holds profiles and the gateway's own chain, not every author's history. It opens chain
/// requests sealed to the gateway; <see cref="ChainRelay"/> runs them
/// against the configured RPC nodes, and the answers are appended as chain status entries sealed to the requester
/// and stored through <see cref="FrameIngest"/> like any author's entries, so links, sync and store-and-forward
/// deliver them. Tracked transactions are looked up every Gateway:ChainPollSeconds; after a restart the journal
/// (<see cref="SqliteRelayJournal"/>) carries unfinished ones on to Final. At start the service also re-sends every
/// status the journal reached but whose entry was not stored (a crash in between), and runs the stored chain requests
/// sealed to the gateway in the last <see cref="MissedRequestWindow"/> that the journal has no record of (stored while
/// the service was off, or killed between store and run).
/// </summary>
public sealed class ChainAccessService : BackgroundService
{
    private readonly GatewayOptions _options;
    private readonly GatewayDatabase _database;
    private readonly NodeIdentity _identity;
    private readonly FrameIngest _ingest;
    private readonly GatewayCounters _counters;
    private readonly ILogger<ChainAccessService> _log;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private readonly List<IDisposable> _clients = [];
    private readonly Channel<IngestedEntry> _stored = Channel.CreateUnbounded<IngestedEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<(uint Author, uint Sequence, byte[] Body)> _requests = [];
    private readonly Dictionary<string, bool> _reachable = [];
    private readonly SqliteRelayJournal _journal;
    private readonly byte _hint;
    private readonly MeshMessenger.Anchoring.Ethereum.EthereumAddress? _anchoringAddress;
    private MessengerNode? _node;
    private MemoryEntryStore? _nodeStore;

    /// <summary>Creates the relay over the configured chains (none: the service does nothing).</summary>
    public ChainAccessService(IOptions<GatewayOptions> options, GatewayDatabase database, NodeIdentity identity, FrameIngest ingest, GatewayCounters counters, ILogger<ChainAccessService> log)
    {
        _options = options.Value;
        _database = database;
        _identity = identity;
        _ingest = ingest;
        _counters = counters;
        _log = log;
        _journal = new SqliteRelayJournal(database);
        _hint = NodeId.HintOf(identity.Id);
        _anchoringAddress = AnchoringKey.Address(_options.Anchoring);
        var backends = new List<IChainBackend>();
        foreach (ChainOptions chain in _options.Chains)
        {
            ChainTag tag = ChainTag.Parse(chain.Chain)!; // checked by GatewayOptionsValidator
            var url = new Uri(chain.RpcUrl);
            if (tag.Family == ChainFamily.Evm)
            {
                backends.Add(new EvmChainBackend(tag, new EthereumRpcClient(_http, url)));
            }
            else
            {
                var rpc = new UtxoRpcClient(url, chain.RpcUser ?? "", chain.RpcPassword ?? "");
                _clients.Add(rpc);
                backends.Add(new UtxoChainBackend(rpc, (UtxoNetwork)tag.Reference));
            }

            _reachable[tag.ToText()] = false;
        }

        Relay = backends.Count == 0 ? null : new ChainRelay(backends, _journal, new RelayLimits(_options.ChainRequestsPerMinute));
        if (Relay is not null)
        {
            ingest.Stored += entry => _stored.Writer.TryWrite(entry);
        }
    }

    /// <summary>How far back, at start, stored chain requests the journal has no record of are run: one day.</summary>
    public static readonly TimeSpan MissedRequestWindow = TimeSpan.FromHours(24);

    /// <summary>The relay, or null when no chain is configured.</summary>
    public ChainRelay? Relay { get; }

    /// <summary>Per served chain (text form), whether its RPC node answered the last look.</summary>
    public IReadOnlyDictionary<string, bool> Reachable
    {
        get
        {
            lock (_reachable)
            {
                return new Dictionary<string, bool>(_reachable);
            }
        }
    }

    /// <summary>Entries held in the memory of the gateway's own node (profiles, its own chain, entries sealed direct with its hint).</summary>
    internal int NodeEntryCount => _nodeStore?.Count ?? 0;

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _http.Dispose();
        foreach (IDisposable client in _clients)
        {
            client.Dispose();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Relay is null)
        {
            if (_anchoringAddress is not null)
            {
                // No chain access, but anchoring: the node runs once to sign the profile that names the anchoring address,
                // then is let go (it holds every stored profile, which only chain requests need).
                await StartNodeAsync(stoppingToken).ConfigureAwait(false);
                _node = null;
                _nodeStore = null;
            }

            return;
        }

        try
        {
            await StartNodeAsync(stoppingToken).ConfigureAwait(false);
            await Relay.ResumeAsync(stoppingToken).ConfigureAwait(false);
            await ResendUnsentAsync(stoppingToken).ConfigureAwait(false);
            await RunMissedRequestsAsync(stoppingToken).ConfigureAwait(false);
            TimeSpan every = TimeSpan.FromSeconds(_options.ChainPollSeconds);
            DateTime nextPoll = DateTime.UtcNow;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (_stored.Reader.TryRead(out IngestedEntry? entry))
                    {
                        await HandleStoredAsync(entry, stoppingToken).ConfigureAwait(false);
                    }

                    if (DateTime.UtcNow >= nextPoll)
                    {
                        nextPoll = DateTime.UtcNow + every;
                        await PollAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A journal or store failure: logged and counted; the journal keeps what was done, the next round carries on.
                    _counters.Add("chain_access_errors");
                    _log.LogError(e, "chain access");
                }

                TimeSpan wait = nextPoll - DateTime.UtcNow;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
                try
                {
                    await _stored.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // poll time
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // The gateway's own node carries on from its chain in the store and knows every stored profile (the keys that
    // open requests and seal statuses); a profile that does not announce exactly the configured chains is replaced by
    // a new profile entry. Nothing else is loaded: requests not yet run are handed to it by RunMissedRequestsAsync.
    private async Task StartNodeAsync(CancellationToken ct)
    {
        // The gateway's own chain and every profile: caps far above a device's (storage grows only as entries arrive).
        var store = new MemoryEntryStore(65536, 1 << 20);
        using (SqliteConnection c = _database.Open())
        using (SqliteCommand select = c.CreateCommand())
        {
            select.CommandText = "SELECT bytes, hash FROM entries WHERE author = $me OR kind = $profile ORDER BY author, seq;";
            select.Parameters.AddWithValue("$me", (long)_identity.Id);
            select.Parameters.AddWithValue("$profile", (int)EntryKind.Profile);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                var bytes = (byte[])reader[0];
                if (EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry) == ProtocolError.None)
                {
                    store.Put(new StoredEntry(entry!, (byte[])reader[1]));
                }
            }
        }

        _nodeStore = store;
        var node = new MessengerNode(_identity, _options.Name, store, new WallClock(), FrameLimits.Ip, false, new Ed25519SignatureVerifier(), NodeLimits.Host);
        node.PaymentEntryReceived += (author, sequence, kind, body) =>
        {
            if (kind == EntryKind.ChainRequest)
            {
                _requests.Add((author, sequence, body));
            }
        };
        ChainTag[] served = Relay is null ? [] : [.. Relay.ServedChains];
        ChainAddress[] addresses = WithAnchoringAddress(node.Profile.Addresses);
        if (!SameChains(node.Profile.ServedChains, served) || !SameAddresses(node.Profile.Addresses, addresses))
        {
            node.UpdateProfile(node.Profile.Name, addresses, served);
        }

        _node = node;
        await FlushAsync(ct).ConfigureAwait(false);
    }

    private async Task HandleStoredAsync(IngestedEntry entry, CancellationToken ct)
    {
        if (entry.Author == _identity.Id || _node is null || !Needed(entry))
        {
            return;
        }

        await FeedAsync(entry.Encoded, ct).ConfigureAwait(false);
    }

    // Only what the node needs: entries sealed direct with the gateway's hint (requests to it; a few are for other nodes
    // with the same hint and fail to open; a channel or public post may carry the same hint and is not one) and profiles
    // (requesters' keys). The kind is read only when the entry is not addressed to the gateway.
    private bool Needed(IngestedEntry entry) =>
        entry.IsAddressedTo(_hint)
        || (EntryCodec.TryDecode(entry.Encoded, 0, entry.Encoded.Length, out Entry? decoded) == ProtocolError.None && decoded!.Kind == EntryKind.Profile);

    // Hands one stored entry to the node and runs the chain requests it opened.
    private async Task FeedAsync(byte[] encoded, CancellationToken ct)
    {
        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0, encoded), FrameLimits.Ip);
        _node!.Receive(frame, 0, frame.Length);
        _node.ForgetMessages(); // the gateway reads nothing back: records would only pile up
        List<(uint Author, uint Sequence, byte[] Body)> requests = [.. _requests];
        _requests.Clear();
        foreach ((uint author, uint sequence, byte[] body) in requests)
        {
            _counters.Add("chain_requests");
            if (ChainRequestBody.TryDecode(body, out ChainRequestBody? request) != ProtocolError.None)
            {
                _counters.Add("chain_requests_malformed");
                continue;
            }

            IReadOnlyList<ChainStatusBody> answers = await Relay!.HandleAsync(author, sequence, request!, ct).ConfigureAwait(false);
            await DeliverAsync([(author, sequence, answers)], ct).ConfigureAwait(false);
        }

        await FlushAsync(ct).ConfigureAwait(false);
    }

    // Statuses the journal reached but whose entries were not stored (killed in between): sent again. A duplicate is
    // harmless, the requester matches statuses by request sequence. The journal keeps a read's answers and a
    // transaction's stage and block; an Included status re-sent from it counts one confirmation.
    private async Task ResendUnsentAsync(CancellationToken ct)
    {
        var due = new List<(uint, uint, IReadOnlyList<ChainStatusBody>)>();
        foreach (RelayRecord record in _journal.LoadUnsent())
        {
            uint sequence = record.Sequence;
            byte[]? txId = record.TxId;
            IReadOnlyList<ChainStatusBody> statuses = record.Stage switch
            {
                RelayStage.Accepted when txId is not null => [ChainStatusBody.OfTx(sequence, ChainStatusKind.Accepted, txId)],
                RelayStage.Included when txId is not null => [ChainStatusBody.Included(sequence, txId, (uint)record.Block, 1)],
                RelayStage.Final when txId is not null => [ChainStatusBody.Final(sequence, txId, (uint)record.Block)],
                RelayStage.Failed when txId is not null && !Refused(record.Answers) =>
                    [ChainStatusBody.OfTx(sequence, ChainStatusKind.Dropped, txId), ChainStatusBody.OfReason(sequence, ChainStatusKind.Failed, "dropped; re-broadcast refused")],
                _ => record.Answers,
            };
            due.Add((record.Requester, sequence, statuses));
        }

        if (due.Count > 0)
        {
            _log.LogInformation("re-sending the statuses of {Count} chain requests", due.Count);
            await DeliverAsync(due, ct).ConfigureAwait(false);
        }
    }

    private static bool Refused(IReadOnlyList<ChainStatusBody> answers) =>
        answers.Count > 0 && answers[^1].Kind is ChainStatusKind.Failed or ChainStatusKind.Unavailable;

    // Chain requests sealed with the gateway's hint, stored in the last MissedRequestWindow, that the journal has no
    // record of: stored while the service was off or before it ran them. Handed to the node like new entries.
    private async Task RunMissedRequestsAsync(CancellationToken ct)
    {
        var missed = new List<byte[]>();
        using (SqliteConnection c = _database.Open())
        using (SqliteCommand select = c.CreateCommand())
        {
            select.CommandText = """
                SELECT e.bytes FROM entries e
                WHERE e.kind = $kind AND e.hint = $hint AND e.author != $me AND e.received_at >= $since
                  AND NOT EXISTS (SELECT 1 FROM relay_requests r WHERE r.requester = e.author AND r.seq = e.seq)
                ORDER BY e.received_at, e.author, e.seq;
                """;
            select.Parameters.AddWithValue("$kind", (int)EntryKind.ChainRequest);
            select.Parameters.AddWithValue("$hint", (int)_hint);
            select.Parameters.AddWithValue("$me", (long)_identity.Id);
            select.Parameters.AddWithValue("$since", (DateTimeOffset.UtcNow - MissedRequestWindow).ToUnixTimeMilliseconds());
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                missed.Add((byte[])reader[0]);
            }
        }

        if (missed.Count > 0)
        {
            _log.LogInformation("running {Count} stored chain requests not yet handled", missed.Count);
        }

        foreach (byte[] encoded in missed)
        {
            await FeedAsync(encoded, ct).ConfigureAwait(false);
        }
    }

    private async Task PollAsync(CancellationToken ct)
    {
        IReadOnlyList<(uint Requester, ChainStatusBody Status)> reports = await Relay!.PollAsync(ct).ConfigureAwait(false);
        var byRequest = new List<(uint, uint, IReadOnlyList<ChainStatusBody>)>();
        foreach (IGrouping<(uint, uint), (uint Requester, ChainStatusBody Status)> group in reports.GroupBy(r => (r.Requester, r.Status.RequestSequence)))
        {
            byRequest.Add((group.Key.Item1, group.Key.Item2, [.. group.Select(r => r.Status)]));
        }

        await DeliverAsync(byRequest, ct).ConfigureAwait(false);
        foreach (IChainBackend backend in Relay.ServedBackends)
        {
            bool up;
            try
            {
                await backend.FeesAsync(ct).ConfigureAwait(false);
                up = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                up = false;
            }

            lock (_reachable)
            {
                _reachable[backend.Chain.ToText()] = up;
            }
        }
    }

    // Seals each request's statuses, stores them, and only then notes in the journal that its present stage is sent.
    private async Task DeliverAsync(IReadOnlyList<(uint Requester, uint Sequence, IReadOnlyList<ChainStatusBody> Statuses)> due, CancellationToken ct)
    {
        var sealedFor = new List<(uint, uint)>();
        foreach ((uint requester, uint sequence, IReadOnlyList<ChainStatusBody> statuses) in due)
        {
            if (Answer(requester, statuses))
            {
                sealedFor.Add((requester, sequence));
            }
        }

        if (!await FlushAsync(ct).ConfigureAwait(false))
        {
            return; // not on disk: found again by the next start's LoadUnsent
        }

        foreach ((uint requester, uint sequence) in sealedFor)
        {
            _journal.MarkSent(requester, sequence);
        }
    }

    private bool Answer(uint requester, IReadOnlyList<ChainStatusBody> statuses)
    {
        foreach (ChainStatusBody status in statuses)
        {
            try
            {
                _node!.SendChainStatus(requester, status);
                _counters.Add("chain_statuses");
            }
            catch (ProtocolException e)
            {
                // The requester's profile (its agreement key) is not known here: nothing can be sealed to it.
                _log.LogWarning("chain status for {Requester:x8} not sent: {Problem}", requester, e.Message);
                return false;
            }
        }

        return true;
    }

    // Own entries go through the store like any author's: stored, synced and delivered by the links. False if one was not stored.
    private async Task<bool> FlushAsync(CancellationToken ct)
    {
        bool all = true;
        foreach (byte[] frame in _node!.TakeOutbox())
        {
            IngestOutcome outcome = await _ingest.IngestAsync(frame, IngestSource.Gateway, "gateway", ct).ConfigureAwait(false);
            if (outcome == IngestOutcome.StoreFailed)
            {
                _log.LogError("the gateway's own entry was not stored");
                all = false;
            }
        }

        return all;
    }

    // The profile's address on the anchoring chain is the anchoring account (docs/anchoring.md §3): a verifier reads it
    // from the gateway's signed profile and checks an anchor's sender against it. Other addresses stay as they were.
    private ChainAddress[] WithAnchoringAddress(ChainAddress[] current)
    {
        if (_anchoringAddress is null || _options.Anchoring.ChainId is <= 0 or > uint.MaxValue)
        {
            return current; // a chain id beyond a chain tag's 32 bits cannot be named in a profile
        }

        var anchoringChain = ChainTag.Evm((uint)_options.Anchoring.ChainId);
        List<ChainAddress> kept = [.. current.Where(a => !a.Chain.Equals(anchoringChain)).Take(Profile.MaxAddresses - 1)];
        return [new ChainAddress(anchoringChain, _anchoringAddress.Bytes.ToArray()), .. kept];
    }

    private static bool SameAddresses(ChainAddress[] a, ChainAddress[] b) =>
        a.Length == b.Length && a.Zip(b).All(p => p.First.Chain.Equals(p.Second.Chain) && p.First.Address.AsSpan().SequenceEqual(p.Second.Address));

    private static bool SameChains(ChainTag[] a, ChainTag[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
