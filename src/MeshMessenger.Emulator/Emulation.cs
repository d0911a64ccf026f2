using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MeshMessenger.Emulator.Channel;
using MeshMessenger.Emulator.Chips;
using MeshMessenger.Emulator.Engine;
using MeshMessenger.Emulator.Metrics;
using MeshMessenger.Emulator.Scenarios;
using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Platform;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;
using MeshMessenger.Radio.Sx126x;
using MeshMessenger.Radio.Sx127x;

namespace MeshMessenger.Emulator;

/// <summary>
/// One run of a scenario under one routing policy: places devices, computes links, drives every device's
/// firmware (<see cref="DeviceApp"/>) from a discrete-event queue, and measures. Deterministic: the same
/// scenario, seed and policy give the same result. In chip mode (<see cref="Scenario.Radio"/> "sx1262" or
/// "sx1276") every device's radio is the firmware's <see cref="DriverRadioPort"/> over the real driver over a
/// simulated chip's SPI bytes over <see cref="ChipAir"/>, with the same positions, links and seed.
/// </summary>
public sealed class Emulation
{
    private readonly Scenario _scenario;
    private readonly string _policy;
    private readonly EventQueue _events = new();
    private readonly SimulationClock _clock;
    private readonly LoRaModulation _modulation;
    private readonly Region _region;
    private readonly LinkBudget _budget;
    private readonly MemoizingVerifier _verifier = new();
    private readonly ChannelKey _channel;
    private readonly Random _random;
    private readonly Dictionary<(uint Author, uint Sequence), MessageTrack> _messages = [];
    private readonly HashSet<(int Device, ulong Frame)> _heard = [];
    private readonly WipeStudy _wipes = new();
    private long _receptions;
    private long _newReceptions;
    private long _wifiFrames;
    private readonly ChipAir? _air;
    private readonly LinkMap _linkMap;
    private readonly DriverRadioPort[] _ports = [];
    private readonly SimulatedChip[] _chips = [];
    private readonly Dictionary<SimulatedChip, int> _chipIndex = [];
    private readonly HashSet<(int Device, long AtMs)> _pendingPolls = [];

    /// <summary>Prepares a run; nothing happens until <see cref="Run"/>.</summary>
    public Emulation(Scenario scenario, string policy)
    {
        scenario.Validate();
        _scenario = scenario;
        _policy = policy;
        _clock = new SimulationClock(_events, 60_000_000);
        _modulation = ModemPreset.Find(scenario.Preset)!.Modulation;
        _region = Region.Find(scenario.Region)!;
        _budget = new LinkBudget(_modulation, Math.Min(scenario.TxPowerDbm, _region.MaxPowerDbm), scenario.AntennaGainDbi, scenario.NoiseFigureDb);
        _random = new Random(scenario.Seed);
        _channel = new ChannelKey("mesh", SHA256.HashData(Encoding.UTF8.GetBytes($"channel/{scenario.Seed}")));
        Devices = Place();
        _linkMap = BuildLinkMap();
        Medium = new RadioMedium(_linkMap.Links, _modulation, _budget, BuildCad());
        if (scenario.Radio != "medium")
        {
            (_air, _ports, _chips) = BuildChips();
        }
    }

    /// <summary>True when devices run the radio drivers over simulated chips.</summary>
    public bool ChipMode => _air is not null;

    /// <summary>The chips' channel in chip mode, else null.</summary>
    public ChipAir? Air => _air;

    /// <summary>Each device's radio port in chip mode (empty otherwise).</summary>
    public IReadOnlyList<DriverRadioPort> Ports => _ports;

    /// <summary>Each device's simulated chip in chip mode, indexed as <see cref="Devices"/> (empty otherwise).</summary>
    public IReadOnlyList<SimulatedChip> Chips => _chips;

    /// <summary>The devices.</summary>
    public IReadOnlyList<VirtualDevice> Devices { get; }

    /// <summary>The channel.</summary>
    public RadioMedium Medium { get; }

    /// <summary>The link budget in use.</summary>
    public LinkBudget Budget => _budget;

    /// <summary>The profile each device is known by before the run (default: its name, no addresses, no served chains).</summary>
    public Func<VirtualDevice, Profile>? ProfileOf { get; set; }

    /// <summary>Told of every transmission: device, frame bytes, time on air in ms (relays included).</summary>
    public Action<int, byte[], long>? Transmitted { get; set; }

    /// <summary>Called after every event (hosts drain their own work queued at the current instant here).</summary>
    public Action? AfterEvent { get; set; }

    /// <summary>Checked after every event: true ends the run early at the current instant.</summary>
    public Func<bool>? StopWhen { get; set; }

    /// <summary>The simulated time, ms since the start.</summary>
    public long NowMs => _events.Now;

    /// <summary>Schedules <paramref name="action"/> at the simulated instant <paramref name="atMs"/>.</summary>
    public void At(long atMs, Action action) => _events.At(Math.Max(atMs, _events.Now), action);

    /// <summary>Takes what the host appended to a device's node into its radio queue and wakes the device.</summary>
    public void Flush(VirtualDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.App.FlushNode();
        Wake(device);
    }

    /// <summary>Runs the scenario; <paramref name="progress"/> gets the simulated fraction done.</summary>
    public EmulationResult Run(Action<double>? progress = null)
    {
        var wall = Stopwatch.StartNew();
        long duration = (long)(_scenario.DurationMinutes * 60_000);
        StartDevices();
        ScheduleTraffic(duration);
        ScheduleScenarioEvents();
        ScheduleMobility(duration);
        long nextReport = 0;
        while (_events.RunNext(duration))
        {
            AfterEvent?.Invoke();
            if (StopWhen?.Invoke() == true)
            {
                duration = _events.Now;
                break;
            }

            if (progress is not null && _events.Now >= nextReport)
            {
                progress((double)_events.Now / duration);
                nextReport = _events.Now + (duration / 200);
            }
        }

        _events.AdvanceTo(duration);
        progress?.Invoke(1.0);
        wall.Stop();
        return Measure(duration, wall.Elapsed.TotalSeconds);
    }

    /// <summary>Starts a transmission for a device's radio; called by <see cref="EmulatedRadio"/>.</summary>
    internal bool StartTransmission(int device, byte[] frame)
    {
        VirtualDevice sender = Devices[device];
        if (!sender.On || Medium.IsTransmitting(device))
        {
            return false;
        }

        Transmission tx = Medium.CreateTransmission(device, frame, _events.Now);
        OnAir(sender, frame, tx.EndMs - tx.StartMs);

        foreach (Reception r in Medium.Start(tx, i => Devices[i].On))
        {
            _events.At(tx.EndMs, () => EndReception(r));
        }

        _events.At(tx.EndMs, () =>
        {
            Medium.EndTransmission(tx);
            if (sender.On)
            {
                sender.App.OnTransmitDone();
                Wake(sender);
            }
        });

        return true;
    }

    /// <summary>A frame went on air (either mode): hooks, restore accounting, and the Wi-Fi copy.</summary>
    private void OnAir(VirtualDevice sender, byte[] frame, long airtimeMs)
    {
        Transmitted?.Invoke(sender.Index, frame, airtimeMs);
        _wipes.NoteOnAir(frame, airtimeMs);

        if (sender.Wifi)
        {
            foreach (VirtualDevice peer in Devices.Where(d => d.Wifi && d != sender && Distance(d, sender) <= _scenario.Wifi.RangeM))
            {
                _wifiFrames++;
                _events.At(_events.Now + (long)_scenario.Wifi.LatencyMs, () => Deliver(peer, frame, -40, 30));
            }
        }
    }

    private (ChipAir Air, DriverRadioPort[] Ports, SimulatedChip[] Chips) BuildChips()
    {
        ModemPreset preset = ModemPreset.Find(_scenario.Preset)!;
        bool sx1262 = _scenario.Radio == "sx1262";
        int power = (int)Math.Round(Math.Min(_scenario.TxPowerDbm, _region.MaxPowerDbm));
        power = sx1262 ? Math.Clamp(power, -9, 22) : Math.Clamp(power, 2, 20);
        LoRaRadioSettings settings = LoRaRadioSettings.For(_region, preset, power);

        // The chips hear each other through this emulation's links (path loss and shadowing drawn once,
        // from the seed), so both modes share positions, links and randomness.
        var rssi = new Dictionary<(int, int), double>();
        foreach (VirtualDevice d in Devices)
        {
            foreach ((int to, double r) in Medium.LinksOf(d.Index))
            {
                rssi[(d.Index, to)] = r;
            }
        }

        PathLossModel model = PathLossModel.Create(_scenario.PathLoss.Model, _region.DefaultFrequencyHz / 1e6, _scenario.HeightM);
        var air = new ChipAir(model, _scenario.NoiseFigureDb)
        {
            RetainMicroseconds = 60_000_000, // longer than any LoRa frame (SF12/125 kHz, 255 bytes: about 10 s)
            LinkRssiDbm = (from, to) => rssi.TryGetValue((_chipIndex[from], _chipIndex[to]), out double r) ? r : double.NegativeInfinity,
            Started = OnChipPacket,
        };
        var ports = new DriverRadioPort[Devices.Count];
        var chips = new SimulatedChip[Devices.Count];
        foreach (VirtualDevice d in Devices)
        {
            // Each device's chip and driver read simulated time; the driver's own waits (BUSY, reset) run ahead of it within an event.
            var clock = new ChipClock(() => _events.Now * 1000);
            SimulatedChip chip = sx1262 ? new SimulatedSx1262(air, clock, d.X, d.Y) : new SimulatedSx1276(air, clock, d.X, d.Y);
            LoRaTransceiver driver = sx1262 ? new Sx1262Driver(chip, chip, clock) : new Sx1276Driver(chip, chip, clock);
            _chipIndex[chip] = d.Index;
            chips[d.Index] = chip;
            driver.Initialize(settings);
            ports[d.Index] = new DriverRadioPort(driver, _clock);
        }

        return (air, ports, chips);
    }

    private void OnChipPacket(AirPacket packet)
    {
        VirtualDevice sender = Devices[_chipIndex[packet.Sender]];
        OnAir(sender, packet.Bytes, (packet.EndUs - packet.StartUs + 999) / 1000);

        // Whoever can hear it services its interrupt when the packet has ended.
        long endMs = (packet.EndUs + 999) / 1000;
        foreach ((int to, double _) in Medium.LinksOf(sender.Index))
        {
            SchedulePoll(Devices[to], endMs);
        }
    }

    private void SchedulePoll(VirtualDevice device, long atMs)
    {
        if (atMs == long.MaxValue)
        {
            return;
        }

        atMs = Math.Max(atMs, _events.Now);
        if (_pendingPolls.Add((device.Index, atMs)))
        {
            _events.At(atMs, () =>
            {
                _pendingPolls.Remove((device.Index, atMs));
                PollChip(device);
            });
        }
    }

    private void PollChip(VirtualDevice device)
    {
        if (!device.On)
        {
            return;
        }

        DriverRadioPort port = _ports[device.Index];
        for (int i = 0; i < 8; i++)
        {
            RadioInterrupt what = port.PollOnce();
            if (what == RadioInterrupt.None)
            {
                break;
            }

            if (what == RadioInterrupt.Packet)
            {
                CountReception(device, port.LastPacket.Data, port.LastPacket.Length);
            }
        }

        Wake(device);
        if (port.NextPollMs <= _events.Now)
        {
            SchedulePoll(device, _events.Now + 1); // the interrupt is late by the clock's rounding
        }
    }

    private void EndReception(Reception r)
    {
        if (Medium.EndReception(r))
        {
            Deliver(Devices[r.Receiver], r.Transmission.Bytes, r.RssiDbm, Medium.SnrDb(r.RssiDbm));
        }
    }

    private void Deliver(VirtualDevice device, byte[] frame, double rssi, double snr)
    {
        if (!device.On)
        {
            return;
        }

        CountReception(device, frame, frame.Length);
        device.App.OnReceive(frame, rssi, snr);
        Wake(device);
    }

    // Usefulness counts only the frames of the measured traffic: entries carrying a DM or post the scenario created
    // (docs/emulator.md §6), not sync, beacons, receipts or profiles.
    private void CountReception(VirtualDevice device, byte[] frame, int length)
    {
        if (MeasuredFrame.TryReadEntry(frame, length, out uint author, out uint sequence) && _messages.ContainsKey((author, sequence)))
        {
            _receptions++;
            if (_heard.Add((device.Index, Fnv1a(frame, length))))
            {
                _newReceptions++;
            }
        }
    }

    /// <summary>
    /// A record the device's node added (<see cref="MessengerNode.MessageAdded"/>): the first time it holds a tracked
    /// message counts as its delivery there. Raised again for every record when the node rebuilds after a restore,
    /// so everything here is idempotent per (author, sequence).
    /// </summary>
    private void OnMessageAdded(VirtualDevice device, MessageRecord m)
    {
        device.Shown.Add((m.Author, m.Sequence));
        _wipes.NoteShown(device, m, _events.Now);
        if (!m.Outgoing && _messages.TryGetValue((m.Author, m.Sequence), out MessageTrack? track) && !track.ReceivedAt.ContainsKey(device.Index))
        {
            if (!track.IsDirect || track.Recipient == device.Index)
            {
                track.ReceivedAt[device.Index] = _events.Now;
            }

            if (track.IsDirect && track.Recipient == device.Index && _random.NextDouble() < _scenario.Traffic.ReadShare)
            {
                uint author = m.Author;
                uint sequence = m.Sequence;
                _events.At(_events.Now + 10_000 + _random.Next(290_000), () =>
                {
                    // A wipe in between empties the inbox: only a message shown since then can be read.
                    if (device.On && device.App.Node.OwnChain.HeadKnown && device.Shown.Contains((author, sequence)))
                    {
                        device.App.MarkRead(author, sequence);
                        Wake(device);
                    }
                });
            }
        }
    }

    private void Wake(VirtualDevice device)
    {
        _wipes.NoteEvent(device, _events.Now); // every device event ends here

        if (_air is not null)
        {
            SchedulePoll(device, _ports[device.Index].NextPollMs);
        }

        long next = device.App.NextWakeupMs;
        if (next == long.MaxValue || !device.On)
        {
            return;
        }

        next = Math.Max(next, _events.Now);
        if (device.ScheduledWakeMs <= next && device.ScheduledWakeMs >= _events.Now)
        {
            return; // an earlier or equal wake-up is already pending
        }

        device.ScheduledWakeMs = next;
        _events.At(next, () =>
        {
            if (device.ScheduledWakeMs != next || !device.On)
            {
                return;
            }

            device.ScheduledWakeMs = long.MaxValue;
            device.App.Tick();
            Wake(device);
        });
    }

    private List<VirtualDevice> Place()
    {
        var points = new List<(double X, double Y)>();
        PlacementSpec p = _scenario.Placement;
        switch (p.Kind)
        {
            case PlacementKind.List:
                points.AddRange(p.Points.Select(xy => (xy[0], xy[1])));
                break;
            case PlacementKind.Grid:
                int side = (int)Math.Ceiling(Math.Sqrt(_scenario.Nodes));
                for (int i = 0; i < _scenario.Nodes; i++)
                {
                    points.Add((i % side * p.SpacingM, i / side * p.SpacingM));
                }

                break;
            default:
                double area = Math.Sqrt(_scenario.Nodes) * p.SpacingM;
                for (int i = 0; i < _scenario.Nodes; i++)
                {
                    points.Add((_random.NextDouble() * area, _random.NextDouble() * area));
                }

                break;
        }

        var devices = new List<VirtualDevice>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            byte[] root = SHA256.HashData(Encoding.UTF8.GetBytes($"device/{_scenario.Seed}/{i}"));
            devices.Add(new VirtualDevice(i, points[i].X, points[i].Y, NodeIdentity.FromRootSecret(root))
            {
                Wifi = _random.NextDouble() < _scenario.Wifi.Share,
            });
        }

        return devices;
    }

    private LinkMap BuildLinkMap()
    {
        PathLossModel model = PathLossModel.Create(_scenario.PathLoss.Model, _region.DefaultFrequencyHz / 1e6, _scenario.HeightM);
        PathLossSpec p = _scenario.PathLoss;

        // Symmetric links on fixed devices draw from the run's generator, pair by pair, as before per-direction
        // shadowing, so former runs are reproduced; otherwise each direction's draw is a hash (Shadowing).
        Shadowing shadowing = p.ShadowingCorrelation >= 1 && _scenario.Mobility.Model == "none"
            ? Shadowing.Symmetric(_random, p.ShadowingSigmaDb)
            : new Shadowing(_scenario.Seed, p.ShadowingSigmaDb, p.ShadowingCorrelation);
        return new LinkMap(Devices.Select(d => d.X).ToArray(), Devices.Select(d => d.Y).ToArray(), model, shadowing, _budget);
    }

    private ChannelActivityDetection BuildCad()
    {
        CadSpec c = _scenario.Cad;
        return c.Model == "ideal"
            ? ChannelActivityDetection.Ideal
            : new ChannelActivityDetection(c.Symbols, _modulation.SymbolMicroseconds / 1000.0, c.MissAtThreshold, c.MissFloor, c.RampDb, _scenario.Seed);
    }

    /// <summary>Random waypoint: positions advance every update step of simulated time; a device's links are recomputed once it has walked recomputeM.</summary>
    private void ScheduleMobility(long durationMs)
    {
        MobilitySpec m = _scenario.Mobility;
        if (m.Model == "none")
        {
            return;
        }

        var mobile = new bool[Devices.Count];
        var pick = new Random(unchecked((_scenario.Seed * 31) + 7));
        for (int i = 0; i < mobile.Length; i++)
        {
            mobile[i] = pick.NextDouble() < m.Share;
        }

        var walk = new RandomWaypoint(_linkMap, mobile, m.SpeedMinMps, m.SpeedMaxMps, m.PauseSeconds, unchecked((_scenario.Seed * 37) + 11));
        long step = Math.Max(100, (long)(m.UpdateSeconds * 1000));
        void Next(long at)
        {
            _events.At(at, () =>
            {
                walk.Advance(at);
                if (_linkMap.Refresh(m.RecomputeM) > 0)
                {
                    Medium.ReplaceLinks(_linkMap.Links);
                }

                if (at + step < durationMs)
                {
                    Next(at + step);
                }
            });
        }

        Next(step);
    }

    private void StartDevices()
    {
        var profiles = Devices.Select(DefaultProfile).ToArray();
        double radius = _scenario.Traffic.FriendRadiusM;
        foreach (VirtualDevice d in Devices)
        {
            List<int> near = Devices.Where(o => o != d && Distance(o, d) <= radius).Select(o => o.Index).ToList();
            Shuffle(near);
            d.Friends.AddRange(near.Take(_scenario.Traffic.Friends));
        }

        foreach (VirtualDevice d in Devices)
        {
            d.App = CreateApp(d, profiles, restoring: false);
        }
    }

    private DeviceApp CreateApp(VirtualDevice d, Profile[] profiles, bool restoring)
    {
        // Host caps: the emulator reads every message record to measure deliveries, and its published figures were
        // measured without caps; the device caps are tested on their own (CapsTests, FirmwareCapsTests).
        var node = new MessengerNode(d.Identity, $"n{d.Index}", new MemoryEntryStore(65536, 1 << 20), _clock, FrameLimits.LoRa, restoring, _verifier, NodeLimits.Host);
        // The mesh has been running before the measured time: every device has heard every profile
        // (genesis entry) once, so it can verify anyone's channel posts. Friends exchanged contact cards.
        foreach (Profile profile in profiles)
        {
            node.Chains.AddContact(profile);
        }

        node.JoinChannel(_channel);
        node.MessageAdded += record => OnMessageAdded(d, record);
        if (!restoring)
        {
            node.TakeOutbox(); // genesis profiles travel with the contact cards, not over the air
        }

        IRadioPort radio = _air is null ? new EmulatedRadio(this, d.Index) : _ports[d.Index];
        var app = new DeviceApp(node, radio, _clock, new SeededRandomSource(unchecked((_scenario.Seed * 1_000_003) + (d.Index * 7_919) + 17)), _modulation, _region, _policy == "learned-routes");
        if (_scenario.Gateways.Contains(d.Index))
        {
            node.SyncAllChains = true; // a gateway's radio side: an archive of every chain it hears (DeviceApp sets devices to false)
        }

        if (_air is not null)
        {
            _ports[d.Index].Attach(app);
        }

        return app;
    }

    private void ScheduleTraffic(long durationMs)
    {
        long end = durationMs - (long)(_scenario.Traffic.QuietTailMinutes * 60_000);
        TrafficSpec t = _scenario.Traffic;
        foreach (VirtualDevice d in Devices)
        {
            foreach (long at in Arrivals(t.DmPerNodePerHour, end))
            {
                if (d.Friends.Count == 0)
                {
                    break;
                }

                int to = d.Friends[_random.Next(d.Friends.Count)];
                string text = Text(_random.Next(t.TextBytesMin, t.TextBytesMax + 1));
                _events.At(at, () => Send(d, to, text));
            }

            foreach (long at in Arrivals(t.ChannelPostsPerNodePerHour, end))
            {
                string text = Text(_random.Next(t.TextBytesMin, t.TextBytesMax + 1));
                _events.At(at, () => Post(d, text));
            }
        }
    }

    private void Send(VirtualDevice d, int to, string text)
    {
        if (!d.On || !d.App.Node.OwnChain.HeadKnown)
        {
            return;
        }

        uint seq = d.App.SendText(Devices[to].Identity.Id, text);
        _messages[(d.Identity.Id, seq)] = new MessageTrack(true, d.Index, to, _events.Now);
        Wake(d);
    }

    private void Post(VirtualDevice d, string text)
    {
        if (!d.On || !d.App.Node.OwnChain.HeadKnown)
        {
            return;
        }

        uint seq = d.App.PostToChannel(_channel.Id, text);
        _messages[(d.Identity.Id, seq)] = new MessageTrack(false, d.Index, -1, _events.Now);
        Wake(d);
    }

    private void ScheduleScenarioEvents()
    {
        var profiles = Devices.Select(DefaultProfile).ToArray();
        foreach (ScenarioEvent e in _scenario.Events)
        {
            VirtualDevice d = Devices[e.Node];
            _events.At((long)(e.AtMinute * 60_000), () =>
            {
                switch (e.Action)
                {
                    case ScenarioEventKind.Off:
                        d.On = false;
                        break;
                    case ScenarioEventKind.On:
                        d.On = true;
                        if (_air is not null)
                        {
                            PollChip(d);
                        }

                        Wake(d);
                        break;
                    case ScenarioEventKind.Wipe:
                        _wipes.Begin(d, e.AtMinute, _events.Now);
                        d.App = CreateApp(d, profiles, restoring: true);
                        d.ScheduledWakeMs = long.MaxValue;
                        d.On = true;
                        Wake(d);
                        break;
                }
            });
        }
    }

    private Profile DefaultProfile(VirtualDevice d) => ProfileOf?.Invoke(d) ?? Profile.Of(d.Identity, $"n{d.Index}", null);

    private EmulationResult Measure(long durationMs, double wallSeconds)
    {
        List<MessageTrack> dms = _messages.Values.Where(m => m.IsDirect).ToList();
        List<MessageTrack> posts = _messages.Values.Where(m => !m.IsDirect).ToList();
        int delivered = dms.Count(m => m.ReceivedAt.ContainsKey(m.Recipient));
        int acknowledged = _messages.Where(kv => kv.Value.IsDirect).Count(kv =>
            Devices[kv.Value.Sender].App.Node.Tracker.StateOf(kv.Key.Sequence) >= Protocol.Receipts.MessageState.Delivered);
        long postReceptions = posts.Sum(p => p.ReceivedAt.Count);
        var delays = _messages.Values.SelectMany(m => m.ReceivedAt.Values.Select(t => (double)(t - m.CreatedMs))).Order().ToList();
        long airtime = Devices.Sum(d => d.App.Counters.TxAirtimeMs);
        int n = Devices.Count;
        var process = Process.GetCurrentProcess();
        return new EmulationResult
        {
            Scenario = _scenario.Name,
            Policy = _policy,
            Radio = _scenario.Radio,
            Nodes = n,
            Seed = _scenario.Seed,
            Preset = _scenario.Preset,
            Region = _region.Name,
            DurationMinutes = _scenario.DurationMinutes,
            MeanNeighbours = Devices.Average(d => Medium.LinksOf(d.Index).Count(l => l.RssiDbm >= _budget.SensitivityDbm)),
            DmsCreated = dms.Count,
            DmsDelivered = delivered,
            DmDeliveryPercent = dms.Count == 0 ? 0 : 100.0 * delivered / dms.Count,
            DmAcknowledgedPercent = dms.Count == 0 ? 0 : 100.0 * acknowledged / dms.Count,
            PostsCreated = posts.Count,
            ReachabilityPercent = posts.Count == 0 ? 0 : posts.Average(p => 100.0 * p.ReceivedAt.Count / (n - 1)),
            UsefulnessPercent = _receptions == 0 ? 0 : 100.0 * _newReceptions / _receptions,
            CollisionPercent = Medium.Sensed == 0 ? 0 : 100.0 * Medium.Collided / Medium.Sensed,
            MeanDelayMs = delays.Count == 0 ? 0 : delays.Average(),
            P95DelayMs = delays.Count == 0 ? 0 : delays[(int)Math.Min(delays.Count - 1, Math.Ceiling(0.95 * delays.Count) - 1)],
            TxAirUtilisationPercent = 100.0 * airtime / n / durationMs,
            ChannelUtilisationPercent = 100.0 * Devices.Average(d => (double)Medium.BusyMs(d.Index)) / durationMs,
            TotalAirtimeSeconds = airtime / 1000.0,
            AirtimePerDeliveredMs = delivered + postReceptions == 0 ? 0 : (double)airtime / (delivered + postReceptions),
            FramesSent = Devices.Sum(d => (long)d.App.Counters.TxFrames),
            RelaysSent = Devices.Sum(d => (long)d.App.Counters.RelaysSent),
            RelaysCancelled = Devices.Sum(d => (long)d.App.Counters.RelaysCancelled),
            Retransmissions = Devices.Sum(d => (long)d.App.Counters.Retransmissions),
            DutyCycleHolds = Devices.Sum(d => (long)d.App.Counters.DutyCycleDeferrals + d.App.Counters.DutyCycleDrops),
            LbtDeferrals = Devices.Sum(d => (long)d.App.Counters.LbtDeferrals),
            QueueDrops = Devices.Sum(d => (long)d.App.Counters.QueueDrops),
            HalfDuplexLosses = Medium.HalfDuplexLosses,
            WifiFrames = _wifiFrames,
            Wipes = _wipes.Reports(Devices),
            WallSeconds = wallSeconds,
            SpeedUp = wallSeconds <= 0 ? 0 : durationMs / 1000.0 / wallSeconds,
            Events = _events.Processed,
            EventsPerSecond = wallSeconds <= 0 ? 0 : _events.Processed / wallSeconds,
            PeakMemoryMb = process.PeakWorkingSet64 / 1048576.0,
            SignaturesVerified = _verifier.Computed,
            Delays = delays,
        };
    }

    private IEnumerable<long> Arrivals(double perHour, long endMs)
    {
        if (perHour <= 0)
        {
            yield break;
        }

        double meanMs = 3_600_000 / perHour;
        double t = -Math.Log(1 - _random.NextDouble()) * meanMs;
        while (t < endMs)
        {
            yield return (long)t;
            t += -Math.Log(1 - _random.NextDouble()) * meanMs;
        }
    }

    private string Text(int length)
    {
        const string Letters = "abcdefghijklmnopqrstuvwxyz      ";
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = Letters[_random.Next(Letters.Length)];
        }

        return new string(chars);
    }

    private void Shuffle(List<int> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static double Distance(VirtualDevice a, VirtualDevice b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));

    private static ulong Fnv1a(byte[] frame, int length)
    {
        // The payload (bytes 4..) identifies the frame whatever the relay header says.
        ulong h = 14695981039346656037;
        for (int i = 4; i < length; i++)
        {
            h = (h ^ frame[i]) * 1099511628211;
        }

        return h;
    }
}
