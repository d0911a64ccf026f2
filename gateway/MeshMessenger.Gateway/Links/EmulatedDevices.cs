using System.Security.Cryptography;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Sealing;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// <c>--emulate N</c>: N virtual devices around the gateway, each a real protocol node (identity, signed
/// chain, sealed direct messages, channel posts, receipts), plus the people who join through the web app.
/// Emulated devices befriend their neighbours in a ring, write direct messages, channel and public posts at
/// the configured rate and read what they receive; everyone hears everything the gateway stores, as direct
/// neighbours would. Their frames take the same verified ingest path as a radio's.
/// </summary>
public sealed class EmulatedDevices(IOptions<GatewayOptions> options, FrameIngest ingest, GatewayCounters counters, NodeDirectory directory, ILogger<EmulatedDevices> log) : BackgroundService
{
    /// <summary>People who may join through the web app at most (each holds a node in memory).</summary>
    public const int MaxPeople = 64;

    /// <summary>The demo channel every virtual device and person is in. Its secret is public (derived from its name): it is for trying channels, not for secrets.</summary>
    public static readonly ChannelKey Village = new("village", SHA256.HashData("MeshMessenger demo channel: village"u8.ToArray()));

    private static readonly string[] Names = ["Amina", "Bo", "Chidi", "Dara", "Emil", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Noor", "Oskar", "Priya"];

    private readonly List<VirtualDevice> _devices = [];
    private readonly object _gate = new();
    private readonly WallClock _clock = new();
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>A snapshot of the devices and people.</summary>
    public IReadOnlyList<VirtualDevice> Devices
    {
        get
        {
            lock (_gate)
            {
                return [.. _devices];
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on device <paramref name="id"/> while no one else touches any node,
    /// then sends whatever it queued.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such device.</exception>
    public T Use<T>(uint id, Func<VirtualDevice, T> action)
    {
        T result;
        lock (_gate)
        {
            VirtualDevice device = _devices.Find(d => d.Id == id) ?? throw new KeyNotFoundException($"no device {id:x8} on this gateway");
            result = action(device);
        }

        _wake.Release();
        return result;
    }

    /// <summary>A person joins through the web app: a fresh identity, in the village channel, with no contacts yet.</summary>
    /// <exception cref="InvalidOperationException">The gateway already hosts <see cref="MaxPeople"/> people.</exception>
    public VirtualDevice AddPerson(string name)
    {
        VirtualDevice person;
        lock (_gate)
        {
            if (_devices.Count(d => d.IsPerson) >= MaxPeople)
            {
                throw new InvalidOperationException($"this gateway hosts {MaxPeople} people already");
            }

            person = Create(NodeIdentity.FromRootSecret(RandomNumberGenerator.GetBytes(32)), name, isPerson: true, null);
        }

        _wake.Release();
        return person;
    }

    /// <summary>Hands a frame to the device that is node <paramref name="node"/>.</summary>
    public void DeliverTo(uint node, byte[] frame)
    {
        lock (_gate)
        {
            foreach (VirtualDevice device in _devices.Where(d => d.Id == node))
            {
                device.Node.Receive(frame, 0, frame.Length);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EmulateOptions emulate = options.Value.Emulate;
        var random = new Random(emulate.Seed);
        lock (_gate)
        {
            for (int i = 0; i < emulate.Devices; i++)
            {
                var root = new byte[32];
                random.NextBytes(root);
                string name = i < Names.Length ? Names[i] : $"virtual-{i + 1}";
                Create(NodeIdentity.FromRootSecret(root), name, isPerson: false, random);
            }

            for (int i = 0; i < emulate.Devices && emulate.Devices > 1; i++)
            {
                Befriend(_devices[i], _devices[(i + 1) % emulate.Devices]);
            }
        }

        ingest.Stored += entry =>
        {
            byte[] frame = FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0, entry.Encoded), FrameLimits.Ip);
            lock (_gate)
            {
                foreach (VirtualDevice device in _devices)
                {
                    device.Node.Receive(frame, 0, frame.Length);
                }
            }

            _wake.Release(); // receipts to send
        };

        if (emulate.Devices > 0)
        {
            log.LogInformation("{Devices} emulated devices writing {Rate} messages a minute", emulate.Devices, emulate.MessagesPerMinute);
        }

        TimeSpan interval = TimeSpan.FromMinutes(1 / emulate.MessagesPerMinute);
        DateTime nextChat = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            await FlushAllAsync(stoppingToken).ConfigureAwait(false);
            if (emulate.Devices > 0 && DateTime.UtcNow >= nextChat)
            {
                nextChat = DateTime.UtcNow + interval;
                lock (_gate)
                {
                    Chat(random, emulate.Devices);
                }

                continue;
            }

            try
            {
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(200), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private VirtualDevice Create(NodeIdentity identity, string name, bool isPerson, Random? placement)
    {
        var node = new MessengerNode(identity, name, new MemoryEntryStore(), _clock, FrameLimits.Ip, restoring: false);
        foreach (VirtualDevice other in _devices)
        {
            node.AddContact(ContactCard.Create(other.Identity, other.Name, null)); // already heard through the gateway
        }

        // A simulated link to the gateway: log-distance path loss with Bor et al.'s parameters (PL(40 m) =
        // 127.41 dB, exponent 2.08, as LoRaSim and Meshtasticator use), 20 dBm transmit power and the noise
        // floor of a 250 kHz channel with a 6 dB noise figure (−174 + 10·log10(250e3) + 6 ≈ −114 dBm).
        double distance = placement is null ? 120 : 100 + (placement.NextDouble() * 500);
        double rssi = 20 - (127.41 + (10 * 2.08 * Math.Log10(distance / 40)));
        var device = new VirtualDevice(identity, node, isPerson, Math.Round(rssi, 1), Math.Round(rssi + 114, 1));
        device.Join(Village);
        _devices.Add(device);
        return device;
    }

    private static void Befriend(VirtualDevice a, VirtualDevice b)
    {
        a.Contacts.Add(b.Id);
        b.Contacts.Add(a.Id);
    }

    /// <summary>One emulated device writes something; each reads what it has received with even odds.</summary>
    private void Chat(Random random, int emulated)
    {
        VirtualDevice writer = _devices[random.Next(emulated)];
        double roll = random.NextDouble();
        if (roll < 0.6 && writer.Contacts.Count > 0)
        {
            uint friend = writer.Contacts.ElementAt(random.Next(writer.Contacts.Count));
            writer.Node.SendText(friend, Phrases.Direct[random.Next(Phrases.Direct.Length)]);
        }
        else if (roll < 0.8)
        {
            writer.Node.PostToChannel(Village.Id, Phrases.Channel[random.Next(Phrases.Channel.Length)]);
        }
        else
        {
            writer.Node.PostPublic(Phrases.Public[random.Next(Phrases.Public.Length)]);
        }

        foreach (VirtualDevice reader in _devices.Take(emulated).Where(_ => random.NextDouble() < 0.5))
        {
            foreach (uint peer in reader.Node.Messages.Cast<MessageRecord>().Where(m => m.Kind == EntryKind.Text && !m.Outgoing).Select(m => m.Author).Distinct().ToList())
            {
                reader.ReadFrom(peer);
            }
        }
    }

    private async Task FlushAllAsync(CancellationToken ct)
    {
        // Several rounds: a stored message makes its recipient answer with a receipt.
        for (int round = 0; round < 3; round++)
        {
            var frames = new List<(VirtualDevice From, byte[] Frame)>();
            lock (_gate)
            {
                foreach (VirtualDevice device in _devices)
                {
                    frames.AddRange(device.Node.TakeOutbox().Select(f => (device, f)));
                }
            }

            if (frames.Count == 0)
            {
                return;
            }

            foreach (var (from, frame) in frames)
            {
                directory.Heard(from.Id, IngestSource.Emulator, from.RssiDbm, from.SnrDb);
                try
                {
                    await ingest.IngestAsync(frame, IngestSource.Emulator, "emulator", ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                counters.Add("emulator_frames");
            }
        }
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
