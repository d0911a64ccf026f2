using System.Security.Cryptography;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Storage;
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
/// chain, sealed direct messages, channel posts, receipts). They are demo devices: the gateway holds their keys,
/// so any page may act as them and read their messages. Emulated devices befriend their neighbours in a ring, write direct messages, channel and public posts at
/// the configured rate and read what they receive; everyone hears everything the gateway stores, as direct
/// neighbours would. Their frames take the same verified ingest path as a radio's.
/// </summary>
public sealed class EmulatedDevices : BackgroundService
{
    /// <summary>The demo channel every virtual device is in. Its secret is public (derived from its name): it is for trying channels, not for secrets.</summary>
    public static readonly ChannelKey Village = new("village", SHA256.HashData("MeshMessenger demo channel: village"u8.ToArray()));

    private static readonly string[] Names = ["Amina", "Bo", "Chidi", "Dara", "Emil", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Noor", "Oskar", "Priya"];

    private readonly List<VirtualDevice> _devices = [];
    private readonly object _gate = new();
    private readonly WallClock _clock = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly EmulateOptions _emulate;
    private readonly FrameIngest _ingest;
    private readonly GatewayCounters _counters;
    private readonly NodeDirectory _directory;
    private readonly GatewayDatabase _database;
    private readonly ILogger<EmulatedDevices> _log;
    private readonly Random _random;

    // What each hosted node may write through the API, guarded by _gate; the emulated devices' own chatter and
    // receipts are the gateway's doing and are not charged.
    private readonly RateLimiter _writeBudget;


    /// <summary>
    /// Creates the devices (each carrying on from what the gateway's store holds of it) before the web server takes
    /// requests: the host resolves hosted services first.
    /// </summary>
    public EmulatedDevices(IOptions<GatewayOptions> options, FrameIngest ingest, GatewayCounters counters, NodeDirectory directory, GatewayDatabase database, ILogger<EmulatedDevices> log)
    {
        _emulate = options.Value.Emulate;
        _ingest = ingest;
        _counters = counters;
        _directory = directory;
        _database = database;
        _log = log;
        _writeBudget = new RateLimiter(options.Value.RateLimitPerMinute, options.Value.RateLimitBurst);
        _random = new Random(_emulate.Seed);
        for (int i = 0; i < _emulate.Devices; i++)
        {
            var root = new byte[32];
            _random.NextBytes(root);
            Create(NodeIdentity.FromRootSecret(root), i < Names.Length ? Names[i] : $"virtual-{i + 1}", _random);
        }

        for (int i = 0; i < _emulate.Devices && _emulate.Devices > 1; i++)
        {
            Befriend(_devices[i], _devices[(i + 1) % _emulate.Devices]);
        }

        ingest.Stored += entry =>
        {
            byte[] frame = FrameCodec.Encode(new Frame(FrameType.Entry, 0, 0, false, 0, 0, entry.Encoded), FrameLimits.Ip);
            lock (_gate)
            {
                foreach (VirtualDevice device in _devices)
                {
                    if (device.Id == entry.Author)
                    {
                        device.StoredThrough = Math.Max(device.StoredThrough, entry.Sequence);
                        if (_devices.Count > 1)
                        {
                            device.SentThrough = Math.Max(device.SentThrough, entry.Sequence); // the others receive it below
                        }

                        continue; // its own entry: the node holds it already
                    }

                    device.Node.Receive(frame, 0, frame.Length);
                }
            }

            _wake.Release(); // receipts to send
        };
    }

    /// <summary>A snapshot of the devices.</summary>
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

    /// <summary>
    /// Has device <paramref name="id"/> write (a message, a post, a receipt) and returns only once every entry it
    /// wrote is committed to the gateway's store, so an answer built from the result is a promise that survives
    /// kill -9: the node is rebuilt from that store on restart. A node over its write budget is refused before
    /// anything is appended; if the store cannot keep what was written, the node is rebuilt from the store, so its
    /// chain has no hole and no sequence number is reused by a message that went out.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such device.</exception>
    /// <exception cref="HostedWriteRefusedException">Over budget (429) or not stored (503).</exception>
    public async Task<T> WriteAsync<T>(uint id, Func<VirtualDevice, T> compose)
    {
        SemaphoreSlim writing;
        lock (_gate)
        {
            writing = (_devices.Find(d => d.Id == id) ?? throw new KeyNotFoundException($"no device {id:x8} on this gateway")).Writing;
        }

        await writing.WaitAsync().ConfigureAwait(false);
        try
        {
            T result;
            byte[][] frames;
            VirtualDevice device;
            uint before;
            uint wrote;
            lock (_gate)
            {
                device = _devices.Find(d => d.Id == id) ?? throw new KeyNotFoundException($"no device {id:x8} on this gateway");
                string budget = id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
                long now = Environment.TickCount64;
                if (!_writeBudget.HasToken(budget, now))
                {
                    TimeSpan wait = _writeBudget.RetryAfter(budget, now);
                    _counters.Add("api_writes_refused_budget");
                    throw new HostedWriteRefusedException($"{device.Name} is writing faster than this gateway allows; try again in {Math.Ceiling(wait.TotalSeconds)} s", 429, wait);
                }

                before = device.Node.OwnChain.NextSequence;
                result = compose(device);
                wrote = device.Node.OwnChain.NextSequence;
                if (wrote != before)
                {
                    _writeBudget.Spend(budget, now);
                }

                frames = device.Node.TakeOutbox();
            }

            await CommitAsync(device, frames, wrote == before ? -1 : wrote - 1L).ConfigureAwait(false);
            _wake.Release();
            return result;
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>
    /// Stores what a node composed and waits for the commit. Once composed, the frames go to the store whatever
    /// happens to the request that asked for them. If the store did not keep them, or its own chain is not stored
    /// through <paramref name="mustStoreThrough"/>, the node is rebuilt from the store and the write refused.
    /// </summary>
    private async Task CommitAsync(VirtualDevice device, byte[][] frames, long mustStoreThrough)
    {
        string? problem = null;
        foreach (byte[] frame in frames)
        {
            IngestOutcome outcome = await _ingest.IngestAsync(frame, IngestSource.Emulator, "emulator", CancellationToken.None).ConfigureAwait(false);
            _counters.Add("emulator_frames");
            if (outcome is not (IngestOutcome.Stored or IngestOutcome.Duplicate or IngestOutcome.NotStored))
            {
                problem ??= outcome.ToString();
            }
        }

        if (problem is not null || device.StoredThrough < mustStoreThrough)
        {
            Rebuild(device);
            _counters.Add("api_writes_failed_store");
            throw new HostedWriteRefusedException($"the gateway could not store what {device.Name} wrote ({problem ?? "not stored"}); nothing was sent, try again", 503, null);
        }
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
        EmulateOptions emulate = _emulate;
        Random random = _random;
        if (emulate.Devices > 0)
        {
            _log.LogInformation("{Devices} emulated devices writing {Rate} messages a minute", emulate.Devices, emulate.MessagesPerMinute);
        }

        TimeSpan interval = TimeSpan.FromMinutes(1 / emulate.MessagesPerMinute);
        DateTime nextChat = DateTime.UtcNow + interval; // the first message after one interval, as a device that just woke
        while (!stoppingToken.IsCancellationRequested)
        {
            await FlushAllAsync(stoppingToken).ConfigureAwait(false);
            if (emulate.Devices > 0 && DateTime.UtcNow >= nextChat)
            {
                nextChat = DateTime.UtcNow + interval;
                lock (_gate)
                {
                    try
                    {
                        Chat(random, emulate.Devices);
                    }
                    catch (Protocol.ProtocolException e)
                    {
                        // A device that cannot write now (a friend's key not heard yet) skips its turn; the gateway goes on.
                        _log.LogDebug("an emulated device skipped its turn: {Reason}", e.Message);
                    }
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

    /// <summary>A protocol node for <paramref name="identity"/> that carries on from what the gateway's store holds of it.</summary>
    private MessengerNode NewNode(NodeIdentity identity, string name, out long storedThrough)
    {
        // The gateway's virtual devices keep their whole history for the web app: host caps.
        var store = new MemoryEntryStore(65536, 1 << 20);
        StoredHistory.LoadInto(_database, identity.Id, store);
        storedThrough = store.TryGetRange(identity.Id, out _, out uint high) ? high : -1;
        var node = new MessengerNode(identity, name, store, _clock, FrameLimits.Ip, false, new Ed25519SignatureVerifier(), NodeLimits.Host);
        foreach (VirtualDevice other in _devices.Where(d => d.Id != identity.Id))
        {
            node.AddContact(ContactCard.Create(other.Identity, other.Name, null)); // already heard through the gateway
        }

        return node;
    }

    /// <summary>Replaces a node whose newest entries the store did not keep by one rebuilt from the store.</summary>
    private void Rebuild(VirtualDevice device)
    {
        lock (_gate)
        {
            device.Node = NewNode(device.Identity, device.Name, out long storedThrough);
            device.StoredThrough = storedThrough;
            device.SentThrough = Math.Min(device.SentThrough, storedThrough);
            foreach (MeshMessenger.Protocol.Sealing.ChannelKey channel in device.Channels.Values.ToList())
            {
                device.Join(channel);
            }

        }

        _log.LogWarning("{Name}'s node was rebuilt from the store after a write the store did not keep", device.Name);
    }

    private VirtualDevice Create(NodeIdentity identity, string name, Random placement)
    {
        MessengerNode node = NewNode(identity, name, out long storedThrough);

        // A simulated link to the gateway: log-distance path loss with Bor et al.'s parameters (PL(40 m) =
        // 127.41 dB, exponent 2.08, as LoRaSim and Meshtasticator use), 20 dBm transmit power and the noise
        // floor of a 250 kHz channel with a 6 dB noise figure (−174 + 10·log10(250e3) + 6 ≈ −114 dBm).
        double distance = 100 + (placement.NextDouble() * 500);
        double rssi = 20 - (127.41 + (10 * 2.08 * Math.Log10(distance / 40)));
        var device = new VirtualDevice(identity, node, Math.Round(rssi, 1), Math.Round(rssi + 114, 1)) { StoredThrough = storedThrough, SentThrough = storedThrough };
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
            writer.Node.SendText(friend, Phrases.Pick(Phrases.Direct, random));
        }
        else if (roll < 0.8)
        {
            writer.Node.PostToChannel(Village.Id, Phrases.Pick(Phrases.Channel, random));
        }
        else
        {
            writer.Node.PostPublic(Phrases.Pick(Phrases.Public, random));
        }

        foreach (VirtualDevice reader in _devices.Take(emulated).Where(_ => random.NextDouble() < 0.5))
        {
            foreach (uint peer in reader.NewestFrom.Keys.ToList())
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
            VirtualDevice[] devices;
            lock (_gate)
            {
                devices = [.. _devices];
            }

            bool any = false;
            foreach (VirtualDevice device in devices)
            {
                // Taken and stored under the device's write lock, as an API write is (WriteAsync): otherwise an API
                // write could store the device's next entry while an earlier one still waits here, and the store
                // would refuse it for its link (BrokenLink) and the API answer 503 under load.
                try
                {
                    await device.Writing.WaitAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    byte[][] frames;
                    lock (_gate)
                    {
                        frames = device.Node.TakeOutbox();
                    }

                    any |= frames.Length > 0;
                    foreach (byte[] frame in frames)
                    {
                        _directory.Heard(device.Id, IngestSource.Emulator, device.RssiDbm, device.SnrDb);
                        IngestOutcome outcome;
                        try
                        {
                            outcome = await _ingest.IngestAsync(frame, IngestSource.Emulator, "emulator", ct).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }

                        if (outcome == IngestOutcome.StoreFailed)
                        {
                            Rebuild(device); // what the store did not keep must not stay in the node's chain
                        }

                        _counters.Add("emulator_frames");
                    }
                }
                finally
                {
                    device.Writing.Release();
                }
            }

            if (!any)
            {
                return;
            }
        }
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
