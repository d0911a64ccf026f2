using System.Threading.Channels;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Ingest;

/// <summary>
/// Every frame from every link goes through here: decoded, verified by the protocol's <see cref="ChainStore"/>
/// (signature, duplicates, forks, links), charged to the link address that sent it (<see cref="LinkBudgets"/>)
/// and stored, all by one writer
/// that commits in batches. A caller that awaits <see cref="IngestAsync"/> learns the outcome only after
/// the commit, so an acknowledgement it sends (an MQTT PUBACK) never covers data that a crash could lose.
/// New entries are queued for MQTT uplink in the same transaction and announced to the links afterwards.
/// </summary>
public sealed class FrameIngest : IAsyncDisposable
{
    /// <summary>Frames written per transaction at most.</summary>
    public const int BatchSize = 512;

    /// <summary>Messages in progress per IP sending address, as on a node (docs/protocol.md §5.2).</summary>
    public const int ReassemblySlotsPerSender = 4;

    /// <summary>Messages in progress from the radio, whichever neighbour relayed each piece.</summary>
    public const int RadioReassemblySlots = 16;

    /// <summary>Sending addresses with a reassembler at most (at most 3 KiB per slot, docs/protocol.md §5.2: 12 MiB in all); past that the least recently used one goes.</summary>
    public const int MaxReassemblers = 1024;

    // Names built once: the writer would otherwise format two strings per frame.
    private static readonly string[] SourceName = Enum.GetNames<IngestSource>().Select(n => n.ToLowerInvariant()).ToArray();
    private static readonly string[] FramesInCounter = SourceName.Select(n => $"frames_in_{n}").ToArray();
    private static readonly string[] OutcomeCounter = Enum.GetNames<IngestOutcome>().Select(n => n == nameof(IngestOutcome.Stored) ? "stored" : $"dropped_{n.ToLowerInvariant()}").ToArray();

    private readonly Channel<Item> _queue;
    private readonly GatewayDatabase _database;
    private readonly GatewayCounters _counters;
    private readonly LinkBudgets _budgets;
    private readonly Func<IngestedEntry, string?> _uplinkTopic;
    private readonly Task _writer;
    private readonly PreverifiedSignatures _signatures;
    private readonly Action<string>? _log;

    // Entries larger than a LoRa frame (a post with a photo) arrive as fragments (docs/protocol.md §5.2); the
    // protocol's bounded reassembler puts them back together before the entry is decoded. A reassembler whose slots
    // are all busy evicts its oldest message (§5.2), so with one shared by every link, junk first pieces from one UDP
    // port evicted a radio device's photo post, whose pieces arrive seconds apart, before its last piece came. Now the
    // radio has its own (16 slots: pieces of one entry may come through different relays, so not one per relay byte)
    // and each IP sender address (its LinkBudgets key) its own of 4, so junk evicts only its own sender's messages.
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, (Reassembler Pieces, long UsedAt)> _reassemblers = new(StringComparer.Ordinal);

    /// <summary>Starts the writer.</summary>
    /// <param name="database">The store.</param>
    /// <param name="counters">Where outcomes are counted.</param>
    /// <param name="budgets">What each link address may send.</param>
    /// <param name="verifier">Signature verifier (libsodium on the gateway).</param>
    /// <param name="uplinkTopic">The MQTT topic to queue a new entry under, or null not to uplink it.</param>
    /// <param name="queueCapacity">Frames waiting at most; further callers wait (back-pressure, bounded memory).</param>
    /// <param name="log">Where store failures are reported, or null.</param>
    /// <param name="clock">What stamps stored entries and outbox rows (the gateway clock); null: the system clock.</param>
    public FrameIngest(GatewayDatabase database, GatewayCounters counters, LinkBudgets budgets, ISignatureVerifier verifier, Func<IngestedEntry, string?> uplinkTopic, int queueCapacity = 8192, Action<string>? log = null, TimeProvider? clock = null)
    {
        _log = log;
        _clock = clock ?? TimeProvider.System;
        _database = database;
        _counters = counters;
        _budgets = budgets;
        _uplinkTopic = uplinkTopic;
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _signatures = new PreverifiedSignatures(verifier);
        _writer = Task.Run(() => WriteLoop(_signatures));
    }

    /// <summary>Raised (on the writer's thread, after the commit) for each entry newly stored.</summary>
    public event Action<IngestedEntry>? Stored;

    /// <summary>Frames waiting for the writer.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Queues a frame (header and payload, as a radio or UDP device sends it) and returns its outcome once committed.</summary>
    public Task<IngestOutcome> IngestAsync(byte[] frame, IngestSource source, string? origin = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(Decode(frame, false, source, origin), cancellationToken);

    /// <summary>Queues a bare encoded entry (as gateways exchange them over MQTT) and returns its outcome once committed.</summary>
    public Task<IngestOutcome> IngestEntryAsync(byte[] entry, IngestSource source, string? origin = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(Decode(entry, true, source, origin), cancellationToken);

    private async Task<IngestOutcome> EnqueueAsync(Item item, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        return await item.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes on the caller's thread, once: the writer gets the decoded frame or entry. When the author's
    /// key is already known the signature is checked here too, so that verification spreads over the cores.
    /// </summary>
    private Item Decode(byte[] bytes, bool isEntry, IngestSource source, string? origin)
    {
        var done = new TaskCompletionSource<IngestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Frame? frame = null;
        byte[] payload = bytes;
        if (!isEntry)
        {
            if (FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.Ip, out frame) != ProtocolError.None)
            {
                return new Item(null, null, false, source, origin, LinkBudgets.KeyOf(source, origin, 0), done);
            }

            payload = frame!.Payload;
            string? sender = LinkBudgets.KeyOf(source, origin, frame.Relay);

            // A sender over its budget does not reach the reassembler either: the writer refuses the piece.
            if (frame.Type == FrameType.Fragment && _budgets.MayProcess(sender, Environment.TickCount64)
                && Reassemble(frame, source == IngestSource.Radio ? "radio" : sender ?? "") is byte[] whole)
            {
                payload = whole;
            }
            else if (frame.Type != FrameType.Entry)
            {
                return new Item(frame, null, false, source, origin, sender, done);
            }
        }

        if (EntryCodec.TryDecode(payload, 0, payload.Length, out Entry? entry) != ProtocolError.None)
        {
            return new Item(null, null, false, source, origin, LinkBudgets.KeyOf(source, origin, 0), done);
        }

        // A sender over its budget costs no signature check: the writer refuses it unless the budget refilled meanwhile.
        string? budget = source == IngestSource.Radio ? LinkBudgets.RadioAuthorKeyOf(entry!.Author) : LinkBudgets.KeyOf(source, origin, frame?.Relay ?? 0);
        if (_budgets.MayProcess(budget, Environment.TickCount64) && _signatures.KeyOf(entry!.Author) is byte[] key)
        {
            _signatures.Preverify(key, EntryHash.Of(entry, key), entry.Encoded, entry.SignedLength);
        }

        return new Item(frame, entry, frame?.LocalOnly ?? false, source, origin, budget, done);
    }

    /// <summary>The whole entry once <paramref name="frame"/> completes it in the reassembler of <paramref name="key"/> ("radio", or an IP sender's budget key); null while pieces are missing or the fragment is refused.</summary>
    private byte[]? Reassemble(Frame frame, string key)
    {
        if (Fragment.TryDecode(frame.Payload, out Fragment? fragment) != ProtocolError.None)
        {
            return null;
        }

        long now = Environment.TickCount64;
        lock (_reassemblers)
        {
            if (!_reassemblers.TryGetValue(key, out (Reassembler Pieces, long UsedAt) own))
            {
                if (_reassemblers.Count >= MaxReassemblers)
                {
                    // Idle ones first (nothing in progress after expiry), else the least recently used; never the radio's.
                    foreach (string idle in _reassemblers.Where(r => r.Key != "radio" && IsIdle(r.Value.Pieces, now)).Select(r => r.Key).ToList())
                    {
                        _reassemblers.Remove(idle);
                    }

                    if (_reassemblers.Count >= MaxReassemblers)
                    {
                        _reassemblers.Remove(_reassemblers.Where(r => r.Key != "radio").MinBy(r => r.Value.UsedAt).Key);
                    }
                }

                own = (new Reassembler(key == "radio" ? RadioReassemblySlots : ReassemblySlotsPerSender, Protocol.Node.MessengerNode.ReassemblyTimeoutMilliseconds), now);
            }

            _reassemblers[key] = (own.Pieces, now);
            return own.Pieces.Offer(fragment!, now, out byte[]? whole) == ReassemblyStatus.Completed ? whole : null;
        }
    }

    private static bool IsIdle(Reassembler pieces, long now)
    {
        pieces.Expire(now);
        return pieces.InProgress == 0;
    }

    private async Task WriteLoop(ISignatureVerifier verifier)
    {
        using SqliteConnection connection = _database.Open();
        var store = new SqliteEntryStore(connection) { Clock = _clock };
        var chains = new ChainStore(store, verifier);
        var batch = new List<(Item Item, IngestOutcome Outcome, IngestedEntry? Entry)>(BatchSize);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            using (SqliteTransaction transaction = connection.BeginTransaction())
            {
                store.Transaction = transaction;
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out Item? item))
                {
                    IngestedEntry? stored = null;
                    IngestOutcome outcome;
                    try
                    {
                        outcome = Process(item, chains, store, connection, transaction, out stored);
                    }
                    catch (SqliteException e)
                    {
                        outcome = IngestOutcome.StoreFailed;
                        _log?.Invoke($"the store refused a frame: {e.Message}");
                    }

                    batch.Add((item, outcome, stored));
                }

                try
                {
                    transaction.Commit();
                }
                catch (SqliteException e)
                {
                    // Nothing of the batch is kept (a full disk, a broken file): every caller hears so, and no one
                    // is told "stored" for what a restart would not find.
                    _log?.Invoke($"the store could not commit {batch.Count} frames: {e.Message}");
                    store.ForgetCache();
                    for (int i = 0; i < batch.Count; i++)
                    {
                        batch[i] = (batch[i].Item, IngestOutcome.StoreFailed, null);
                    }
                }

                store.Transaction = null;
            }

            foreach (var (item, outcome, entry) in batch)
            {
                _counters.Add(FramesInCounter[(int)item.Source]);
                _counters.Add(OutcomeCounter[(int)outcome]);
                if (entry is not null)
                {
                    Stored?.Invoke(entry);
                }

                item.Done.TrySetResult(outcome);
            }
        }
    }

    /// <summary>
    /// Verifies and stores one arrival, then charges it to the address that sent it: the budget is checked
    /// before (an address that spent its share waits) and spent after, on what the frame turned out to be.
    /// </summary>
    private IngestOutcome Process(Item item, ChainStore chains, SqliteEntryStore store, SqliteConnection connection, SqliteTransaction transaction, out IngestedEntry? stored)
    {
        stored = null;
        long now = Environment.TickCount64;
        if (!_budgets.MayProcess(item.BudgetKey, now))
        {
            return IngestOutcome.RateLimited;
        }

        IngestOutcome outcome = Verify(item, chains, store, connection, transaction, out stored);
        _budgets.Charge(item.BudgetKey, outcome == IngestOutcome.Stored, now);
        return outcome;
    }

    private IngestOutcome Verify(Item item, ChainStore chains, SqliteEntryStore store, SqliteConnection connection, SqliteTransaction transaction, out IngestedEntry? stored)
    {
        stored = null;
        if (item.Entry is null)
        {
            return item.Frame is null ? IngestOutcome.Malformed
                : SeenBefore(item.Frame, connection, transaction) ? IngestOutcome.Duplicate : IngestOutcome.NotStored;
        }

        Entry e = item.Entry;
        store.CurrentSource = SourceName[(int)item.Source];
        ChainVerdict verdict = chains.Accept(e);
        switch (verdict)
        {
            case ChainVerdict.Accepted:
            case ChainVerdict.Gap:
                break;
            case ChainVerdict.Duplicate:
                return IngestOutcome.Duplicate;
            case ChainVerdict.Fork:
                return IngestOutcome.Fork;
            case ChainVerdict.BadSignature:
                return IngestOutcome.BadSignature;
            case ChainVerdict.UnknownAuthor:
                return IngestOutcome.UnknownAuthor;
            case ChainVerdict.BrokenLink:
                return IngestOutcome.BrokenLink;
            default:
                return IngestOutcome.Invalid;
        }

        Profile? known = chains.ProfileOf(e.Author);
        if (known is not null)
        {
            _signatures.RememberKey(e.Author, known.SigningKey);
        }

        if (e.Kind == EntryKind.Profile && known is not null)
        {
            store.PutContact(e.Author, known.SigningKey, known.Name);
        }

        stored = new IngestedEntry(e.Author, e.Sequence, e.Hint, e.Sealing, e.Encoded, item.Source, item.Origin, item.LocalOnly, item.Frame?.Relay ?? 0);
        if (_uplinkTopic(stored) is string topic)
        {
            using SqliteCommand outbox = connection.CreateCommand();
            outbox.Transaction = transaction;
            outbox.CommandText = "INSERT INTO outbox (topic, payload, created) VALUES ($t, $p, $c)";
            outbox.Parameters.AddWithValue("$t", topic);
            outbox.Parameters.AddWithValue("$p", e.Encoded);
            outbox.Parameters.AddWithValue("$c", _clock.GetUtcNow().ToUnixTimeMilliseconds());
            outbox.ExecuteNonQuery();
        }

        return IngestOutcome.Stored;
    }

    /// <summary>Records a non-entry frame (fragment, heads, want, ack) by a hash of its payload; true if it was seen before.</summary>
    private static bool SeenBefore(Frame frame, SqliteConnection connection, SqliteTransaction transaction)
    {
        byte[] key = System.Security.Cryptography.SHA256.HashData(frame.Payload).AsSpan(0, 16).ToArray();
        using SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR IGNORE INTO frames_seen (key, first_seen) VALUES ($k, $t)";
        insert.Parameters.AddWithValue("$k", key);
        insert.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return insert.ExecuteNonQuery() == 0;
    }

    /// <summary>A decoded arrival: an entry (with its frame, unless it came bare), a non-entry frame, or neither (malformed).</summary>
    private sealed record Item(Frame? Frame, Entry? Entry, bool LocalOnly, IngestSource Source, string? Origin, string? BudgetKey, TaskCompletionSource<IngestOutcome> Done);
}
