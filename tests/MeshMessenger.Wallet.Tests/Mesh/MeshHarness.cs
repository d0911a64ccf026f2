using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Payments;
using MeshMessenger.Wallet.Mesh;

namespace MeshMessenger.Wallet.Tests.Mesh;

/// <summary>
/// Real MessengerNodes (a wallet, gateways, a bystander) in one process: a background pump moves every frame from
/// each node to the others (the radio) under one lock, and lets each gateway answer the chain requests it opened
/// with statuses the test composes (a real <c>SendChainStatus</c>, sealed to the wallet). A gateway whose answerer
/// returns null stays silent.
/// </summary>
internal sealed class MeshHarness : IDisposable
{
    private readonly MeshAir _air = new();
    private readonly Dictionary<uint, Func<uint, ChainRequestBody, ChainStatusBody?>> _answerers = [];
    private readonly List<(uint Gateway, uint Requester, uint Sequence, ChainRequestBody Body)> _inbox = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public MeshHarness(ChainTag chain, int gateways)
    {
        Wallet = Node(1, "wallet");
        for (int i = 0; i < gateways; i++)
        {
            MessengerNode gateway = Node((byte)(10 + i), "gateway" + i);
            gateway.UpdateProfile("gateway" + i, null, [chain]);
            Gateways.Add(gateway);
            gateway.PaymentEntryReceived += (author, sequence, kind, body) =>
            {
                if (kind == EntryKind.ChainRequest && ChainRequestBody.TryDecode(body, out ChainRequestBody? request) == Protocol.ProtocolError.None)
                {
                    _inbox.Add((gateway.Id, author, sequence, request!));
                    Requests.Add((gateway.Id, sequence, request!));
                }
            };
        }

        Bystander = Node(30, "bystander");
        Pump();
        Link = new MessengerNodeChainLink(Wallet, Sync);
        _pump = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Pump();
                await Task.Delay(2);
            }
        });
    }

    public object Sync => _air.Sync;

    public MessengerNode Wallet { get; }

    public List<MessengerNode> Gateways { get; } = [];

    public MessengerNode Bystander { get; }

    public MessengerNodeChainLink Link { get; }

    /// <summary>Every request a gateway opened, in order: (gateway, request sequence, body).</summary>
    public List<(uint Gateway, uint Sequence, ChainRequestBody Body)> Requests { get; } = [];

    public void Answer(int gateway, Func<uint, ChainRequestBody, ChainStatusBody?> answerer)
    {
        lock (Sync)
        {
            _answerers[Gateways[gateway].Id] = answerer;
        }
    }

    /// <summary>A status <paramref name="from"/> sends to the wallet now (a later stage, or a stray).</summary>
    public void Send(MessengerNode from, ChainStatusBody status)
    {
        lock (Sync)
        {
            from.SendChainStatus(Wallet.Id, status);
        }
    }

    public List<(uint Gateway, uint Sequence, ChainRequestBody Body)> RequestsSeen()
    {
        lock (Sync)
        {
            return [.. Requests];
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _pump.Wait();
        _stop.Dispose();
    }

    private MessengerNode Node(byte fill, string name) => _air.Add(MeshAir.Identity(fill), name);

    private void Pump() => _air.Pump(AnswerOpened);

    // Lets each gateway answer the chain requests it opened since the last round; true if there were any.
    private bool AnswerOpened()
    {
        var opened = _inbox.ToArray();
        _inbox.Clear();
        foreach (var (gateway, requester, sequence, body) in opened)
        {
            if (_answerers.TryGetValue(gateway, out var answerer) && answerer(sequence, body) is ChainStatusBody status)
            {
                _air.Nodes.First(n => n.Id == gateway).SendChainStatus(requester, status);
            }
        }

        return opened.Length > 0;
    }
}
