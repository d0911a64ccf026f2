using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// <c>--emulate N</c>: N virtual devices around the gateway, each a real protocol node (identity, signed
/// chain, sealed direct messages, receipts). They befriend their neighbours in a ring, write direct
/// messages and public posts at the configured rate, and hear everything the gateway stores, as direct
/// neighbours would. Their frames take the same verified ingest path as a radio's.
/// </summary>
public sealed class EmulatedDevices(IOptions<GatewayOptions> options, FrameIngest ingest, GatewayCounters counters, ILogger<EmulatedDevices> log) : BackgroundService
{
    private readonly List<MessengerNode> _nodes = [];
    private readonly object _gate = new();

    /// <summary>The virtual devices (for tests and the web app).</summary>
    public IReadOnlyList<MessengerNode> Nodes => _nodes;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EmulateOptions emulate = options.Value.Emulate;
        if (emulate.Devices == 0)
        {
            return;
        }

        var random = new Random(emulate.Seed);
        var clock = new WallClock();
        var identities = new List<NodeIdentity>();
        for (int i = 0; i < emulate.Devices; i++)
        {
            var root = new byte[32];
            random.NextBytes(root);
            identities.Add(NodeIdentity.FromRootSecret(root));
            _nodes.Add(new MessengerNode(identities[i], $"virtual-{i + 1}", new MemoryEntryStore(), clock, FrameLimits.Ip, restoring: false));
        }

        for (int i = 0; i < _nodes.Count && _nodes.Count > 1; i++)
        {
            int j = (i + 1) % _nodes.Count;
            _nodes[i].AddContact(ContactCard.Create(identities[j], _nodes[j].Profile.Name, null));
            _nodes[j].AddContact(ContactCard.Create(identities[i], _nodes[i].Profile.Name, null));
        }

        ingest.Stored += entry =>
        {
            byte[] frame = FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0, entry.Encoded), FrameLimits.Ip);
            lock (_gate)
            {
                foreach (MessengerNode node in _nodes)
                {
                    node.Receive(frame, 0, frame.Length);
                }
            }
        };

        log.LogInformation("{Devices} emulated devices writing {Rate} messages a minute", emulate.Devices, emulate.MessagesPerMinute);
        await FlushAllAsync(stoppingToken).ConfigureAwait(false);
        TimeSpan interval = TimeSpan.FromMinutes(1 / emulate.MessagesPerMinute);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            lock (_gate)
            {
                MessengerNode writer = _nodes[random.Next(_nodes.Count)];
                if (random.NextDouble() < 0.7 && _nodes.Count > 1)
                {
                    MessengerNode friend = _nodes[(_nodes.IndexOf(writer) + 1) % _nodes.Count];
                    writer.SendText(friend.Id, $"message {random.Next(1000)} from {writer.Profile.Name}");
                }
                else
                {
                    writer.PostPublic($"news from {writer.Profile.Name}: {random.Next(1000)}");
                }
            }

            await FlushAllAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands a frame to the emulated device that is node <paramref name="node"/>.</summary>
    public void DeliverTo(uint node, byte[] frame)
    {
        lock (_gate)
        {
            foreach (MessengerNode device in _nodes.Where(n => n.Id == node))
            {
                device.Receive(frame, 0, frame.Length);
            }
        }
    }

    private async Task FlushAllAsync(CancellationToken ct)
    {
        // Several rounds: a stored message makes its recipient answer with a receipt.
        for (int round = 0; round < 3; round++)
        {
            var frames = new List<byte[]>();
            lock (_gate)
            {
                foreach (MessengerNode node in _nodes)
                {
                    frames.AddRange(node.TakeOutbox());
                }
            }

            if (frames.Count == 0)
            {
                return;
            }

            foreach (byte[] frame in frames)
            {
                await ingest.IngestAsync(frame, IngestSource.Emulator, "emulator", ct).ConfigureAwait(false);
                counters.Add("emulator_frames");
            }
        }
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => (uint)Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1735689600);
    }
}
