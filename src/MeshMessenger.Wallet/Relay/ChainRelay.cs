using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;

namespace MeshMessenger.Wallet.Relay;

/// <summary>
/// A gateway's chain access (docs/wallet.md §3): runs opened <see cref="ChainRequestBody"/>s against the
/// <see cref="IChainBackend"/> of their chain and returns the <see cref="ChainStatusBody"/> answers to seal back to the
/// requester. A read gets one Answer (<see cref="ChainAnswerCodec"/>; a Transfer one per payment, a Status the
/// transaction's Accepted/Included/Final), or Failed/Unavailable with the node's reason. A broadcast gets
/// Accepted(txid) or Failed(reason) and is then tracked: <see cref="PollAsync"/> reports Included once per block
/// holding it, Final once, and re-broadcasts the kept raw bytes when the node no longer knows it (dropped, reorged
/// out): Accepted again, or Dropped and Failed with the node's reason.
/// The same (requester, sequence) twice returns the same answers and never broadcasts twice. Every step is saved in
/// the <see cref="IRelayJournal"/> before its status is returned. No I/O of its own beyond the backends and the journal.
/// <example>
/// <code>
/// var relay = new ChainRelay([new EvmChainBackend(ChainTag.Evm(31337), rpc)], new MemoryRelayJournal());
/// await relay.ResumeAsync(ct);                                   // unfinished transactions of an earlier run
/// node.PaymentEntryReceived += (author, sequence, kind, body) =>
/// {
///     if (kind == EntryKind.ChainRequest &amp;&amp; ChainRequestBody.TryDecode(body, out ChainRequestBody? request) == ProtocolError.None)
///     {
///         foreach (ChainStatusBody status in await relay.HandleAsync(author, sequence, request!, ct))
///             node.SendChainStatus(author, status);
///     }
/// };
/// // every few seconds:
/// foreach ((uint requester, ChainStatusBody status) in await relay.PollAsync(ct))
///     node.SendChainStatus(requester, status);
/// </code>
/// </example>
/// </summary>
public sealed class ChainRelay
{
    /// <summary>Most Answer statuses for one Transfer read (one per payment).</summary>
    public const int MaxTransferAnswers = 8;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<ChainTag, IChainBackend> _backends = [];
    private readonly IRelayJournal _journal;
    private readonly RelayLimits _limits;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(uint, uint), RelayRecord> _tracked = [];
    private readonly Dictionary<uint, Queue<DateTimeOffset>> _recent = [];
    private readonly List<ChainTag> _served = [];

    /// <summary>A relay over one backend per chain; <paramref name="limits"/> defaults to 20 requests a minute and 16 tracked transactions per requester.</summary>
    public ChainRelay(IEnumerable<IChainBackend> backends, IRelayJournal journal, RelayLimits? limits = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        foreach (IChainBackend backend in backends)
        {
            if (!_backends.TryAdd(backend.Chain, backend))
            {
                throw new ArgumentException("two backends for " + backend.Chain.ToText(), nameof(backends));
            }

            _served.Add(backend.Chain);
        }

        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        _limits = limits ?? new RelayLimits();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The chains this relay serves (what the gateway's profile announces as served chains).</summary>
    public IReadOnlyList<ChainTag> ServedChains => _served;

    /// <summary>The backends, one per served chain.</summary>
    public IReadOnlyCollection<IChainBackend> ServedBackends => _backends.Values;

    /// <summary>Transactions followed now, all requesters.</summary>
    public int TrackedCount
    {
        get
        {
            lock (_tracked)
            {
                return _tracked.Count;
            }
        }
    }

    /// <summary>Takes back the unfinished transactions of the journal (after a restart); a broadcast cut short is re-sent by the next <see cref="PollAsync"/>.</summary>
    public async Task ResumeAsync(CancellationToken ct = default)
    {
        IReadOnlyList<RelayRecord> unfinished = await _journal.LoadUnfinishedAsync(ct).ConfigureAwait(false);
        lock (_tracked)
        {
            foreach (RelayRecord record in unfinished)
            {
                _tracked[(record.Requester, record.Sequence)] = record;
            }
        }
    }

    /// <summary>
    /// Runs request <paramref name="request"/>, entry <paramref name="sequence"/> of <paramref name="requester"/>, and
    /// returns its statuses (each with <see cref="ChainStatusBody.RequestSequence"/> = <paramref name="sequence"/>).
    /// A request seen before returns the statuses it returned then. Never throws for what the node or the request
    /// holds; only <paramref name="ct"/> and journal failures end it with an exception.
    /// </summary>
    public async Task<IReadOnlyList<ChainStatusBody>> HandleAsync(uint requester, uint sequence, ChainRequestBody request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            RelayRecord? seen = await _journal.FindAsync(requester, sequence, ct).ConfigureAwait(false);
            if (seen is not null)
            {
                return seen.Answers;
            }

            RelayRecord record;
            string? refusal = Refusal(requester, request);
            if (refusal is not null)
            {
                record = Done(requester, sequence, request, ChainStatusBody.OfReason(sequence, ChainStatusKind.Unavailable, refusal));
            }
            else if (request.Kind == ChainRequestKind.Broadcast)
            {
                return await BroadcastAsync(requester, sequence, request, _backends[request.Chain], ct).ConfigureAwait(false);
            }
            else
            {
                record = Done(requester, sequence, request, await ReadAsync(sequence, request, _backends[request.Chain], ct).ConfigureAwait(false));
            }

            await _journal.SaveAsync(record, ct).ConfigureAwait(false);
            return record.Answers;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Asks the node about every tracked transaction once and returns what changed, each with the requester to seal
    /// it to: Included (once per block), Final (then no longer tracked), Accepted again after a re-broadcast, or
    /// Dropped and Failed when the re-broadcast is refused. A node that cannot be reached is asked again next time.
    /// </summary>
    public async Task<IReadOnlyList<(uint Requester, ChainStatusBody Status)>> PollAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            List<RelayRecord> tracked;
            lock (_tracked)
            {
                tracked = [.. _tracked.Values];
            }

            var reports = new List<(uint, ChainStatusBody)>();
            foreach (RelayRecord record in tracked)
            {
                if (!_backends.TryGetValue(record.Chain, out IChainBackend? backend))
                {
                    continue; // the chain is no longer configured: kept in the journal, followed when it is again
                }

                RelayRecord? next = await StepAsync(record, backend, reports, ct).ConfigureAwait(false);
                if (next is null)
                {
                    continue;
                }

                await _journal.SaveAsync(next, ct).ConfigureAwait(false);
                lock (_tracked)
                {
                    if (next.Unfinished)
                    {
                        _tracked[(next.Requester, next.Sequence)] = next;
                    }
                    else
                    {
                        _tracked.Remove((next.Requester, next.Sequence));
                    }
                }
            }

            return reports;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The transaction id a node reports for <paramref name="raw"/>: Keccak-256 of the bytes (EVM), the double-SHA-256 of the non-witness serialization in display order (BIP-141); null if the bytes are no transaction.</summary>
    public static byte[]? TransactionId(ChainTag chain, byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(raw);
        if (chain.Family == ChainFamily.Evm)
        {
            return Keccak256.Hash(raw);
        }

        try
        {
            var tx = NBitcoin.Transaction.Load(raw, NBitcoin.Network.RegTest);
            return Convert.FromHexString(tx.GetHash().ToString());
        }
        catch (Exception e) when (e is FormatException or ArgumentException or System.IO.EndOfStreamException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    private string? Refusal(uint requester, ChainRequestBody request)
    {
        if (!_backends.ContainsKey(request.Chain))
        {
            return "chain not served: " + request.Chain.ToText();
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (!_recent.TryGetValue(requester, out Queue<DateTimeOffset>? times))
        {
            _recent[requester] = times = new Queue<DateTimeOffset>();
        }

        while (times.Count > 0 && now - times.Peek() >= Window)
        {
            times.Dequeue();
        }

        if (times.Count >= _limits.RequestsPerMinute)
        {
            return "rate limited: more than " + _limits.RequestsPerMinute + " requests a minute";
        }

        times.Enqueue(now);
        if (request.Kind == ChainRequestKind.Broadcast)
        {
            int count = 0;
            lock (_tracked)
            {
                foreach ((uint owner, uint _) in _tracked.Keys)
                {
                    count += owner == requester ? 1 : 0;
                }
            }

            if (count >= _limits.TrackedTransactions)
            {
                return "rate limited: " + _limits.TrackedTransactions + " transactions already tracked";
            }
        }

        return null;
    }

    private async Task<IReadOnlyList<ChainStatusBody>> BroadcastAsync(uint requester, uint sequence, ChainRequestBody request, IChainBackend backend, CancellationToken ct)
    {
        byte[] raw = request.Payload;
        byte[]? txId = TransactionId(request.Chain, raw);
        if (txId is null)
        {
            RelayRecord refused = Done(requester, sequence, request, ChainStatusBody.OfReason(sequence, ChainStatusKind.Failed, "not a transaction"));
            await _journal.SaveAsync(refused, ct).ConfigureAwait(false);
            return refused.Answers;
        }

        // Saved before the node sees it: a crash between here and the Accepted row re-sends the same bytes.
        var record = new RelayRecord(requester, sequence, request.Chain, request.Kind, raw, txId, RelayStage.Broadcasting, 0, []);
        await _journal.SaveAsync(record, ct).ConfigureAwait(false);
        (RelayRecord next, ChainStatusBody status) = await SendAsync(record, backend, ct).ConfigureAwait(false);
        next = next with { Answers = [status] };
        if (next.Stage == RelayStage.Broadcasting)
        {
            // Node unreachable: answered Unavailable, nothing tracked (the requester sends through another gateway).
            next = next with { Stage = RelayStage.Failed };
        }

        await _journal.SaveAsync(next, ct).ConfigureAwait(false);
        if (next.Unfinished)
        {
            lock (_tracked)
            {
                _tracked[(requester, sequence)] = next;
            }
        }

        return next.Answers;
    }

    /// <summary>
    /// Hands the kept bytes to the node. Accepted if the node takes them or already has them (its refusal of a
    /// known transaction, "already known", is no failure); Failed with the node's reason; unchanged and Unavailable if unreachable.
    /// </summary>
    private static async Task<(RelayRecord Next, ChainStatusBody Status)> SendAsync(RelayRecord record, IChainBackend backend, CancellationToken ct)
    {
        byte[] txId = record.TxId!;
        try
        {
            await backend.BroadcastAsync(record.RawTransaction!, ct).ConfigureAwait(false);
            return (record with { Stage = RelayStage.Accepted, Block = 0 }, ChainStatusBody.OfTx(record.Sequence, ChainStatusKind.Accepted, txId));
        }
        catch (WalletException e) when (e.Error != WalletError.Unavailable)
        {
            TransactionState? state = await TryStateAsync(backend, txId, ct).ConfigureAwait(false);
            if (state is not null && state.Stage != TransactionStage.Unknown)
            {
                return (record with { Stage = RelayStage.Accepted, Block = 0 }, ChainStatusBody.OfTx(record.Sequence, ChainStatusKind.Accepted, txId));
            }

            return (record with { Stage = RelayStage.Failed }, ChainStatusBody.OfReason(record.Sequence, ChainStatusKind.Failed, e.Message));
        }
        catch (Exception e) when (Unreachable(e, ct))
        {
            return (record, ChainStatusBody.OfReason(record.Sequence, ChainStatusKind.Unavailable, "node unreachable: " + e.Message));
        }
    }

    private static async Task<RelayRecord?> StepAsync(RelayRecord record, IChainBackend backend, List<(uint, ChainStatusBody)> reports, CancellationToken ct)
    {
        uint sequence = record.Sequence;
        byte[] txId = record.TxId!;
        if (record.Stage == RelayStage.Broadcasting)
        {
            // Cut short by a restart: the requester has heard nothing yet.
            (RelayRecord sent, ChainStatusBody status) = await SendAsync(record, backend, ct).ConfigureAwait(false);
            if (sent.Stage == RelayStage.Broadcasting)
            {
                return null;
            }

            reports.Add((record.Requester, status));
            return sent with { Answers = [status] };
        }

        TransactionState? state = await TryStateAsync(backend, txId, ct).ConfigureAwait(false);
        if (state is null)
        {
            return null;
        }

        switch (state.Stage)
        {
            case TransactionStage.Final:
                reports.Add((record.Requester, ChainStatusBody.Final(sequence, txId, (uint)state.BlockNumber)));
                return record with { Stage = RelayStage.Final, Block = state.BlockNumber };
            case TransactionStage.Included:
                if (record.Stage == RelayStage.Included && record.Block == state.BlockNumber)
                {
                    return null;
                }

                reports.Add((record.Requester, ChainStatusBody.Included(sequence, txId, (uint)state.BlockNumber, state.Confirmations)));
                return record with { Stage = RelayStage.Included, Block = state.BlockNumber };
            case TransactionStage.Pending:
                if (record.Stage == RelayStage.Accepted)
                {
                    return null;
                }

                // Back in the mempool after its block left the best chain.
                reports.Add((record.Requester, ChainStatusBody.OfTx(sequence, ChainStatusKind.Accepted, txId)));
                return record with { Stage = RelayStage.Accepted, Block = 0 };
            default:
                (RelayRecord next, ChainStatusBody status) = await SendAsync(record, backend, ct).ConfigureAwait(false);
                if (next.Stage == RelayStage.Broadcasting || (next.Stage == RelayStage.Accepted && record.Stage == RelayStage.Accepted))
                {
                    return next.Stage == RelayStage.Broadcasting ? null : next;
                }

                if (next.Stage == RelayStage.Failed)
                {
                    reports.Add((record.Requester, ChainStatusBody.OfTx(sequence, ChainStatusKind.Dropped, txId)));
                }

                reports.Add((record.Requester, status));
                return next;
        }
    }

    private static async Task<TransactionState?> TryStateAsync(IChainBackend backend, byte[] txId, CancellationToken ct)
    {
        try
        {
            return await backend.StateAsync(txId, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WalletException || Unreachable(e, ct))
        {
            return null;
        }
    }

    private static async Task<IReadOnlyList<ChainStatusBody>> ReadAsync(uint sequence, ChainRequestBody request, IChainBackend backend, CancellationToken ct)
    {
        byte[] payload = request.Payload;
        try
        {
            switch (request.Kind)
            {
                case ChainRequestKind.Balance:
                    int addressSize = request.Chain.Family == ChainFamily.Evm ? ChainAddress.EvmSize : ChainAddress.UtxoSize;
                    byte[]? token = payload.Length > addressSize ? payload[addressSize..] : null;
                    BigInteger balance = await backend.BalanceAsync(payload[..addressSize], token, ct).ConfigureAwait(false);
                    return [Answer(sequence, ChainAnswerCodec.EncodeBalance(Amount(balance)))];
                case ChainRequestKind.Nonce:
                    return [Answer(sequence, ChainAnswerCodec.EncodeNonce(await backend.NonceAsync(payload, ct).ConfigureAwait(false)))];
                case ChainRequestKind.Utxos:
                    IReadOnlyList<UnspentOutput> outputs = await backend.UnspentAsync(payload, ct).ConfigureAwait(false);
                    var sorted = new List<UnspentOutput>(outputs);
                    sorted.Sort((a, b) => b.Value.CompareTo(a.Value)); // the largest fit when there are more than an answer holds
                    var utxos = new ChainUtxo[Math.Min(sorted.Count, ChainAnswerCodec.MaxUtxos)];
                    for (int i = 0; i < utxos.Length; i++)
                    {
                        utxos[i] = new ChainUtxo(sorted[i].TransactionId, sorted[i].OutputIndex, sorted[i].Value, sorted[i].Confirmations);
                    }

                    return [Answer(sequence, ChainAnswerCodec.EncodeUtxos(utxos))];
                case ChainRequestKind.Fees:
                    ChainFees fees = await backend.FeesAsync(ct).ConfigureAwait(false);
                    return [Answer(sequence, request.Chain.Family == ChainFamily.Evm
                        ? ChainAnswerCodec.EncodeEvmFees(Amount(fees.BaseFeePerGas), Amount(fees.PriorityFeePerGas))
                        : ChainAnswerCodec.EncodeUtxoFees(fees.SatoshisPerVirtualByte))];
                case ChainRequestKind.Status:
                    TransactionState state = await backend.StateAsync(payload, ct).ConfigureAwait(false);
                    return [state.Stage switch
                    {
                        TransactionStage.Pending => ChainStatusBody.OfTx(sequence, ChainStatusKind.Accepted, payload),
                        TransactionStage.Included => ChainStatusBody.Included(sequence, payload, (uint)state.BlockNumber, state.Confirmations),
                        TransactionStage.Final => ChainStatusBody.Final(sequence, payload, (uint)state.BlockNumber),
                        _ => ChainStatusBody.OfReason(sequence, ChainStatusKind.Failed, "unknown transaction"),
                    }];
                case ChainRequestKind.Transfer:
                    IReadOnlyList<TransferFacts>? facts = await backend.TransferAsync(payload, ct).ConfigureAwait(false);
                    if (facts is null)
                    {
                        return [ChainStatusBody.OfReason(sequence, ChainStatusKind.Failed, "unknown transaction")];
                    }

                    if (facts.Count == 0)
                    {
                        return [ChainStatusBody.OfReason(sequence, ChainStatusKind.Failed, "the transaction pays nothing")];
                    }

                    var answers = new List<ChainStatusBody>();
                    for (int i = 0; i < facts.Count && i < MaxTransferAnswers; i++)
                    {
                        TransferFacts fact = facts[i];
                        var transfer = new ChainTransfer(fact.Recipient, fact.Token, Amount(fact.Amount), (uint)fact.State.BlockNumber, fact.State.Stage == TransactionStage.Final);
                        answers.Add(Answer(sequence, ChainAnswerCodec.EncodeTransfer(transfer)));
                    }

                    return answers;
                default:
                    return [ChainStatusBody.OfReason(sequence, ChainStatusKind.Failed, "unsupported request")];
            }
        }
        catch (WalletException e) when (e.Error != WalletError.Unavailable)
        {
            return [ChainStatusBody.OfReason(sequence, ChainStatusKind.Failed, e.Message)];
        }
        catch (Exception e) when (Unreachable(e, ct))
        {
            return [ChainStatusBody.OfReason(sequence, ChainStatusKind.Unavailable, "node unreachable: " + e.Message)];
        }
    }

    private static bool Unreachable(Exception e, CancellationToken ct) => !ct.IsCancellationRequested && e is not OutOfMemoryException;

    private static RelayRecord Done(uint requester, uint sequence, ChainRequestBody request, ChainStatusBody answer) => Done(requester, sequence, request, [answer]);

    private static RelayRecord Done(uint requester, uint sequence, ChainRequestBody request, IReadOnlyList<ChainStatusBody> answers) =>
        new(requester, sequence, request.Chain, request.Kind, null, null, RelayStage.Answered, 0, answers);

    private static ChainStatusBody Answer(uint sequence, byte[] payload) => new(sequence, ChainStatusKind.Answer, payload);

    /// <summary>Canonical big-endian unsigned bytes (zero is empty), as <see cref="ChainAmount"/> writes them.</summary>
    private static byte[] Amount(BigInteger value) => value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
}
