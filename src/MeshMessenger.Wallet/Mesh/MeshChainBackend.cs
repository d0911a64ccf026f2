using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;

namespace MeshMessenger.Wallet.Mesh;

/// <summary>
/// <see cref="IChainBackend"/> over the mesh: every read and broadcast is a <c>ChainRequest</c> entry sealed to a
/// gateway that serves the chain (docs/protocol.md, "Payments"), and completes when the <c>ChainStatus</c> naming
/// that request's sequence comes back from that gateway. A gateway that answers Unavailable, or not within
/// <see cref="Timeout"/>, is skipped for the next one serving the chain; a broadcast re-sends the SAME signed bytes
/// (never re-signed). None left → <see cref="WalletError.Unavailable"/> naming the gateways tried. Statuses after
/// Accepted (Included, Final, Failed, Dropped) are kept per transaction id: <see cref="LatestStatus"/>,
/// <see cref="WaitForStageAsync"/>, <see cref="TransactionStatusReceived"/>.
/// <example>
/// <code>
/// var link = new MessengerNodeChainLink(node, nodeLock);           // or another IMeshChainLink
/// using var mesh = new MeshChainBackend(link, ChainTag.Evm(31337), TimeSpan.FromSeconds(60));
/// ulong nonce = await mesh.NonceAsync(account.Address, ct);        // asks a gateway over the mesh
/// byte[] txId = await mesh.BroadcastAsync(signed.RawTransaction, ct);
/// ChainStatusBody done = await mesh.WaitForStageAsync(txId, ChainStatusKind.Included, ct);
/// </code>
/// </example>
/// </summary>
public sealed class MeshChainBackend : IChainBackend, IDisposable
{
    private const int MaxUnclaimed = 256;

    private readonly IMeshChainLink _link;
    private readonly IReadOnlyList<uint>? _gateways;
    private readonly object _sync = new object();
    private readonly Dictionary<(uint Gateway, uint Sequence), TaskCompletionSource<ChainStatusBody>> _pending = new();
    private readonly Dictionary<(uint Gateway, uint Sequence), ChainStatusBody> _unclaimed = new();
    private readonly Queue<(uint Gateway, uint Sequence)> _unclaimedOrder = new();
    private readonly Dictionary<(uint Gateway, uint Sequence), string?> _broadcasts = new();
    private readonly Dictionary<string, ChainStatusBody> _latest = new(StringComparer.Ordinal);
    private readonly List<(string TxId, ChainStatusKind Stage, TaskCompletionSource<ChainStatusBody> Done)> _waiters = new();
    private bool _disposed;

    /// <summary>Asks any gateway the link knows to serve <paramref name="chain"/>, each for at most <paramref name="timeout"/>.</summary>
    public MeshChainBackend(IMeshChainLink link, ChainTag chain, TimeSpan timeout)
        : this(link, chain, timeout, null)
    {
    }

    /// <summary>
    /// Asks <paramref name="gateways"/> in that order (the person's choice; null: every gateway the link knows to serve
    /// <paramref name="chain"/>), each for at most <paramref name="timeout"/>.
    /// </summary>
    public MeshChainBackend(IMeshChainLink link, ChainTag chain, TimeSpan timeout, IReadOnlyList<uint>? gateways)
    {
        _link = link ?? throw new ArgumentNullException(nameof(link));
        Chain = chain ?? throw new ArgumentNullException(nameof(chain));
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), "the timeout must be positive");
        }

        Timeout = timeout;
        _gateways = gateways;
        _link.PaymentEntryReceived += OnPaymentEntry;
    }

    /// <summary>Raised with the transaction id for each status after Accepted (Included, Final, Failed, Dropped) of a broadcast made here.</summary>
    public event Action<byte[], ChainStatusBody>? TransactionStatusReceived;

    /// <inheritdoc/>
    public ChainTag Chain { get; }

    /// <summary>How long one gateway has to answer before the next one is asked.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The gateway that gave the last answer, or null.</summary>
    public uint? LastGateway { get; private set; }

    /// <summary>Stops listening to the link; requests still waiting fail as cancelled.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (TaskCompletionSource<ChainStatusBody> pending in _pending.Values)
            {
                pending.TrySetCanceled();
            }

            foreach (var waiter in _waiters)
            {
                waiter.Done.TrySetCanceled();
            }

            _pending.Clear();
            _waiters.Clear();
        }

        _link.PaymentEntryReceived -= OnPaymentEntry;
    }

    /// <summary>The newest status after Accepted heard for <paramref name="transactionId"/>, or null.</summary>
    public ChainStatusBody? LatestStatus(byte[] transactionId)
    {
        lock (_sync)
        {
            return _latest.TryGetValue(Convert.ToHexString(transactionId), out ChainStatusBody? status) ? status : null;
        }
    }

    /// <summary>
    /// Completes with the first status of <paramref name="transactionId"/> at <paramref name="stage"/> or beyond
    /// (Included → Final), or with a Failed or Dropped status, which end the wait whatever the stage asked.
    /// </summary>
    public Task<ChainStatusBody> WaitForStageAsync(byte[] transactionId, ChainStatusKind stage, CancellationToken ct)
    {
        string key = Convert.ToHexString(transactionId);
        var done = new TaskCompletionSource<ChainStatusBody>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            if (_latest.TryGetValue(key, out ChainStatusBody? known) && Reaches(known.Kind, stage))
            {
                return Task.FromResult(known);
            }

            _waiters.Add((key, stage, done));
        }

        if (ct.CanBeCanceled)
        {
            ct.Register(() => done.TrySetCanceled(ct));
        }

        return done.Task;
    }

    /// <inheritdoc/>
    public async Task<BigInteger> BalanceAsync(byte[] address, byte[]? token, CancellationToken ct)
    {
        byte[] payload = token == null ? address : Concat(address, token);
        ChainStatusBody status = await AskAsync(ChainRequestKind.Balance, payload, ct).ConfigureAwait(false);
        byte[] answer = AnswerOf(status, "balance");
        Check(ChainAnswerCodec.TryDecodeBalance(answer, out byte[]? amount), "balance");
        return ToBigInteger(amount!);
    }

    /// <inheritdoc/>
    public async Task<ulong> NonceAsync(byte[] address, CancellationToken ct)
    {
        ChainStatusBody status = await AskAsync(ChainRequestKind.Nonce, address, ct).ConfigureAwait(false);
        Check(ChainAnswerCodec.TryDecodeNonce(AnswerOf(status, "nonce"), out ulong nonce), "nonce");
        return nonce;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<UnspentOutput>> UnspentAsync(byte[] address, CancellationToken ct)
    {
        ChainStatusBody status = await AskAsync(ChainRequestKind.Utxos, address, ct).ConfigureAwait(false);
        Check(ChainAnswerCodec.TryDecodeUtxos(AnswerOf(status, "unspent outputs"), out ChainUtxo[]? utxos), "unspent outputs");
        var result = new List<UnspentOutput>(utxos!.Length);
        foreach (ChainUtxo utxo in utxos)
        {
            result.Add(new UnspentOutput(utxo.TxId, utxo.Vout, utxo.Value, utxo.Confirmations));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<ChainFees> FeesAsync(CancellationToken ct)
    {
        ChainStatusBody status = await AskAsync(ChainRequestKind.Fees, Array.Empty<byte>(), ct).ConfigureAwait(false);
        byte[] answer = AnswerOf(status, "fees");
        if (Chain.Family == ChainFamily.Evm)
        {
            Check(ChainAnswerCodec.TryDecodeEvmFees(answer, out byte[]? baseFee, out byte[]? priorityFee), "fees");
            return new ChainFees(ToBigInteger(baseFee!), ToBigInteger(priorityFee!), 0);
        }

        Check(ChainAnswerCodec.TryDecodeUtxoFees(answer, out uint satPerVbyte), "fees");
        return new ChainFees(BigInteger.Zero, BigInteger.Zero, satPerVbyte);
    }

    /// <inheritdoc/>
    public async Task<byte[]> BroadcastAsync(byte[] rawTransaction, CancellationToken ct)
    {
        if (rawTransaction == null || rawTransaction.Length == 0)
        {
            throw new WalletException(WalletError.InvalidAmount, "there is no signed transaction to broadcast");
        }

        ChainStatusBody status = await AskAsync(ChainRequestKind.Broadcast, rawTransaction, ct).ConfigureAwait(false);
        byte[]? txId = status.TxId;
        if (txId == null)
        {
            throw Unexpected(status, "broadcast");
        }

        return txId;
    }

    /// <inheritdoc/>
    public async Task<TransactionState> StateAsync(byte[] transactionId, CancellationToken ct)
    {
        ChainStatusBody status = await AskAsync(ChainRequestKind.Status, transactionId, ct).ConfigureAwait(false);
        return status.Kind switch
        {
            ChainStatusKind.Accepted => new TransactionState(TransactionStage.Pending, 0, 0),
            ChainStatusKind.Included => new TransactionState(TransactionStage.Included, status.Block, status.Confirmations),
            ChainStatusKind.Final => new TransactionState(TransactionStage.Final, status.Block, 0),
            ChainStatusKind.Dropped => new TransactionState(TransactionStage.Unknown, 0, 0),
            _ => throw Unexpected(status, "transaction status"),
        };
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TransferFacts>?> TransferAsync(byte[] transactionId, CancellationToken ct)
    {
        ChainStatusBody status = await AskAsync(ChainRequestKind.Transfer, transactionId, ct).ConfigureAwait(false);
        if (status.Kind == ChainStatusKind.Dropped)
        {
            return null;
        }

        Check(ChainAnswerCodec.TryDecodeTransfer(AnswerOf(status, "transfer"), out ChainTransfer? transfer), "transfer");
        TransactionState state = transfer!.Block == 0
            ? new TransactionState(TransactionStage.Pending, 0, 0)
            : transfer.Final
                ? new TransactionState(TransactionStage.Final, transfer.Block, 0)
                : new TransactionState(TransactionStage.Included, transfer.Block, 1);
        return new[] { new TransferFacts(transfer.To, transfer.Token, ToBigInteger(transfer.Amount), state) };
    }

    /// <summary>Base units as a canonical chain amount (big-endian, no leading zero byte; zero is empty).</summary>
    internal static byte[] ToAmount(BigInteger value) =>
        value.IsZero ? Array.Empty<byte>() : value.ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>A canonical chain amount as base units.</summary>
    internal static BigInteger ToBigInteger(byte[] amount) =>
        amount.Length == 0 ? BigInteger.Zero : new BigInteger(amount, isUnsigned: true, isBigEndian: true);

    private static bool Reaches(ChainStatusKind kind, ChainStatusKind stage) =>
        kind == stage
        || kind == ChainStatusKind.Failed
        || kind == ChainStatusKind.Dropped
        || (kind == ChainStatusKind.Final && (stage == ChainStatusKind.Included || stage == ChainStatusKind.Accepted))
        || (kind == ChainStatusKind.Included && stage == ChainStatusKind.Accepted);

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var result = new byte[a.Length + b.Length];
        Buffer.BlockCopy(a, 0, result, 0, a.Length);
        Buffer.BlockCopy(b, 0, result, a.Length, b.Length);
        return result;
    }

    private static void Check(ProtocolError error, string what)
    {
        if (error != ProtocolError.None)
        {
            throw new WalletException(WalletError.Unavailable, "the gateway's " + what + " answer is malformed (" + error + ")");
        }
    }

    private static WalletException Unexpected(ChainStatusBody status, string what) =>
        new WalletException(WalletError.Unavailable, "the gateway answered a " + what + " request with " + status.Kind);

    private static byte[] AnswerOf(ChainStatusBody status, string what)
    {
        if (status.Kind != ChainStatusKind.Answer)
        {
            throw Unexpected(status, what);
        }

        return status.Payload;
    }

    private IReadOnlyList<uint> Gateways()
    {
        if (_gateways != null)
        {
            return _gateways;
        }

        return _link.GatewaysServing(Chain);
    }

    /// <summary>Sends the request to each gateway in turn until one answers with something other than Unavailable.</summary>
    private async Task<ChainStatusBody> AskAsync(ChainRequestKind kind, byte[] payload, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ChainRequestBody body;
        try
        {
            body = new ChainRequestBody(kind, Chain, payload);
        }
        catch (ProtocolException e)
        {
            throw new WalletException(kind == ChainRequestKind.Broadcast ? WalletError.InvalidAmount : WalletError.InvalidAddress, "the request does not fit a chain request: " + e.Message, e);
        }

        IReadOnlyList<uint> gateways = Gateways();
        if (gateways.Count == 0)
        {
            throw new WalletException(WalletError.Unavailable, "no gateway serving " + Chain.ToText() + " is known");
        }

        var failures = new List<string>();
        foreach (uint gateway in gateways)
        {
            ct.ThrowIfCancellationRequested();
            var answer = new TaskCompletionSource<ChainStatusBody>(TaskCreationOptions.RunContinuationsAsynchronously);

            // The same body (the same signed bytes for a broadcast) goes to every gateway.
            uint sequence = _link.SendChainRequest(gateway, body);
            var key = (gateway, sequence);
            lock (_sync)
            {
                if (kind == ChainRequestKind.Broadcast)
                {
                    _broadcasts[key] = null;
                }

                if (_unclaimed.Remove(key, out ChainStatusBody? early))
                {
                    if (kind == ChainRequestKind.Broadcast && early.TxId != null)
                    {
                        _broadcasts[key] = Convert.ToHexString(early.TxId);
                    }

                    answer.TrySetResult(early);
                }
                else
                {
                    _pending[key] = answer;
                }
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            ChainStatusBody status;
            try
            {
                status = await answer.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && !_disposed)
            {
                lock (_sync)
                {
                    _pending.Remove(key);
                }

                failures.Add(NodeId.ToText(gateway) + " did not answer within " + Timeout.TotalSeconds + " s");
                continue;
            }
            finally
            {
                lock (_sync)
                {
                    _pending.Remove(key);
                }
            }

            if (status.Kind == ChainStatusKind.Unavailable)
            {
                failures.Add(NodeId.ToText(gateway) + " is unavailable (" + status.Reason + ")");
                continue;
            }

            LastGateway = gateway;
            if (status.Kind == ChainStatusKind.Failed)
            {
                throw new WalletException(WalletError.NodeRefused, "the chain node behind gateway " + NodeId.ToText(gateway) + " refused: " + status.Reason);
            }

            return status;
        }

        throw new WalletException(WalletError.Unavailable, "no gateway for " + Chain.ToText() + " answered: " + string.Join("; ", failures));
    }

    private void OnPaymentEntry(uint author, uint sequence, EntryKind kind, byte[] body)
    {
        if (kind != EntryKind.ChainStatus || ChainStatusBody.TryDecode(body, out ChainStatusBody? status) != ProtocolError.None)
        {
            return;
        }

        var key = (author, status!.RequestSequence);
        TaskCompletionSource<ChainStatusBody>? answer = null;
        string? txKey = null;
        var finished = new List<TaskCompletionSource<ChainStatusBody>>();
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            if (_broadcasts.TryGetValue(key, out string? known))
            {
                byte[]? txId = status.TxId;
                txKey = txId != null ? Convert.ToHexString(txId) : known;
                _broadcasts[key] = txKey;
                if (txKey != null && status.Kind != ChainStatusKind.Accepted && status.Kind != ChainStatusKind.Unavailable)
                {
                    _latest[txKey] = status;
                    for (int i = _waiters.Count - 1; i >= 0; i--)
                    {
                        if (_waiters[i].TxId == txKey && Reaches(status.Kind, _waiters[i].Stage))
                        {
                            finished.Add(_waiters[i].Done);
                            _waiters.RemoveAt(i);
                        }
                    }
                }
                else
                {
                    txKey = null;
                }
            }

            if (_pending.Remove(key, out answer))
            {
                // answered below, outside the lock
            }
            else if (!_broadcasts.ContainsKey(key) || _broadcasts[key] == null)
            {
                // An answer that raced ahead of its registration (or to a request of an earlier run): keep a few.
                if (!_unclaimed.ContainsKey(key))
                {
                    _unclaimed[key] = status;
                    _unclaimedOrder.Enqueue(key);
                    while (_unclaimedOrder.Count > MaxUnclaimed)
                    {
                        _unclaimed.Remove(_unclaimedOrder.Dequeue());
                    }
                }
            }
        }

        answer?.TrySetResult(status);
        foreach (TaskCompletionSource<ChainStatusBody> done in finished)
        {
            done.TrySetResult(status);
        }

        if (txKey != null)
        {
            TransactionStatusReceived?.Invoke(Convert.FromHexString(txKey), status);
        }
    }
}
