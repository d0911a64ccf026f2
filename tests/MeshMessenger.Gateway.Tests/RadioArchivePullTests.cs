using MeshMessenger.Emulator.Channel;
using MeshMessenger.Emulator.Chips;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;
using MeshMessenger.Radio.Sx126x;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Tests;

/// <summary>
/// The gateway's radio pulls the entries it missed on air (docs/protocol.md §8.5, <see cref="ArchivePull"/>), over the real
/// SX1262 driver and simulated chips on the emulator's air: real devices' signed frames, the real SQLite store.
/// </summary>
public sealed class RadioArchivePullTests : IAsyncDisposable
{
    private readonly IngestFixture _fixture = new("gw-pull-", new LinkBudgets(0, 0), _ => null);
    private readonly ChipAir _air = new(new LogDistancePathLoss());
    private readonly ChipClock _clock = new();
    private readonly ReceivedPacket _packet = new();
    private readonly Sx1262Driver _gatewayRadio;
    private readonly Sx1262Driver _deviceRadio;

    public RadioArchivePullTests()
    {
        _gatewayRadio = Radio(0);
        _deviceRadio = Radio(150);
    }

    private static NodeIdentity GatewayIdentity { get; } = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)0x6C, 32).ToArray());

    private GatewayCounters Counters => _fixture.Counters;

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task A_hole_is_asked_of_the_author_heard_first_hand_the_answers_are_stored_and_nothing_is_asked_once_held()
    {
        using RadioLink link = Link(new GatewayOptions { Region = "US" });
        var dave = new TestDevice("dave");
        byte[][] chain = Chain(dave, 5); // sequences 0..5
        foreach (int heard in new[] { 0, 1, 4 })
        {
            await Hear(link, chain[heard]);
        }

        Assert.Equal(3, Counters.Get("stored"));
        Assert.True(link.PullOnce());
        Frame want = await SentOnAir(link);
        Assert.Equal((FrameType.Want, 0, dave.Node.Hint), (want.Type, want.HopLimit, want.NextHop)); // one hop, to dave himself
        Assert.Equal(new[] { (dave.Id, 2u, 3u) }, Ranges(want));

        // Dave's node answers the want on air; the gateway verifies and stores both entries.
        Assert.Equal(ProtocolError.None, dave.Node.Receive(Encode(want), 0, Encode(want).Length));
        byte[][] answer = [.. dave.Take().Where(f => Decode(f).Type == FrameType.Entry)];
        Assert.Equal(2, answer.Length);
        foreach (byte[] frame in answer)
        {
            await Hear(link, frame);
        }

        Assert.Equal(5, Counters.Get("stored"));
        using (var held = new HeldEntries(_fixture.Database))
        {
            Assert.All(new uint[] { 0, 1, 2, 3, 4 }, s => Assert.NotNull(held.Get(dave.Id, s)));
            Assert.Null(held.Get(dave.Id, 5)); // past the newest heard: heads show it, the pull cannot know it
        }

        // Held now: nothing more is asked, however often the pull runs.
        for (int i = 0; i < 10; i++)
        {
            Assert.False(link.PullOnce());
        }

        Assert.Equal(1, Counters.Get("radio_pull_wants"));
        Assert.Equal(0, link.SyncQueue);
    }

    [Fact]
    public async Task Entries_carried_by_a_relay_are_asked_of_that_relay_at_most_four_times_until_one_is_heard_again()
    {
        using RadioLink link = Link(new GatewayOptions { Region = "US" });
        var erin = new TestDevice("erin");
        byte[][] chain = Chain(erin, 4);
        byte relay = (byte)(erin.Node.Hint ^ 0x5A);
        foreach (int heard in new[] { 0, 1, 3 })
        {
            await Hear(link, Relayed(chain[heard], relay));
        }

        for (int ask = 0; ask < ArchivePull.MaxAsks; ask++)
        {
            Assert.True(link.PullOnce());
            Frame want = await SentOnAir(link);
            Assert.Equal(relay, want.NextHop);
            Assert.Equal(new[] { (erin.Id, 2u, 2u) }, Ranges(want));
        }

        Assert.False(link.PullOnce()); // nobody answered four times: the range is not asked forever

        // A new entry of erin heard (4, through the same relay) makes her chain worth asking again.
        await Hear(link, Relayed(chain[4], relay));
        Assert.True(link.PullOnce());
        Assert.Equal(relay, (await SentOnAir(link)).NextHop);
    }

    [Fact]
    public async Task Forged_answers_are_refused_and_not_stored_and_the_range_is_asked_again()
    {
        using RadioLink link = Link(new GatewayOptions { Region = "US" });
        var dave = new TestDevice("dave");
        byte[][] chain = Chain(dave, 5);
        foreach (int heard in new[] { 0, 1, 4 })
        {
            await Hear(link, chain[heard]);
        }

        Assert.True(link.PullOnce());
        Frame want = await SentOnAir(link);
        Assert.Equal(new[] { (dave.Id, 2u, 3u) }, Ranges(want));

        // Answer one: dave's real entry 2 with one bit of its signature flipped.
        byte[] badSignature = (byte[])chain[2].Clone();
        badSignature[^1] ^= 0x01;
        await Hear(link, badSignature);
        Assert.Equal(1, Counters.Get("dropped_badsignature"));

        // Answer two: an entry 2 really signed with dave's key, but of another chain (a twin that wrote its own 0..2):
        // it does not link to the held entry 1 (a fork, kept as evidence, never stored).
        var twin = new TestDevice(dave, restoring: false);
        byte[][] other = Chain(twin, 2, "forged");
        await Hear(link, other[2]);
        Assert.Equal(1, Counters.Get("dropped_brokenlink"));

        Assert.Equal(3, Counters.Get("stored"));
        using (var held = new HeldEntries(_fixture.Database))
        {
            Assert.Null(held.Get(dave.Id, 2));
            Assert.Null(held.Get(dave.Id, 3));
        }

        // Still missing, so still asked; the genuine answer is then stored.
        Assert.True(link.PullOnce());
        Assert.Equal(new[] { (dave.Id, 2u, 3u) }, Ranges(await SentOnAir(link)));
        await Hear(link, chain[2]);
        await Hear(link, chain[3]);
        Assert.Equal(5, Counters.Get("stored"));
        Assert.False(link.PullOnce());
    }

    [Fact]
    public async Task With_no_sync_share_a_pull_is_skipped_and_counted_without_using_up_the_authors_asks()
    {
        var options = new GatewayOptions { Region = "US", Radio = { SyncAirtimePercent = 0 } };
        using RadioLink link = Link(options);
        var dave = new TestDevice("dave");
        byte[][] chain = Chain(dave, 3);
        await Hear(link, chain[0]);
        await Hear(link, chain[2]);

        for (int i = 0; i < 2 * ArchivePull.MaxAsks; i++)
        {
            Assert.False(link.PullOnce());
        }

        Assert.Equal(2 * ArchivePull.MaxAsks, Counters.Get("radio_pull_refused_airtime"));
        Assert.Equal(0, Counters.Get("radio_pull_wants"));
        Assert.Equal(0, link.SyncQueue);
        _deviceRadio.StartReceive(0);
        await link.PollOnceAsync(CancellationToken.None);
        Assert.NotEqual(ReceiveStatus.Packet, _deviceRadio.PollReceive(_packet)); // nothing went on air

        // The share back: the range is asked (the skipped pulls did not count as asks).
        options.Radio.SyncAirtimePercent = 50;
        Assert.True(link.PullOnce());
        Assert.Equal(new[] { (dave.Id, 1u, 1u) }, Ranges(await SentOnAir(link)));
    }

    [Fact]
    public async Task Pulls_stop_at_the_sync_share_of_the_duty_cycle()
    {
        // EU 868: 10 % duty cycle, 360 s of airtime an hour; 1 % of it for sync is 3.6 s, a handful of wants.
        using RadioLink link = Link(new GatewayOptions { Region = "EU_868", Radio = { SyncAirtimePercent = 1 } });
        foreach (string name in new[] { "a1", "b22", "c333", "d4444" })
        {
            byte[][] chain = Chain(new TestDevice(name), 2);
            await Hear(link, chain[0]);
            await Hear(link, chain[2]);
        }

        long share = 3_600;
        long sentAirtime = 0;
        int sent = 0;
        for (int i = 0; i < 4 * ArchivePull.MaxAsks; i++)
        {
            if (link.PullOnce())
            {
                Frame want = await SentOnAir(link);
                sentAirtime += TimeOnAir.Milliseconds(_gatewayRadio.Settings!.Modulation, Encode(want).Length);
                sent++;
            }
        }

        long refused = Counters.Get("radio_pull_refused_airtime");
        Assert.True(sent > 0 && refused > 0 && sent + refused == 4 * ArchivePull.MaxAsks, $"{sent} sent, {refused} refused");
        Assert.Equal(sent, Counters.Get("radio_sync_frames_sent"));
        Assert.True(sentAirtime <= share, $"{sentAirtime} ms of wants sent against a {share} ms share");
        long oneMore = TimeOnAir.Milliseconds(_gatewayRadio.Settings!.Modulation, MaxWantFrame);
        Assert.True(sentAirtime + oneMore > share, $"{sentAirtime} ms sent, {oneMore} ms more would have fitted"); // as many as fit, no fewer
    }

    [Fact]
    public async Task Entries_of_an_author_whose_profile_is_not_held_are_refused_so_no_range_is_remembered_or_asked()
    {
        // The gateway verifies each entry against its author's profile (sequence 0): a run starting above 0 is never held,
        // so hearing 3..5 alone stores nothing and the pull has nothing to ask (heads, §8.1, fetch the chain from 0).
        using RadioLink link = Link(new GatewayOptions { Region = "US" });
        var dave = new TestDevice("dave");
        byte[][] chain = Chain(dave, 5);
        foreach (int heard in new[] { 3, 4, 5 })
        {
            await Hear(link, chain[heard]);
        }

        Assert.Equal(3, Counters.Get("dropped_unknownauthor"));
        Assert.False(link.PullOnce());
        Assert.Equal(0, link.PullAuthors);
    }

    [Fact]
    public async Task A_flood_of_authors_is_remembered_only_up_to_the_cap()
    {
        using RadioLink link = Link(new GatewayOptions { Region = "US" });
        const int Authors = 1_000;
        for (int i = 0; i < Authors; i++)
        {
            await Hear(link, new TestDevice("flood" + i).Take()[0]);
        }

        Assert.Equal(Authors, Counters.Get("stored"));
        Assert.False(link.PullOnce()); // every chain is whole (its genesis): nothing to ask
        Assert.Equal(ArchivePull.MaxAuthors, link.PullAuthors);
        Assert.Equal(0, Counters.Get("radio_pull_notes_dropped"));
    }

    [Fact]
    public async Task An_author_heard_after_the_table_filled_with_others_is_still_pulled()
    {
        using RadioLink link = Link(new GatewayOptions { Region = "US" });
        for (int i = 0; i < ArchivePull.MaxAuthors + 44; i++)
        {
            await Hear(link, new TestDevice("early" + i).Take()[0]);
        }

        Assert.False(link.PullOnce()); // every chain is whole (its genesis): nothing to ask
        Assert.Equal(ArchivePull.MaxAuthors, link.PullAuthors);

        var dave = new TestDevice("dave");
        byte[][] chain = Chain(dave, 3);
        await Hear(link, chain[0]);
        await Hear(link, chain[3]);
        Assert.True(link.PullOnce()); // dave took the place of the author noted longest ago
        Assert.Equal(ArchivePull.MaxAuthors, link.PullAuthors);
        Assert.Equal(new[] { (dave.Id, 1u, 2u) }, Ranges(await SentOnAir(link)));
    }

    [Fact]
    public async Task A_hole_beyond_the_store_views_first_window_is_found_and_the_view_refuses_writes()
    {
        // Gerd's chain 0..700 reached the gateway over UDP but for 600..601; his genesis was heard on the radio.
        using RadioLink link = Link(new GatewayOptions { Region = "US" });
        var gerd = new TestDevice("gerd");
        var frames = new List<byte[]>();
        for (int batch = 0; batch < 7; batch++)
        {
            frames.AddRange(Chain(gerd, 100, "batch " + batch, batch == 0 ? 101 : 100));
        }

        Assert.Equal(701, frames.Count);
        await Hear(link, frames[0]);
        for (int s = 1; s < frames.Count; s++)
        {
            if (s is not (600 or 601))
            {
                Assert.Equal(IngestOutcome.Stored, await _fixture.Ingest.IngestAsync(frames[s], IngestSource.Udp));
            }
        }

        Assert.True(link.PullOnce());
        Frame want = await SentOnAir(link);
        Assert.Equal(gerd.Node.Hint, want.NextHop);
        Assert.Equal(new[] { (gerd.Id, 600u, 601u) }, Ranges(want));
        using var held = new HeldEntries(_fixture.Database);
        Assert.True(held.TryGetRange(gerd.Id, out uint low, out uint high));
        Assert.Equal((0u, 700u, 699), (low, high, held.Count));
        Assert.Null(held.Get(gerd.Id, 601));
        Assert.Equal(599u, held.Get(gerd.Id, 599)!.Entry.Sequence);
        Assert.Equal(602u, held.Get(gerd.Id, 602)!.Entry.Sequence);
        Assert.Throws<NotSupportedException>(() => held.Put(held.Get(gerd.Id, 0)!));
    }

    [Fact]
    public async Task A_pull_that_throws_is_counted_and_logged_and_the_loop_pulls_again_once_the_fault_is_gone()
    {
        // A store row that does not read back (a hash stored as text: a damaged file) makes the pull throw an
        // InvalidCastException, not a SqliteException; it must cost that pull only, not the loop.
        var log = new WarningLog();
        var options = new GatewayOptions { Region = "US", Radio = { ArchivePullSeconds = 1 } };
        using RadioLink link = Link(options, log);
        var dave = new TestDevice("dave");
        byte[][] chain = Chain(dave, 5);
        foreach (int heard in new[] { 0, 1, 4 })
        {
            await Hear(link, chain[heard]);
        }

        byte[] hash;
        using (var store = new Microsoft.Data.Sqlite.SqliteConnection(_fixture.Database.ConnectionString))
        {
            store.Open();
            hash = (byte[])Sql(store, "SELECT hash FROM entries WHERE author = $a AND seq = 1", dave.Id, null)!;
            Sql(store, "UPDATE entries SET hash = $h WHERE author = $a AND seq = 1", dave.Id, "not a hash");
            await link.StartAsync(CancellationToken.None);
            MosquittoBroker.WaitUntil(() => Counters.Get("radio_pull_errors") >= 2, TimeSpan.FromSeconds(20), "two failed pulls");
            Assert.Equal(0, Counters.Get("radio_pull_wants"));
            Assert.Contains(log.Warnings, w => w.Contains("InvalidCastException", StringComparison.Ordinal));

            Sql(store, "UPDATE entries SET hash = $h WHERE author = $a AND seq = 1", dave.Id, hash);
        }

        MosquittoBroker.WaitUntil(() => Counters.Get("radio_pull_wants") >= 1, TimeSpan.FromSeconds(20), "a pull after the repair");
        await link.StopAsync(CancellationToken.None); // the loop ended by cancellation, not by the fault
    }

    [Fact]
    public async Task A_pull_that_throws_gives_back_the_airtime_it_reserved()
    {
        // EU 868 with a 1 % sync share: 3.6 s, a handful of wants. Failed pulls must not use it up.
        using RadioLink link = Link(new GatewayOptions { Region = "EU_868", Radio = { SyncAirtimePercent = 1 } });
        var dave = new TestDevice("dave");
        byte[][] chain = Chain(dave, 5);
        foreach (int heard in new[] { 0, 1, 4 })
        {
            await Hear(link, chain[heard]);
        }

        using var store = new Microsoft.Data.Sqlite.SqliteConnection(_fixture.Database.ConnectionString);
        store.Open();
        byte[] hash = (byte[])Sql(store, "SELECT hash FROM entries WHERE author = $a AND seq = 1", dave.Id, null)!;
        Sql(store, "UPDATE entries SET hash = $h WHERE author = $a AND seq = 1", dave.Id, "not a hash");
        for (int i = 0; i < 50; i++)
        {
            Assert.Throws<InvalidCastException>(() => link.PullOnce());
        }

        Sql(store, "UPDATE entries SET hash = $h WHERE author = $a AND seq = 1", dave.Id, hash);
        Assert.True(link.PullOnce());
        Assert.Equal(0, Counters.Get("radio_pull_refused_airtime"));
        Assert.Equal(new[] { (dave.Id, 2u, 3u) }, Ranges(await SentOnAir(link)));
    }

    [Fact]
    public async Task A_want_whose_answer_cannot_be_read_from_the_store_is_counted_and_the_next_one_is_answered()
    {
        var log = new WarningLog();
        using RadioLink link = Link(new GatewayOptions { Region = "US", Radio = { ArchivePullSeconds = 0 } }, log);
        var dave = new TestDevice("dave");
        byte[][] chain = Chain(dave, 3);
        foreach (byte[] frame in chain)
        {
            await Hear(link, frame);
        }

        using var store = new Microsoft.Data.Sqlite.SqliteConnection(_fixture.Database.ConnectionString);
        store.Open();
        byte[] bytes = (byte[])Sql(store, "SELECT bytes FROM entries WHERE author = $a AND seq = 2", dave.Id, null)!;
        Sql(store, "UPDATE entries SET bytes = $h WHERE author = $a AND seq = 2", dave.Id, "not an entry");
        byte[] want = Encode(new Frame(FrameType.Want, 0, 0, false, 0, 0x77, new WantMessage([new SequenceRange(dave.Id, 2, 2)]).Encode()));
        await Hear(link, want); // threw out of the receive step before: the loop, and with it the gateway, stopped
        Assert.Equal(1, Counters.Get("radio_sync_errors"));
        Assert.Equal(0, link.SyncQueue);
        Assert.Contains(log.Warnings, w => w.Contains("InvalidCastException", StringComparison.Ordinal));

        // Repaired: the same want is answered, within the same receive step (the device listens right after asking).
        Sql(store, "UPDATE entries SET bytes = $h WHERE author = $a AND seq = 2", dave.Id, bytes);
        _deviceRadio.Transmit(want, 0, want.Length);
        _deviceRadio.StartReceive(0);
        await link.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, Counters.Get("radio_sync_errors"));
        Assert.Equal(1, Counters.Get("radio_sync_frames_sent"));
        Assert.Equal(ReceiveStatus.Packet, _deviceRadio.PollReceive(_packet));
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(_packet.Data, 0, _packet.Length, FrameLimits.LoRa, out Frame? answer));
        Assert.Equal(FrameType.Entry, answer!.Type);
        Assert.Equal(bytes, answer.Payload);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(86_401)]
    public void A_pull_interval_out_of_range_is_refused_at_start_naming_the_setting(int seconds)
    {
        var options = new GatewayOptions { Radio = { ArchivePullSeconds = seconds } };
        var e = Assert.Throws<ConfigurationException>(() => GatewayOptionsValidator.Validate(options, BoardCatalog.Default()));
        Assert.Equal($"Gateway:Radio:ArchivePullSeconds: {seconds} must be 0 (no archive pull) to 86400 seconds between pulls", Assert.Single(e.Problems));
    }

    [Fact]
    public async Task With_pulling_off_nothing_is_remembered_or_asked()
    {
        using RadioLink link = Link(new GatewayOptions { Region = "US", Radio = { ArchivePullSeconds = 0 } });
        byte[][] chain = Chain(new TestDevice("dave"), 3);
        await Hear(link, chain[0]);
        await Hear(link, chain[2]);
        Assert.False(link.PullOnce());
        Assert.Equal(0, link.PullAuthors);
        Assert.Null(GatewayOptionsValidator.Validate(new GatewayOptions { Radio = { ArchivePullSeconds = 0 } }, BoardCatalog.Default()));
    }

    // The largest one-range want frame the pull reserves airtime for.
    private static int MaxWantFrame => FrameLimits.HeaderSize + new WantMessage([new SequenceRange(uint.MaxValue, uint.MaxValue - 1, uint.MaxValue)]).Encode().Length;

    private static byte[][] Chain(TestDevice device, int posts, string text = "post", int? frameCount = null)
    {
        for (int i = 0; i < posts; i++)
        {
            device.Node.PostPublic(text + " " + i + " from " + device.Name);
        }

        byte[][] frames = device.Take();
        Assert.Equal(frameCount ?? posts + 1, frames.Length);
        Assert.All(frames, f => Assert.True(f.Length <= FrameLimits.LoRa));
        return frames;
    }

    private static Frame Decode(byte[] bytes)
    {
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.Ip, out Frame? frame));
        return frame!;
    }

    private static byte[] Encode(Frame frame) => FrameCodec.Encode(frame, FrameLimits.LoRa);

    private static byte[] Relayed(byte[] bytes, byte relay)
    {
        Frame f = Decode(bytes);
        return Encode(f.Readdressed(Math.Max(0, f.HopLimit - 1), 0, relay));
    }

    private static (uint Author, uint From, uint To)[] Ranges(Frame want)
    {
        Assert.Equal(ProtocolError.None, WantMessage.TryDecode(want.Payload, out WantMessage? message));
        return [.. message!.Ranges.Select(r => (r.Author, r.From, r.To))];
    }

    private static object? Sql(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, uint author, object? hash)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", (long)author);
        if (hash is not null)
        {
            command.Parameters.AddWithValue("$h", hash);
        }

        return command.ExecuteScalar();
    }

    private RadioLink Link(GatewayOptions options, ILogger<RadioLink>? log = null)
    {
        var link = new RadioLink(Options.Create(options), _fixture.Ingest, Counters, new NodeDirectory(), new SyncResponder(_fixture.Database, GatewayIdentity), _fixture.Database, GatewayIdentity, log ?? NullLogger<RadioLink>.Instance, () => _gatewayRadio);
        link.Open();
        _gatewayRadio.StartReceive(0);
        return link;
    }

    /// <summary>A device sends <paramref name="frame"/> on air and the gateway takes it (ingest waits for the commit).</summary>
    private async Task Hear(RadioLink link, byte[] frame)
    {
        long before = Counters.Get("radio_rx");
        _deviceRadio.Transmit(frame, 0, frame.Length);
        await link.PollOnceAsync(CancellationToken.None);
        Assert.Equal(before + 1, Counters.Get("radio_rx"));
    }

    /// <summary>The gateway sends its next queued frame; the device's radio receives it.</summary>
    private async Task<Frame> SentOnAir(RadioLink link)
    {
        _deviceRadio.StartReceive(0);
        await link.PollOnceAsync(CancellationToken.None);
        Assert.Equal(ReceiveStatus.Packet, _deviceRadio.PollReceive(_packet));
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(_packet.Data, 0, _packet.Length, FrameLimits.LoRa, out Frame? frame));
        return frame!;
    }

    private Sx1262Driver Radio(double x)
    {
        var chip = new SimulatedSx1262(_air, _clock, x);
        var driver = new Sx1262Driver(chip, chip, _clock);
        driver.Initialize(LoRaRadioSettings.For(Region.Us915, ModemPreset.LongFast, 20));
        return driver;
    }

    /// <summary>The link's warnings, with their exception's type, as the host's console logger would show them.</summary>
    private sealed class WarningLog : ILogger<RadioLink>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _warnings = new();

        public IEnumerable<string> Warnings => _warnings;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                _warnings.Enqueue(formatter(state, exception) + " " + exception?.GetType().Name);
            }
        }
    }
}
