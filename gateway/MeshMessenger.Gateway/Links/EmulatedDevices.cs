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
/// chain, sealed direct messages, channel posts, receipts), plus the people who join through the web app.
/// Emulated devices befriend their neighbours in a ring, write direct messages, channel and public posts at
/// the configured rate and read what they receive; everyone hears everything the gateway stores, as direct
/// neighbours would. Their frames take the same verified ingest path as a radio's.
/// </summary>
public sealed class EmulatedDevices : BackgroundService
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
    private readonly EmulateOptions _emulate;
    private readonly FrameIngest _ingest;
    private readonly GatewayCounters _counters;
    private readonly NodeDirectory _directory;
    private readonly GatewayDatabase _database;
    private readonly PeopleFile _people;
    private readonly ILogger<EmulatedDevices> _log;
    private readonly Random _random;

    /// <summary>
    /// Creates the devices (each carrying on from what the gateway's store holds of it) and the people saved
    /// in data/people.json, before the web server takes requests: the host resolves hosted services first.
    /// </summary>
    public EmulatedDevices(IOptions<GatewayOptions> options, FrameIngest ingest, GatewayCounters counters, NodeDirectory directory, GatewayDatabase database, ILogger<EmulatedDevices> log)
    {
        _emulate = options.Value.Emulate;
        _ingest = ingest;
        _counters = counters;
        _directory = directory;
        _database = database;
        _log = log;
        _people = new PeopleFile(Path.Combine(options.Value.DataDirectory, "people.json"));
        _random = new Random(_emulate.Seed);
        for (int i = 0; i < _emulate.Devices; i++)
        {
            var root = new byte[32];
            _random.NextBytes(root);
            Create(NodeIdentity.FromRootSecret(root), i < Names.Length ? Names[i] : $"virtual-{i + 1}", isPerson: false, _random);
        }

        for (int i = 0; i < _emulate.Devices && _emulate.Devices > 1; i++)
        {
            Befriend(_devices[i], _devices[(i + 1) % _emulate.Devices]);
        }

        RestorePeople();
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
    }

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
            if (device.IsPerson)
            {
                SavePeople(); // an address book, a channel or a read mark may have changed
            }
        }

        _wake.Release();
        return result;
    }

    /// <summary>
    /// A person joins through the web app: a fresh identity, in the village channel, with no contacts yet.
    /// Returns the person and their access key, which only their browser keeps (the gateway stores its hash).
    /// </summary>
    /// <exception cref="InvalidOperationException">The gateway already hosts <see cref="MaxPeople"/> people.</exception>
    public (VirtualDevice Person, string AccessKey) AddPerson(string name)
    {
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        VirtualDevice person;
        lock (_gate)
        {
            if (_devices.Count(d => d.IsPerson) >= MaxPeople)
            {
                throw new InvalidOperationException($"this gateway hosts {MaxPeople} people already");
            }

            person = Create(NodeIdentity.FromRootSecret(RandomNumberGenerator.GetBytes(32)), name, isPerson: true, null);
            person.AccessKeyHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
            SavePeople();
        }

        _wake.Release();
        return (person, key);
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

    private VirtualDevice Create(NodeIdentity identity, string name, bool isPerson, Random? placement)
    {
        var store = new MemoryEntryStore();
        StoredHistory.LoadInto(_database, identity.Id, store);
        var node = new MessengerNode(identity, name, store, _clock, FrameLimits.Ip, restoring: false);
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

    private void RestorePeople()
    {
        (List<PersonRecord> people, string? problem) = _people.Load();
        if (problem is not null)
        {
            _log.LogWarning("people who joined through the web app are not restored: {Problem}", problem);
        }

        foreach (PersonRecord record in people.Take(MaxPeople))
        {
            if (BackupCode.TryRestore(record.BackupCode, out NodeIdentity? identity) != Protocol.ProtocolError.None)
            {
                _log.LogWarning("{File}: the backup code of {Name} is not valid; skipped", _people.Path, record.Name);
                continue;
            }

            VirtualDevice person = Create(identity!, record.Name, isPerson: true, null);
            person.AccessKeyHash = record.AccessKeyHash is { Length: 64 } hash ? Convert.FromHexString(hash) : RandomNumberGenerator.GetBytes(32); // no valid hash: nobody gets in
            foreach (string contact in record.Contacts)
            {
                if (uint.TryParse(contact, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out uint id))
                {
                    person.Contacts.Add(id);
                }
            }

            foreach (string invite in record.Channels)
            {
                if (ChannelKey.TryParse(invite, out ChannelKey? channel) == Protocol.ProtocolError.None)
                {
                    person.Join(channel!);
                }
            }

            foreach ((string peer, uint read) in record.ReadUpTo)
            {
                if (uint.TryParse(peer, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out uint id))
                {
                    person.ReadUpTo[id] = read;
                }
            }
        }

        if (people.Count > 0)
        {
            _log.LogInformation("{People} people restored from {File}", people.Count, _people.Path);
        }
    }

    private void SavePeople() => _people.Save(_devices.Where(d => d.IsPerson).Select(d => new PersonRecord(
        d.Name,
        BackupCode.Create(d.Identity),
        [.. d.Contacts.Select(c => c.ToString("x8", System.Globalization.CultureInfo.InvariantCulture))],
        [.. d.Channels.Values.Select(c => c.ToText())],
        d.ReadUpTo.ToDictionary(r => r.Key.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), r => r.Value),
        d.AccessKeyHash is null ? null : Convert.ToHexStringLower(d.AccessKeyHash))));

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
                _directory.Heard(from.Id, IngestSource.Emulator, from.RssiDbm, from.SnrDb);
                try
                {
                    await _ingest.IngestAsync(frame, IngestSource.Emulator, "emulator", ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                _counters.Add("emulator_frames");
            }
        }
    }

    private sealed class WallClock : IClock
    {
        public long MonotonicMilliseconds => Environment.TickCount64;

        public uint EntrySeconds => EntryTime.FromUnixSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
