using System;
using System.Collections.Generic;
using System.Linq;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Wallet.Tests.Mesh;

/// <summary>
/// Real MessengerNodes in one process and the radio between them: every frame a node queues reaches every other
/// node, under one lock (<see cref="Sync"/>), which the harnesses built on it share with their chain links.
/// </summary>
internal sealed class MeshAir
{
    private readonly List<MessengerNode> _nodes = [];

    public object Sync { get; } = new();

    public IReadOnlyList<MessengerNode> Nodes => _nodes;

    public static NodeIdentity Identity(byte fill) => NodeIdentity.FromRootSecret(Enumerable.Repeat(fill, 32).ToArray());

    /// <summary>A new node on this air (LoRa frame size, memory store).</summary>
    public MessengerNode Add(NodeIdentity identity, string name)
    {
        var node = new MessengerNode(identity, name, new MemoryEntryStore(), new Clock(), FrameLimits.LoRa, restoring: false);
        _nodes.Add(node);
        return node;
    }

    /// <summary>
    /// Carries frames until the air is quiet (at most 50 rounds). <paramref name="alsoEachRound"/> runs under the lock
    /// after each round and says whether it did anything (that keeps the pump going).
    /// </summary>
    public void Pump(Func<bool>? alsoEachRound = null)
    {
        lock (Sync)
        {
            for (int round = 0; round < 50; round++)
            {
                bool any = false;
                foreach (MessengerNode sender in _nodes)
                {
                    foreach (byte[] frame in sender.TakeOutbox())
                    {
                        any = true;
                        foreach (MessengerNode receiver in _nodes.Where(n => n != sender))
                        {
                            receiver.Receive(frame, 0, frame.Length);
                        }
                    }
                }

                if (alsoEachRound?.Invoke() == true)
                {
                    any = true;
                }

                if (!any)
                {
                    return;
                }
            }
        }
    }

    private sealed class Clock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => 60_000_000;
    }
}
