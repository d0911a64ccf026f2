using System.Diagnostics;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Merkle;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Anchors;
using MeshMessenger.Protocol.Frames;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Anchoring;

/// <summary>
/// The anchoring loop: every poll it turns chain heads that moved since the last batch into checkpoint
/// leaves, closes a batch by size or age, and takes every open batch one step towards final on the chain
/// (<see cref="Anchorer"/>). Anchors live in data/anchors.db next to the gateway's store.
/// </summary>
public sealed class AnchoringService(IOptions<GatewayOptions> options, GatewayDatabase database, GatewayCounters counters, ILogger<AnchoringService> log, Timekeeping.GatewayClock? clock = null) : BackgroundService
{
    private Dictionary<uint, long> _checkpointed = [];
    private long _headsScannedAtMs;
    private int _failedPasses;
    private volatile Dictionary<long, (AnchorState State, DateTimeOffset Since)> _progress = [];
    private volatile Tuple<string, DateTimeOffset>? _unverified;

    /// <summary>Raised with (author, frame) for each author of a batch that became final: the compact proof to hand back over the mesh.</summary>
    public event Action<uint, byte[]>? NoticeReady;

    /// <summary>The anchoring account's address, the sender of every anchor (null with anchoring off).</summary>
    public EthereumAddress? Address { get; } = AnchoringKey.Address(options.Value.Anchoring);

    /// <summary>The anchor store, once started.</summary>
    public AnchorStore? Store { get; private set; }

    /// <summary>The last error talking to the node, for /health.</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// Why anchoring is not keeping up, for /health, or null while it is: two passes in a row failed talking to
    /// the node (unreachable, or answering errors; every pass asks the node, even with nothing to anchor), a
    /// batch has stayed Pending, Signed or Sent longer than StuckMinutes, or Included longer than ten times
    /// that, or the node could not confirm an anchored block (syncing, or behind it) for longer than StuckMinutes.
    /// Ten times: finality on Ethereum proof-of-stake takes two epochs of 32 slots of 12 s, about 12.8 minutes
    /// (https://ethereum.org/en/developers/docs/consensus-mechanisms/pos/#finality).
    /// </summary>
    public string? Problem()
    {
        AnchoringOptions o = options.Value.Anchoring;
        if (!o.Enabled)
        {
            return null;
        }

        int failed = Volatile.Read(ref _failedPasses);
        if (failed >= 2)
        {
            return $"anchoring: {failed} passes in a row failed talking to the node at {o.Rpc}: {LastError}";
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        foreach (var (batch, (state, since)) in _progress.OrderBy(p => p.Key))
        {
            TimeSpan allowed = TimeSpan.FromMinutes(state == AnchorState.Included ? 10 * o.StuckMinutes : o.StuckMinutes);
            if (now - since > allowed)
            {
                return $"anchoring: batch {batch} has been {state} for {(now - since).TotalMinutes:0.#} min (allowed {allowed.TotalMinutes:0.##})";
            }
        }

        if (_unverified is { } unverified && now - unverified.Item2 > TimeSpan.FromMinutes(o.StuckMinutes))
        {
            return $"anchoring: the node at {o.Rpc} cannot confirm anchored batches for {(now - unverified.Item2).TotalMinutes:0.#} min: {unverified.Item1}";
        }

        return null;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        AnchoringOptions o = options.Value.Anchoring;
        if (!o.Enabled)
        {
            return;
        }

        byte[] privateKey = AnchoringKey.Load(o);
        Store = new AnchorStore(Path.Combine(options.Value.DataDirectory, "anchors.db"));
        _checkpointed = Store.CheckpointedHeads();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var rpc = new EthereumRpcClient(http, new Uri(o.Rpc));
        string? crashAt = Environment.GetEnvironmentVariable("MM_ANCHOR_CRASH_AT"); // tests: SIGKILL this process at a step
        var anchorer = new Anchorer(rpc, Store, privateKey, o.ChainId)
        {
            StuckAfter = TimeSpan.FromMinutes(o.StuckMinutes),
            FaultPoint = step =>
            {
                if (step == crashAt)
                {
                    Process.GetCurrentProcess().Kill();
                }
            },
        };
        var builder = new BatchBuilder(Store) { MaxAge = TimeSpan.FromMinutes(o.BatchMinutes), MaxLeaves = o.BatchLeaves };
        log.LogInformation("anchoring to chain {Chain} at {Rpc} from {Address}", o.ChainId, o.Rpc, anchorer.Address);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (CheckpointLeaf leaf in MovedHeads())
                {
                    if (builder.Add(leaf, (clock ?? TimeProvider.System).GetUtcNow()) is long full)
                    {
                        counters.Add("anchor_batches");
                        log.LogInformation("batch {Batch} closed full", full);
                    }
                }

                if (builder.Tick((clock ?? TimeProvider.System).GetUtcNow()) is long due)
                {
                    counters.Add("anchor_batches");
                    log.LogInformation("batch {Batch} closed by age", due);
                }

                await anchorer.StepAsync(stoppingToken).ConfigureAwait(false);
                LastError = null;
                Volatile.Write(ref _failedPasses, 0);
                NotifyAuthors();
                TrackProgress();
                TrackUnverified(anchorer.Unverified);
            }
            catch (RpcException e)
            {
                LastError = e.Message;
                Interlocked.Increment(ref _failedPasses);
                counters.Add("anchor_rpc_errors");
                log.LogWarning("anchoring: {Message}", e.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Notes since when the node could not confirm some anchored batch (they are left as they are meanwhile), and logs it once.</summary>
    private void TrackUnverified(IReadOnlyList<string> unverified)
    {
        if (unverified.Count == 0)
        {
            _unverified = null;
            return;
        }

        string reasons = string.Join("; ", unverified);
        if (_unverified is null)
        {
            log.LogWarning("anchoring: left unchanged, the node cannot confirm them: {Reasons}", reasons);
            _unverified = Tuple.Create(reasons, DateTimeOffset.UtcNow);
        }
        else
        {
            _unverified = Tuple.Create(reasons, _unverified.Item2);
        }
    }

    /// <summary>Notes since when each unfinished batch has been in its state (a batch that moves, even backwards, starts again).</summary>
    private void TrackProgress()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Dictionary<long, (AnchorState State, DateTimeOffset Since)> before = _progress;
        var after = new Dictionary<long, (AnchorState State, DateTimeOffset Since)>();
        foreach (AnchorBatch batch in Store!.Unfinished())
        {
            after[batch.Id] = before.TryGetValue(batch.Id, out var seen) && seen.State == batch.State ? seen : (batch.State, now);
        }

        _progress = after;
    }

    /// <summary>Hands each author of a newly final batch its <see cref="AnchorNotice"/>, as an Anchor frame with hop limit 0.</summary>
    private void NotifyAuthors()
    {
        foreach (AnchorBatch batch in Store!.FinalNotNotified())
        {
            Store.MarkNotified(batch.Id);
            List<byte[]> leaves = Store.Leaves(batch.Id);
            List<byte[][]> levels = MerkleTree.Levels(leaves);
            byte[] txHash = Convert.FromHexString(batch.TransactionHash![2..]);
            for (int i = 0; i < leaves.Count; i++)
            {
                if (AnchorLeaf.TryDecode(leaves[i], 0, leaves[i].Length, out AnchorLeaf? leaf) != ProtocolError.None)
                {
                    continue; // not a checkpoint of the current anchor format
                }

                InclusionProof proof = MerkleTree.Prove(i, levels);
                var notice = new AnchorNotice(leaf!.Author, leaf.Sequence, batch.Root, txHash, (uint)batch.BlockNumber!.Value, leaf.LeafIndex, leaf.TreeSize, [.. proof.Path]);
                byte[] frame = FrameCodec.Encode(new Frame(FrameType.Anchor, 0, 0, false, 0, 0, notice.Encode()), FrameLimits.Ip);
                counters.Add("anchor_notices");
                NoticeReady?.Invoke(leaf.Author, frame);
            }
        }
    }

    /// <summary>Heads that are newer than the last checkpoint taken of them; only chains heard since the last scan are read.</summary>
    private List<CheckpointLeaf> MovedHeads()
    {
        var moved = new List<CheckpointLeaf>();
        long since = _headsScannedAtMs - 1000; // a second of slack for clocks and commits in flight
        _headsScannedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using SqliteConnection c = database.Open();
        using SqliteCommand command = c.CreateCommand();
        command.CommandText = "SELECT author, high, head FROM chains WHERE last_heard >= $since";
        command.Parameters.AddWithValue("$since", since);
        using SqliteDataReader r = command.ExecuteReader();
        while (r.Read())
        {
            uint author = (uint)r.GetInt64(0);
            long high = r.GetInt64(1);
            if (!_checkpointed.TryGetValue(author, out long done) || high > done)
            {
                _checkpointed[author] = high;
                moved.Add(new CheckpointLeaf(author, (uint)high, (byte[])r[2]));
            }
        }

        return moved;
    }
}
