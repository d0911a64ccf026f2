using System.Collections.Concurrent;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Hardware.Linux;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// The gateway's own LoRa radio (SX1262 or SX1276 on a Pi HAT, through the drivers in
/// src/MeshMessenger.Radio). It listens all the time; every intact frame goes to ingest. Downlink is
/// frugal, because airtime is the mesh's scarcest resource: only entries addressed to a node heard on the
/// radio recently (its hint), sent with hop limit 0 so they stop at that neighbour, and only while the
/// region's hourly duty cycle has room. Heads requests and wants heard on the radio (docs/protocol.md §8, one-hop
/// and relayed, §8.4) are answered from the store by <see cref="SyncResponder"/> in LoRa-sized frames, within
/// <see cref="RadioOptions.SyncAirtimePercent"/> of the duty-cycle allowance (airtime sent and queued): what does
/// not fit is refused, entry by entry, and counted (radio_sync_refused_airtime, radio_sync_refused_queue); the
/// asker asks again in its next round.
/// </summary>
public sealed class RadioLink : BackgroundService
{
    private readonly IOptions<GatewayOptions> _options;
    private readonly FrameIngest _ingest;
    private readonly GatewayCounters _counters;
    private readonly ILogger<RadioLink> _log;
    private readonly Func<LoRaTransceiver?> _open;
    private readonly NodeDirectory _directory;
    private readonly SyncResponder _sync;
    private readonly byte _hint;
    private int _headsOffset;
    private readonly ConcurrentQueue<byte[]> _downlink = new();
    private readonly ConcurrentQueue<byte[]> _syncDownlink = new();
    private long _syncQueuedMs;
    private readonly ConcurrentDictionary<byte, long> _heardHints = new();
    private readonly Queue<(long AtMs, long AirtimeMs, bool Sync)> _airtime = new();
    private readonly ReceivedPacket _packet = new();
    private LoRaTransceiver? _radio;

    /// <summary>The link over the board named in the configuration (none if no board is set).</summary>
    public RadioLink(IOptions<GatewayOptions> options, FrameIngest ingest, GatewayCounters counters, NodeDirectory directory, SyncResponder sync, NodeIdentity identity, ILogger<RadioLink> log)
        : this(options, ingest, counters, directory, sync, identity, log, () => OpenBoard(options.Value))
    {
    }

    /// <summary>The link over a radio supplied by <paramref name="open"/> (tests pass a driver over a simulated chip).</summary>
    public RadioLink(IOptions<GatewayOptions> options, FrameIngest ingest, GatewayCounters counters, NodeDirectory directory, SyncResponder sync, NodeIdentity identity, ILogger<RadioLink> log, Func<LoRaTransceiver?> open)
    {
        _sync = sync;
        _hint = NodeId.HintOf(identity.Id);
        _directory = directory;
        _options = options;
        _ingest = ingest;
        _counters = counters;
        _log = log;
        _open = open;
        ingest.Stored += OnStored;
    }

    /// <summary>Frames waiting for airtime.</summary>
    public int DownlinkQueue => _downlink.Count;

    /// <summary>Sync answer frames (heads, entries answering wants) waiting for airtime.</summary>
    public int SyncQueue => _syncDownlink.Count;

    /// <summary>Queues an anchor notice for a node heard on the radio, if it fits one LoRa frame (trees up to about 32 leaves per path length 5).</summary>
    public bool EnqueueNotice(uint author, byte[] frame)
    {
        bool heard = _heardHints.TryGetValue(NodeId.HintOf(author), out long at) && Environment.TickCount64 - at < _options.Value.Udp.NeighbourSeconds * 1000L;
        if (_radio is null || !heard || frame.Length > FrameLimits.LoRa || _downlink.Count >= 256)
        {
            return false;
        }

        _downlink.Enqueue(frame);
        return true;
    }

    /// <summary>Opens the radio; call before <see cref="PollOnceAsync"/> when driving the link by hand.</summary>
    public void Open() => _radio ??= _open();

    /// <summary>One step: take a received frame to ingest, then send one queued downlink frame if the duty cycle allows.</summary>
    public async Task PollOnceAsync(CancellationToken ct)
    {
        if (_radio is null)
        {
            return;
        }

        ReceiveStatus status = _radio.PollReceive(_packet);
        if (status == ReceiveStatus.Packet)
        {
            byte[] frame = _packet.ToArray();
            _counters.Add("radio_rx");
            NoteNeighbour(frame);
            IngestOutcome outcome = await _ingest.IngestAsync(frame, IngestSource.Radio, "radio", ct).ConfigureAwait(false);
            if (outcome is not (IngestOutcome.RateLimited or IngestOutcome.Malformed))
            {
                AnswerSync(frame);
            }
        }
        else if (status == ReceiveStatus.CrcError)
        {
            _counters.Add("dropped_crc");
        }
        else if (status == ReceiveStatus.Timeout)
        {
            _radio.StartReceive(0);
        }

        if (_syncDownlink.TryPeek(out byte[]? answer) && HasAirtime(answer.Length, sync: true))
        {
            _syncDownlink.TryDequeue(out _);
            _syncQueuedMs -= Airtime(answer.Length);
            _radio.Transmit(answer, 0, answer.Length);
            _counters.Add("frames_out_radio");
            _counters.Add("radio_sync_frames_sent");
            _radio.StartReceive(0);
        }
        else if (_downlink.TryPeek(out byte[]? next) && HasAirtime(next.Length, sync: false))
        {
            _downlink.TryDequeue(out _);
            _radio.Transmit(next, 0, next.Length);
            _counters.Add("frames_out_radio");
            _radio.StartReceive(0);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Open();
        }
        catch (Hardware.HardwareException e)
        {
            _log.LogError("radio: {Message}", e.Message);
            throw;
        }

        if (_radio is null)
        {
            return;
        }

        _radio.StartReceive(0);
        _log.LogInformation("radio listening at {Frequency:F3} MHz", _radio.Settings!.FrequencyHz / 1e6);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(5, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (RadioException e)
            {
                _counters.Add("radio_errors");
                _log.LogWarning("radio: {Message}", e.Message);
                await Task.Delay(1000, stoppingToken).ConfigureAwait(false);
                _radio.StartReceive(0);
            }
        }

        _radio.Sleep();
    }

    private static LoRaTransceiver? OpenBoard(GatewayOptions o)
    {
        if (string.IsNullOrEmpty(o.Radio.Board))
        {
            return null;
        }

        BoardProfile board = (string.IsNullOrEmpty(o.Radio.BoardsDirectory) ? BoardCatalog.Default() : new BoardCatalog(o.Radio.BoardsDirectory)).Load(o.Radio.Board);
        var settings = LoRaRadioSettings.For(Region.Find(o.Region)!, ModemPreset.Find(o.Radio.Preset)!, o.Radio.TxPowerDbm);
        return BoardRadio.Open(board, settings);
    }

    /// <summary>
    /// Remembers the author of an entry heard first-hand (hop limit still at its start, so no relay touched it):
    /// its hint for downlink, and its signal for the node list. Relayed frames say nothing about the author's link.
    /// </summary>
    private void NoteNeighbour(byte[] frame)
    {
        if (FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.LoRa, out Frame? f) == ProtocolError.None
            && f!.Type == FrameType.Entry
            && EntryCodec.TryDecode(f.Payload, 0, f.Payload.Length, out Entry? e) == ProtocolError.None)
        {
            _heardHints[NodeId.HintOf(e!.Author)] = Environment.TickCount64;
            if (f.HopLimit == f.HopStart)
            {
                _directory.Heard(e.Author, IngestSource.Radio, _packet.RssiDbm, _packet.SnrDb);
            }
        }
    }

    private void OnStored(IngestedEntry entry)
    {
        if (entry.Source == IngestSource.Radio || _radio is null)
        {
            return;
        }

        bool neighbourAddressed = _heardHints.TryGetValue(entry.Hint, out long heard) && Environment.TickCount64 - heard < _options.Value.Udp.NeighbourSeconds * 1000L;
        Frame[] frames = Fragmenter.Split(entry.Encoded, FrameLimits.LoRa, 0, false, 0); // hop limit 0: for the neighbour only; larger entries as fragments (§5.2)
        if (neighbourAddressed && _downlink.Count + frames.Length <= 256)
        {
            foreach (Frame frame in frames)
            {
                _downlink.Enqueue(FrameCodec.Encode(frame, FrameLimits.LoRa));
            }
        }
    }

    /// <summary>
    /// A heads request or a want heard on the radio, answered from the store in LoRa frames. Heads requests
    /// addressed to the gateway or to anyone get the gateway's heads (a query's chains first); one-hop wants
    /// addressed to it or to anyone get their entries; relayed wants get only the conversation between the gateway
    /// and the asker. Each answer (per entry) is queued only if it fits the sync share of the duty cycle.
    /// </summary>
    private void AnswerSync(byte[] bytes)
    {
        if (FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.LoRa, out Frame? frame) != ProtocolError.None)
        {
            return;
        }

        List<byte[][]> answer;
        switch (frame!.Type)
        {
            case FrameType.Heads when HeadsMessage.TryDecode(frame.Payload, out HeadsMessage? heads) == ProtocolError.None:
                if (frame.NextHop != 0 && frame.NextHop != _hint)
                {
                    return; // a question for another neighbour (§8.3)
                }

                byte[]? reply = _sync.AnswerHeads(heads!, null, ref _headsOffset, FrameLimits.LoRa);
                answer = reply is null ? [] : [[reply]];
                break;
            case FrameType.Want when frame.HopStart == 0 && WantMessage.TryDecode(frame.Payload, out WantMessage? want) == ProtocolError.None:
                answer = _sync.AnswerWant(want!, frame.NextHop, FrameLimits.LoRa);
                break;
            case FrameType.Want when frame.HopStart > 0 && RelayedWant.TryDecode(frame.Payload, out RelayedWant? relayed) == ProtocolError.None:
                answer = _sync.AnswerRelayedWant(frame, relayed!, uplinkConsent: true);
                break;
            default:
                return;
        }

        _counters.Add("radio_sync_requests");
        for (int i = 0; i < answer.Count; i++)
        {
            long airtime = answer[i].Sum(f => Airtime(f.Length));
            if (_syncDownlink.Count + answer[i].Length > 256)
            {
                _counters.Add("radio_sync_refused_queue", answer.Count - i);
                return;
            }

            if (!SyncAffordable(airtime))
            {
                _counters.Add("radio_sync_refused_airtime", answer.Count - i);
                return;
            }

            foreach (byte[] f in answer[i])
            {
                _syncDownlink.Enqueue(f);
            }

            Interlocked.Add(ref _syncQueuedMs, airtime);
        }
    }

    private long Airtime(int bytes) => TimeOnAir.Milliseconds(_radio!.Settings!.Modulation, bytes);

    private long Allowance => 3_600_000L * Region.Find(_options.Value.Region)!.DutyCyclePercent / 100;

    /// <summary>True if <paramref name="airtime"/> more fits the sync share, counting the last hour's sync airtime and what is already queued.</summary>
    private bool SyncAffordable(long airtime)
    {
        lock (_airtime)
        {
            Forget(Environment.TickCount64);
            long used = _airtime.Where(a => a.Sync).Sum(a => a.AirtimeMs) + Interlocked.Read(ref _syncQueuedMs);
            return used + airtime <= Allowance * Math.Clamp(_options.Value.Radio.SyncAirtimePercent, 0, 100) / 100;
        }
    }

    private void Forget(long now)
    {
        while (_airtime.Count > 0 && now - _airtime.Peek().AtMs > 3_600_000)
        {
            _airtime.Dequeue();
        }
    }

    private bool HasAirtime(int bytes, bool sync)
    {
        long now = Environment.TickCount64;
        long airtime = Airtime(bytes);
        lock (_airtime)
        {
            Forget(now);
            long used = _airtime.Sum(a => a.AirtimeMs);
            if (used + airtime > Allowance)
            {
                _counters.Add("radio_duty_cycle_holds");
                return false;
            }

            _airtime.Enqueue((now, airtime, sync));
            return true;
        }
    }
}
