using System.Collections.Concurrent;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Hardware.Linux;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// The gateway's own LoRa radio (SX1262 or SX1276 on a Pi HAT, through the drivers in
/// src/MeshMessenger.Radio). It listens all the time; every intact frame goes to ingest. Downlink is
/// frugal, because airtime is the mesh's scarcest resource: only entries sealed direct to a node heard on the
/// radio recently (its hint; a channel post carrying the same hint is not for it), sent with hop limit 0 so they stop at that neighbour, and only while the
/// region's hourly duty cycle has room; they wait in one queue per (hint, author), served in turn
/// (<see cref="RadioDownlink"/>), so one author's flood to a hint cannot crowd out another's message. Heads requests and wants heard on the radio (docs/protocol.md §8, one-hop
/// and relayed, §8.4) are answered from the store by <see cref="SyncResponder"/> in LoRa-sized frames, within
/// <see cref="RadioOptions.SyncAirtimePercent"/> of the duty-cycle allowance (airtime sent and queued): what does
/// not fit is refused, entry by entry, and counted (radio_sync_refused_airtime, radio_sync_refused_queue); the
/// asker asks again in its next round. As an archive it also pulls what it missed on air (docs/protocol.md §8.5,
/// <see cref="ArchivePull"/>, every <see cref="RadioOptions.ArchivePullSeconds"/>): one one-hop want at a time to the
/// neighbour that carried the author's entries, paid from the same sync share; the answers are ingested and
/// verified like any frame heard.
/// </summary>
public sealed class RadioLink : BackgroundService
{
    /// <summary>Entries heard on the radio waiting for the next pull to note their carrier; more are dropped and counted (radio_pull_notes_dropped).</summary>
    public const int MaxPendingNotes = 4096;

    // The largest one-range want a pull sends (§8.2): its airtime is reserved before the pull picks a range, so a pull
    // refused for airtime costs the author none of its ArchivePull.MaxAsks.
    private static readonly int MaxPullFrame = FrameLimits.HeaderSize + new WantMessage([new SequenceRange(uint.MaxValue, uint.MaxValue - 1, uint.MaxValue)]).Encode().Length;

    private readonly IOptions<GatewayOptions> _options;
    private readonly FrameIngest _ingest;
    private readonly GatewayCounters _counters;
    private readonly ILogger<RadioLink> _log;
    private readonly Func<LoRaTransceiver?> _open;
    private readonly NodeDirectory _directory;
    private readonly SyncResponder _sync;
    private readonly byte _hint;
    private int _headsOffset;
    private readonly RadioDownlink _downlink = new();
    private readonly ConcurrentQueue<byte[]> _syncDownlink = new();
    private long _syncQueuedMs;
    private readonly ConcurrentDictionary<byte, long> _heardHints = new();
    private readonly Queue<(long AtMs, long AirtimeMs, bool Sync)> _airtime = new();
    private readonly ReceivedPacket _packet = new();
    private readonly GatewayDatabase _database;
    private readonly uint _id;

    // The archive pull (§8.5) runs on its own timer: entries stored from the radio are noted here by the ingest writer
    // and handed to ArchivePull by the pull, so neither waits for the other.
    private readonly ArchivePull _pull = new();
    private readonly ConcurrentQueue<(uint Author, byte Relay)> _pullNotes = new();
    private int _pullNotesCount;
    private HeldEntries? _held;
    private LoRaTransceiver? _radio;

    /// <summary>The link over the board named in the configuration (none if no board is set).</summary>
    public RadioLink(IOptions<GatewayOptions> options, FrameIngest ingest, GatewayCounters counters, NodeDirectory directory, SyncResponder sync, GatewayDatabase database, NodeIdentity identity, ILogger<RadioLink> log)
        : this(options, ingest, counters, directory, sync, database, identity, log, () => OpenBoard(options.Value))
    {
    }

    /// <summary>The link over a radio supplied by <paramref name="open"/> (tests pass a driver over a simulated chip).</summary>
    public RadioLink(IOptions<GatewayOptions> options, FrameIngest ingest, GatewayCounters counters, NodeDirectory directory, SyncResponder sync, GatewayDatabase database, NodeIdentity identity, ILogger<RadioLink> log, Func<LoRaTransceiver?> open)
    {
        _sync = sync;
        _database = database;
        _id = identity.Id;
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

    /// <summary>Sync frames (heads, entries answering wants, the pull's wants) waiting for airtime.</summary>
    public int SyncQueue => _syncDownlink.Count;

    /// <summary>Authors the archive pull remembers a carrier for (at most <see cref="ArchivePull.MaxAuthors"/>), as of the last pull.</summary>
    public int PullAuthors => _pull.Count;

    /// <summary>
    /// One archive pull (docs/protocol.md §8.5): notes the carriers of the entries stored from the radio since the last
    /// pull, then, if the sync share of the duty cycle affords the largest one-range want, queues a want (hop limit 0)
    /// for the first missing range of the next author in turn (<see cref="ArchivePull.Next"/>), addressed to the
    /// neighbour that carried it. Counted: radio_pull_wants (queued), radio_pull_refused_airtime and
    /// radio_pull_refused_queue (skipped; the author is not charged an ask). True if a want was queued. If reading the
    /// store throws, the exception goes to the caller and the airtime reserved for the want is released.
    /// </summary>
    public bool PullOnce()
    {
        while (_pullNotes.TryDequeue(out (uint Author, byte Relay) note))
        {
            Interlocked.Decrement(ref _pullNotesCount);
            _pull.NoteEntry(note.Author, note.Relay);
        }

        if (_radio is null || _pull.Count == 0)
        {
            return false;
        }

        if (_syncDownlink.Count >= 256)
        {
            _counters.Add("radio_pull_refused_queue");
            return false;
        }

        long reserved = Airtime(MaxPullFrame);
        if (!TryReserveSync(reserved))
        {
            _counters.Add("radio_pull_refused_airtime");
            return false;
        }

        SequenceRange range;
        byte via;
        bool found = false;
        try
        {
            _held ??= new HeldEntries(_database);
            found = _pull.Next(_held, out range, out via);
        }
        finally
        {
            if (!found)
            {
                Interlocked.Add(ref _syncQueuedMs, -reserved); // nothing to ask, or the store failed: the airtime is not spent
            }
        }

        if (!found)
        {
            return false;
        }

        byte[] want = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, via, _hint, new WantMessage([range]).Encode()), FrameLimits.LoRa);
        Interlocked.Add(ref _syncQueuedMs, Airtime(want.Length) - reserved);
        _syncDownlink.Enqueue(want);
        _counters.Add("radio_pull_wants");
        return true;
    }

    /// <summary>
    /// Queues an anchor notice for a node heard on the radio, if it fits one LoRa frame (trees up to about 32 leaves per
    /// path length 5). Notices are the gateway's own frames: they wait in the (hint, gateway) queue, in turn with the
    /// authors writing to that hint (<see cref="RadioDownlink"/>); one that does not fit is counted (radio_downlink_dropped).
    /// </summary>
    public bool EnqueueNotice(uint author, byte[] frame)
    {
        bool heard = _heardHints.TryGetValue(NodeId.HintOf(author), out long at) && Environment.TickCount64 - at < _options.Value.Udp.NeighbourSeconds * 1000L;
        if (_radio is null || !heard || frame.Length > FrameLimits.LoRa)
        {
            return false;
        }

        return Queue(NodeId.HintOf(author), _id, [frame]);
    }

    /// <summary>Opens the radio; call before <see cref="PollOnceAsync"/> when driving the link by hand.</summary>
    public void Open() => _radio ??= _open();

    /// <summary>
    /// One step: take a received frame to ingest (and answer it if it is a heads request or a want; an answer that fails
    /// to read the store is counted, radio_sync_errors, and dropped), then send one queued downlink frame if the duty
    /// cycle allows.
    /// </summary>
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
            IngestOutcome outcome = await _ingest.IngestAsync(frame, IngestSource.Radio, "radio", ct).ConfigureAwait(false);
            if (outcome is IngestOutcome.Stored or IngestOutcome.Duplicate)
            {
                // Only a verified entry (signature checked before a duplicate is recognised) says its author is near:
                // noted before verification, junk under made-up or forged authors made the radio spend the duty cycle
                // on entries for hints nobody near holds, and filled the node list with nodes that do not exist.
                NoteNeighbour(frame);
            }

            if (outcome is not (IngestOutcome.RateLimited or IngestOutcome.Malformed))
            {
                try
                {
                    AnswerSync(frame);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Reading the store for an answer failed (locked past its busy timeout, a row that does not read
                    // back): that answer is lost, as to a collision, and the asker asks again. It must not end the
                    // receive loop, which would stop the whole gateway.
                    _counters.Add("radio_sync_errors");
                    _log.LogWarning(e, "radio: answering a sync request failed ({Type}): {Message}", e.GetType().Name, e.Message);
                }
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
            Interlocked.Add(ref _syncQueuedMs, -Airtime(answer.Length));
            _radio.Transmit(answer, 0, answer.Length);
            _counters.Add("frames_out_radio");
            _counters.Add("radio_sync_frames_sent");
            _radio.StartReceive(0);
        }
        else if (_downlink.Peek() is { } next && HasAirtime(next.Length, sync: false))
        {
            _downlink.Sent();
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
        Task pulling = Task.Run(() => PullLoopAsync(stoppingToken), CancellationToken.None);
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

        await pulling.ConfigureAwait(false);
        _radio.Sleep();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _held?.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Pulls every <see cref="RadioOptions.ArchivePullSeconds"/> (none if 0), off the receive loop: reading the store must
    /// not delay a frame. A pull that throws is counted (radio_pull_errors) and logged, and the loop goes on.
    /// </summary>
    private async Task PullLoopAsync(CancellationToken ct)
    {
        int seconds = _options.Value.Radio.ArchivePullSeconds;
        if (seconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    PullOnce();
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Any failure of one pull (a locked or damaged store, a row that does not read back) costs that pull
                    // only: counted, logged with its cause, and the next tick tries again. Shutdown's cancellation ends the loop.
                    _counters.Add("radio_pull_errors");
                    _log.LogWarning(e, "archive pull failed ({Type}): {Message}", e.GetType().Name, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
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
    /// Remembers the author of a verified entry: its hint for downlink, and, heard first-hand (hop limit still at its
    /// start, so no relay touched it), its signal for the node list. Relayed frames say nothing about the author's link.
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
        if (entry.Source == IngestSource.Radio)
        {
            NotePull(entry);
            return;
        }

        if (_radio is null)
        {
            return;
        }

        bool neighbourAddressed = entry.IsDirect && _heardHints.TryGetValue(entry.Hint, out long heard) && Environment.TickCount64 - heard < _options.Value.Udp.NeighbourSeconds * 1000L;
        Frame[] frames = Fragmenter.Split(entry.Encoded, FrameLimits.LoRa, 0, false, 0); // hop limit 0: for the neighbour only; larger entries as fragments (§5.2)
        if (neighbourAddressed)
        {
            Queue(entry.Hint, entry.Author, [.. frames.Select(f => FrameCodec.Encode(f, FrameLimits.LoRa))]);
        }
    }

    /// <summary>Queues one entry's frames for the radio downlink; every entry dropped (refused or evicted) is counted.</summary>
    private bool Queue(byte hint, uint author, byte[][] frames)
    {
        bool queued = _downlink.TryAdd(hint, author, frames, out int dropped);
        if (dropped > 0)
        {
            _counters.Add("radio_downlink_dropped", dropped);
        }

        return queued;
    }

    /// <summary>
    /// An entry stored from a radio frame (verified by ingest, so a forged one is never noted): its carrier is who the
    /// pull asks for the author's missing entries. Called on the ingest writer's thread; the pull takes the note.
    /// </summary>
    private void NotePull(IngestedEntry entry)
    {
        if (_radio is null || _options.Value.Radio.ArchivePullSeconds <= 0 || entry.Author == _id)
        {
            return;
        }

        if (Interlocked.Increment(ref _pullNotesCount) > MaxPendingNotes)
        {
            Interlocked.Decrement(ref _pullNotesCount);
            _counters.Add("radio_pull_notes_dropped");
            return;
        }

        _pullNotes.Enqueue((entry.Author, entry.Relay));
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
                answer = _sync.AnswerWant(want!, frame.NextHop, frame.Relay, FrameLimits.LoRa);
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

            if (!TryReserveSync(airtime))
            {
                _counters.Add("radio_sync_refused_airtime", answer.Count - i);
                return;
            }

            foreach (byte[] f in answer[i])
            {
                _syncDownlink.Enqueue(f);
            }
        }
    }

    private long Airtime(int bytes) => TimeOnAir.Milliseconds(_radio!.Settings!.Modulation, bytes);

    private long Allowance => 3_600_000L * Region.Find(_options.Value.Region)!.DutyCyclePercent / 100;

    /// <summary>
    /// Counts <paramref name="airtime"/> as queued sync airtime and returns true if it fits the sync share, counting the
    /// last hour's sync airtime and what is already queued; false (nothing counted) if not. Checked and counted under one
    /// lock, so the receive loop's answers and the pull's wants never overdraw the share together.
    /// </summary>
    private bool TryReserveSync(long airtime)
    {
        lock (_airtime)
        {
            Forget(Environment.TickCount64);
            long used = _airtime.Where(a => a.Sync).Sum(a => a.AirtimeMs) + Interlocked.Read(ref _syncQueuedMs);
            if (used + airtime > Allowance * Math.Clamp(_options.Value.Radio.SyncAirtimePercent, 0, 100) / 100)
            {
                return false;
            }

            Interlocked.Add(ref _syncQueuedMs, airtime);
            return true;
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
