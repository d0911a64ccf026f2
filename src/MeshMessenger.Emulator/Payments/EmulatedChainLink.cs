using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Mesh;

namespace MeshMessenger.Emulator.Payments;

/// <summary>
/// <see cref="IMeshChainLink"/> for a virtual device: a request is appended to the device's node and taken into its
/// radio queue at the current simulated instant. It notes which statuses answer an outstanding request, because
/// <see cref="MeshChainBackend"/> completes answers on the thread pool: the emulation then waits (in real time, with
/// the simulated clock stopped) until the wallet code has moved on, so the run stays deterministic.
/// </summary>
internal sealed class EmulatedChainLink : IMeshChainLink
{
    private readonly Emulation _emulation;
    private readonly VirtualDevice _device;
    private readonly Action<uint, ChainRequestBody> _sent;
    private readonly HashSet<uint> _outstanding = [];
    private readonly object _sync = new();
    private long _requests;
    private long _requestsAtAnswer;
    private int _answered;

    public EmulatedChainLink(Emulation emulation, VirtualDevice device, Action<uint, ChainRequestBody> sent)
    {
        _emulation = emulation;
        _device = device;
        _sent = sent;
        device.App.Node.PaymentEntryReceived += OnPaymentEntry;
    }

    public event PaymentEntryHandler? PaymentEntryReceived;

    public uint NodeId => _device.Identity.Id;

    /// <summary>Requests sent so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Statuses that answered an outstanding request and whose wallet continuation has not been waited for.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>
    /// <see cref="Requests"/> when the last answer arrived: the wallet has moved on once it asks again beyond this, even
    /// if it did so on the thread pool before the emulation looked.
    /// </summary>
    public long RequestsAtAnswer => Interlocked.Read(ref _requestsAtAnswer);

    public uint SendChainRequest(uint gateway, ChainRequestBody body)
    {
        lock (_sync)
        {
            uint sequence = _device.App.Node.SendChainRequest(gateway, body);
            _outstanding.Add(sequence);
            _sent(sequence, body);
            _emulation.Flush(_device);
            Interlocked.Increment(ref _requests);
            return sequence;
        }
    }

    public IReadOnlyList<uint> GatewaysServing(ChainTag chain)
    {
        var result = new List<uint>();
        lock (_sync)
        {
            foreach (Protocol.Identity.Profile profile in _device.App.Node.Chains.KnownProfiles())
            {
                if (profile.NodeId != NodeId && profile.ServedChains.Any(chain.Equals))
                {
                    result.Add(profile.NodeId);
                }
            }
        }

        result.Sort();
        return result;
    }

    /// <summary>The wallet call awaiting an answer on this link, or null (set and cleared on the emulation's thread).</summary>
    public Task? Current { get; set; }

    /// <summary>The answer has been taken up by the wallet.</summary>
    public void Settled() => Volatile.Write(ref _answered, 0);

    private void OnPaymentEntry(uint author, uint sequence, EntryKind kind, byte[] body)
    {
        if (kind == EntryKind.ChainStatus && ChainStatusBody.TryDecode(body, out ChainStatusBody? status) == ProtocolError.None)
        {
            lock (_sync)
            {
                if (_outstanding.Remove(status!.RequestSequence))
                {
                    Interlocked.Exchange(ref _requestsAtAnswer, Interlocked.Read(ref _requests));
                    Interlocked.Increment(ref _answered);
                }
            }
        }

        PaymentEntryReceived?.Invoke(author, sequence, kind, body);
    }
}
