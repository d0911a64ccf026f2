using System.Threading.Channels;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
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
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.ChainAccess;

/// <summary>
/// The gateway's chain access (docs/gateway.md, "Chain access"). With Gateway:Chains set, the gateway runs a
/// protocol node of its own identity whose profile announces the served chains; every stored entry (any link) is
/// handed to that node, which opens chain requests sealed to the gateway; <see cref="ChainRelay"/> runs them
/// against the configured RPC nodes, and the answers are appended as chain status entries sealed to the requester
/// and stored through <see cref="FrameIngest"/> like any author's entries, so links, sync and store-and-forward
/// deliver them. Tracked transactions are looked up every Gateway:ChainPollSeconds; after a restart the journal
/// (<see cref="SqliteRelayJournal"/>) carries unfinished ones on to Final.
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
    private MessengerNode? _node;

    /// <summary>Creates the relay over the configured chains (none: the service does nothing).</summary>
    public ChainAccessService(IOptions<GatewayOptions> options, GatewayDatabase database, NodeIdentity identity, FrameIngest ingest, GatewayCounters counters, ILogger<ChainAccessService> log)
    {
        _options = options.Value;
        _database = database;
        _identity = identity;
        _ingest = ingest;
        _counters = counters;
        _log = log;
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

        Relay = backends.Count == 0 ? null : new ChainRelay(backends, new SqliteRelayJournal(database));
        if (Relay is not null)
        {
            ingest.Stored += entry => _stored.Writer.TryWrite(entry);
        }
    }

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
            return;
        }

        try
        {
            await StartNodeAsync(stoppingToken).ConfigureAwait(false);
            await Relay.ResumeAsync(stoppingToken).ConfigureAwait(false);
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

    // The gateway's own node carries on from its chain in the store; a profile that does not announce exactly the
    // configured chains is replaced by a new profile entry.
    private async Task StartNodeAsync(CancellationToken ct)
    {
        var store = new MemoryEntryStore();
        StoredHistory.LoadInto(_database, _identity.Id, store);
        var node = new MessengerNode(_identity, _options.Name, store, new WallClock(), FrameLimits.Ip, restoring: false);
        node.PaymentEntryReceived += (author, sequence, kind, body) =>
        {
            if (kind == EntryKind.ChainRequest)
            {
                _requests.Add((author, sequence, body));
            }
        };
        ChainTag[] served = [.. Relay!.ServedChains];
        if (!SameChains(node.Profile.ServedChains, served))
        {
            node.UpdateProfile(node.Profile.Name, node.Profile.Addresses, served);
        }

        _node = node;
        await FlushAsync(ct).ConfigureAwait(false);
    }

    private async Task HandleStoredAsync(IngestedEntry entry, CancellationToken ct)
    {
        if (entry.Author == _identity.Id || _node is null)
        {
            return;
        }

        byte[] frame = FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0, entry.Encoded), FrameLimits.Ip);
        _node.Receive(frame, 0, frame.Length);
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
            Answer(author, answers);
        }

        await FlushAsync(ct).ConfigureAwait(false);
    }

    private async Task PollAsync(CancellationToken ct)
    {
        IReadOnlyList<(uint Requester, ChainStatusBody Status)> reports = await Relay!.PollAsync(ct).ConfigureAwait(false);
        foreach ((uint requester, ChainStatusBody status) in reports)
        {
            Answer(requester, [status]);
        }

        await FlushAsync(ct).ConfigureAwait(false);
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

    private void Answer(uint requester, IReadOnlyList<ChainStatusBody> statuses)
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
            }
        }
    }

    // Own entries go through the store like any author's: stored, synced and delivered by the links.
    private async Task FlushAsync(CancellationToken ct)
    {
        foreach (byte[] frame in _node!.TakeOutbox())
        {
            IngestOutcome outcome = await _ingest.IngestAsync(frame, IngestSource.Gateway, "gateway", ct).ConfigureAwait(false);
            if (outcome == IngestOutcome.StoreFailed)
            {
                _log.LogError("the gateway's own entry was not stored");
            }
        }
    }

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
