using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Chains;
using MeshMessenger.Wallet.Mesh;
using MeshMessenger.Wallet.Relay;

namespace MeshMessenger.Wallet.Tests.Mesh;

/// <summary>
/// Real MessengerNodes in one process, every frame carried to every other node (the radio) under one lock: a wallet,
/// a silent gateway (its profile serves the chains, no relay behind it: it never answers), a gateway running the real
/// <see cref="ChainRelay"/> over real backends and a bystander. The gateway runs requests as the gateway's
/// ChainAccessService does: each opened ChainRequest from PaymentEntryReceived through HandleAsync, and PollAsync
/// every 200 ms, every status sealed back with SendChainStatus.
/// </summary>
internal sealed class RelayMeshHarness : IDisposable
{
    private readonly MeshAir _air = new();
    private readonly Channel<(uint Requester, uint Sequence, ChainRequestBody Body)> _work = Channel.CreateUnbounded<(uint, uint, ChainRequestBody)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;

    public RelayMeshHarness(params IChainBackend[] backends)
    {
        ChainTag[] chains = backends.Select(b => b.Chain).ToArray();
        Relay = new ChainRelay(backends, new MemoryRelayJournal(), new RelayLimits(RequestsPerMinute: 1000, TrackedTransactions: 64));
        WalletIdentity = Identity(1);
        Wallet = Node(WalletIdentity, "wallet");
        Silent = Node(Identity(10), "silent");
        Silent.UpdateProfile("silent", null, chains);
        Gateway = Node(Identity(11), "gateway");
        Gateway.UpdateProfile("gateway", null, chains);
        BystanderIdentity = Identity(30);
        Bystander = Node(BystanderIdentity, "bystander");

        Silent.PaymentEntryReceived += (author, sequence, kind, body) => Record(SilentRequests, kind, body);
        Gateway.PaymentEntryReceived += (author, sequence, kind, body) =>
        {
            if (Record(GatewayRequests, kind, body) is ChainRequestBody request)
            {
                _work.Writer.TryWrite((author, sequence, request));
            }
        };
        Bystander.PaymentEntryReceived += (author, sequence, kind, body) => BystanderPayments.Add(kind);

        Pump(); // profiles first: the wallet learns the gateways and their agreement keys
        Link = new MessengerNodeChainLink(Wallet, Sync);
        _loops = [Task.Run(PumpLoop), Task.Run(ServeLoop), Task.Run(PollLoop)];
    }

    public object Sync => _air.Sync;

    public ChainRelay Relay { get; }

    public NodeIdentity WalletIdentity { get; }

    public NodeIdentity BystanderIdentity { get; }

    public MessengerNode Wallet { get; }

    public MessengerNode Silent { get; }

    public MessengerNode Gateway { get; }

    public MessengerNode Bystander { get; }

    public MessengerNodeChainLink Link { get; }

    /// <summary>Requests the silent gateway opened (and never answered).</summary>
    public List<ChainRequestBody> SilentRequests { get; } = [];

    /// <summary>Requests the relay gateway opened.</summary>
    public List<ChainRequestBody> GatewayRequests { get; } = [];

    /// <summary>Kinds of the payment entries the bystander could open.</summary>
    public List<EntryKind> BystanderPayments { get; } = [];

    /// <summary>What the relay loops threw (nothing, in a passing test).</summary>
    public List<Exception> Faults { get; } = [];

    public List<ChainRequestBody> Seen(List<ChainRequestBody> requests)
    {
        lock (Sync)
        {
            return [.. requests];
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _work.Writer.TryComplete();
        Task.WaitAll(_loops);
        _stop.Dispose();
    }

    private static NodeIdentity Identity(byte fill) => MeshAir.Identity(fill);

    private static ChainRequestBody? Record(List<ChainRequestBody> into, EntryKind kind, byte[] body)
    {
        if (kind != EntryKind.ChainRequest || ChainRequestBody.TryDecode(body, out ChainRequestBody? request) != Protocol.ProtocolError.None)
        {
            return null;
        }

        into.Add(request!);
        return request;
    }

    private MessengerNode Node(NodeIdentity identity, string name) => _air.Add(identity, name);

    private void Send(uint requester, ChainStatusBody status)
    {
        lock (Sync)
        {
            Gateway.SendChainStatus(requester, status);
        }
    }

    private async Task ServeLoop()
    {
        try
        {
            await foreach ((uint requester, uint sequence, ChainRequestBody body) in _work.Reader.ReadAllAsync(_stop.Token))
            {
                foreach (ChainStatusBody status in await Relay.HandleAsync(requester, sequence, body, _stop.Token))
                {
                    Send(requester, status);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Faults.Add(e);
        }
    }

    private async Task PollLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach ((uint requester, ChainStatusBody status) in await Relay.PollAsync(_stop.Token))
                {
                    Send(requester, status);
                }

                await Task.Delay(200, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Faults.Add(e);
        }
    }

    private async Task PumpLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Pump();
            await Task.Delay(2);
        }
    }

    private void Pump() => _air.Pump();
}
