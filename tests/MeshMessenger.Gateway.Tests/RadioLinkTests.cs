using MeshMessenger.Emulator.Channel;
using MeshMessenger.Emulator.Chips;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.LoRa;
using MeshMessenger.Radio.Sx126x;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The gateway's radio link over the real SX1262 driver and a simulated chip on the emulator's air.</summary>
public sealed class RadioLinkTests : IAsyncDisposable
{
    private readonly IngestFixture _fixture = new("gw-radio-", new LinkBudgets(0, 0), _ => null);
    private readonly ChipAir _air = new(new LogDistancePathLoss());
    private readonly ChipClock _clock = new();

    private GatewayCounters _counters => _fixture.Counters;

    private FrameIngest _ingest => _fixture.Ingest;

    private readonly NodeDirectory _directory = new();

    private static NodeIdentity GatewayIdentity { get; } = NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)0x6B, 32).ToArray());

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    // The gateway's radio link over the given simulated chip, on this fixture's store and counters.
    private RadioLink Link(IOptions<GatewayOptions> options, Sx1262Driver chip) =>
        new(options, _ingest, _counters, _directory, new SyncResponder(_fixture.Database, GatewayIdentity), _fixture.Database, GatewayIdentity, NullLogger<RadioLink>.Instance, () => chip);

    // The link opened in the US region (no duty-cycle limit) and its chip listening.
    private RadioLink Listening(Sx1262Driver chip, int? syncAirtimePercent = null)
    {
        var options = new GatewayOptions { Region = "US" };
        options.Radio.SyncAirtimePercent = syncAirtimePercent ?? options.Radio.SyncAirtimePercent;
        RadioLink link = Link(Options.Create(options), chip);
        link.Open();
        chip.StartReceive(0);
        return link;
    }

    // A device heard on the radio (its genesis, at 150 m), whose friend's genesis the gateway holds from UDP.
    private async Task<(RadioLink Link, Sx1262Driver VictimRadio, TestDevice Victim, TestDevice Friend)> VictimHeardOnTheRadio()
    {
        Sx1262Driver gatewayRadio = Radio(0);
        Sx1262Driver victimRadio = Radio(150);
        RadioLink link = Listening(gatewayRadio);
        var victim = new TestDevice("victim");
        var friend = new TestDevice("friend");
        victim.Befriend(friend);
        byte[] genesis = victim.Take()[0];
        victimRadio.Transmit(genesis, 0, genesis.Length);
        await link.PollOnceAsync(CancellationToken.None);
        await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp, "10.0.0.3:4000");
        return (link, victimRadio, victim, friend);
    }

    // A new identity writes count genuine DMs to the victim over UDP from one address; each is stored.
    private async Task Flood(TestDevice victim, string name, string from, int count)
    {
        var attacker = new TestDevice(name);
        attacker.Node.AddContact(ContactCard.Create(victim.Identity, victim.Name, null));
        await _ingest.IngestAsync(attacker.Take()[0], IngestSource.Udp, from);
        for (int i = 0; i < count; i++)
        {
            attacker.Node.SendText(victim.Id, "buy now " + i);
            Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(attacker.Take()[0], IngestSource.Udp, from));
        }
    }

    [Fact]
    public async Task Frames_heard_on_the_radio_are_stored_and_a_direct_message_goes_back_to_the_neighbour()
    {
        (RadioLink link, Sx1262Driver deviceRadio, TestDevice device, TestDevice friend) = await VictimHeardOnTheRadio();
        Assert.Equal(1, _counters.Get("radio_rx"));
        Assert.Equal(2, _counters.Get("stored")); // the device's genesis heard on the radio, the friend's from UDP
        HeardNode heard = Assert.Single(_directory.Snapshot());
        Assert.Equal((device.Id, IngestSource.Radio), (heard.Id, heard.Link));
        Assert.InRange(heard.RssiDbm!.Value, -140, -20); // the simulated chip's packet RSSI at 150 m
        Assert.NotEqual("n/a", heard.Quality);

        // A friend's direct message to the device arrives over UDP; the radio hands it to its neighbour.
        friend.Node.SendText(device.Id, "meet at the well at noon");
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp));
        Assert.Equal(1, link.DownlinkQueue); // the friend's genesis is not for the device: only the message is
        deviceRadio.StartReceive(0);
        await link.PollOnceAsync(CancellationToken.None);
        var packet = new ReceivedPacket();
        Assert.Equal(ReceiveStatus.Packet, deviceRadio.PollReceive(packet));
        Assert.Equal(Protocol.ProtocolError.None, device.Node.Receive(packet.Data, 0, packet.Length));
        Assert.Contains(device.Node.Messages.Cast<Protocol.Node.MessageRecord>(), m => m.Text == "meet at the well at noon");
    }

    [Fact]
    public async Task A_channel_post_carrying_a_heard_neighbour_s_hint_is_not_queued_for_it_on_the_radio()
    {
        // A channel post carries its channel's hint, which a neighbour's own hint may equal: only a direct entry is for it.
        (RadioLink link, _, TestDevice device, TestDevice friend) = await VictimHeardOnTheRadio();
        ChannelKey channel = Enumerable.Range(1, 100_000).Select(i => new ChannelKey("hikers", [.. BitConverter.GetBytes(i), .. new byte[28]]))
            .First(c => c.Hint == NodeId.HintOf(device.Id));
        Assert.True(friend.Node.JoinChannel(channel));
        friend.Node.PostToChannel(channel.Id, "for the channel, not the device");
        foreach (byte[] frame in friend.Take())
        {
            Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(frame, IngestSource.Udp));
        }

        Assert.Equal(0, link.DownlinkQueue);
        friend.Node.SendText(device.Id, "for the device");
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp));
        Assert.Equal(1, link.DownlinkQueue);
    }

    [Fact]
    public async Task Junk_under_a_made_up_or_forged_author_neither_lists_a_node_nor_sends_the_radio_anything_for_its_hint()
    {
        // The attack: the radio sends an entry only to a hint it heard lately, within the hour's duty cycle. Noted before
        // verification, junk frames under authors nobody near holds (one per hint) made every stored entry for those hints
        // queue for the radio, and 256 queued frames are hours of a 1 % duty cycle ahead of a real neighbour's message.
        Sx1262Driver gatewayRadio = Radio(0);
        Sx1262Driver attackerRadio = Radio(150);
        RadioLink link = Listening(gatewayRadio);

        var ghost = new TestDevice("ghost"); // never heard by the gateway: its profile is unknown
        var victim = new TestDevice("victim");
        var friend = new TestDevice("friend");
        friend.Node.AddContact(ContactCard.Create(ghost.Identity, ghost.Name, null));
        await _ingest.IngestAsync(victim.Take()[0], IngestSource.Udp, "10.0.0.2:4000");
        await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp, "10.0.0.3:4000");
        victim.Node.PostPublic("hello");
        byte[] forged = victim.Take()[0];
        forged[^1] ^= 0x01; // the victim's next entry with one signature bit flipped
        ghost.Take(); // its genesis never reaches the gateway
        ghost.Node.PostPublic("boo");
        byte[] unknown = ghost.Take()[0]; // and an entry of an author whose key the gateway lacks
        foreach (byte[] junk in new[] { forged, unknown })
        {
            attackerRadio.Transmit(junk, 0, junk.Length);
            await link.PollOnceAsync(CancellationToken.None);
        }

        Assert.Equal(2, _counters.Get("radio_rx"));
        Assert.Equal(1, _counters.Get("dropped_badsignature"));
        Assert.Equal(1, _counters.Get("dropped_unknownauthor"));

        friend.Node.SendText(ghost.Id, "for the ghost's hint");
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp, "10.0.0.3:4000"));
        Assert.Equal(0, link.DownlinkQueue);
        Assert.False(link.EnqueueNotice(victim.Id, [1, 2, 3, 4]));
        Assert.Empty(_directory.Snapshot());
    }

    [Fact]
    public async Task A_flood_of_direct_messages_to_a_neighbour_s_hint_cannot_drop_or_delay_a_friend_s_messages_and_every_drop_is_counted()
    {
        // The attack: anyone can make an identity and write entries over UDP, and the radio sends about a frame a second
        // or less, so 300 genuine DMs to the victim's hint filled a single first-come queue of 256 frames and the
        // friend's message behind them was dropped without a trace.
        (RadioLink link, Sx1262Driver victimRadio, TestDevice victim, TestDevice friend) = await VictimHeardOnTheRadio();
        await Flood(victim, "attacker", "10.0.0.66:4000", 300);

        // One frame each: the attacker's queue for the hint keeps its first 64, the rest are dropped and counted.
        Assert.Equal(RadioDownlink.MaxFramesPerQueue, link.DownlinkQueue);
        Assert.Equal(300 - RadioDownlink.MaxFramesPerQueue, _counters.Get("radio_downlink_dropped"));

        friend.Node.SendText(victim.Id, "meet at the well at noon");
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp, "10.0.0.3:4000"));
        string letter = "a long letter: " + new string('x', 600);
        friend.Node.SendText(victim.Id, letter);
        IngestOutcome outcome = IngestOutcome.Malformed;
        foreach (byte[] piece in friend.Take())
        {
            outcome = await _ingest.IngestAsync(piece, IngestSource.Udp, "10.0.0.3:4000");
        }

        Assert.Equal(IngestOutcome.Stored, outcome);
        int total = link.DownlinkQueue;
        Assert.True(total > RadioDownlink.MaxFramesPerQueue + 2, $"{total} frames: the letter is sent as fragments");

        // Authors take turns at the hint: the friend's message is the second frame sent, and the letter's fragments go
        // out one after another (an entry is never split by another's frames), then the rest of the flood.
        var packet = new ReceivedPacket();
        var types = new List<FrameType>();
        int noon = -1;
        int read = -1;
        while (link.DownlinkQueue > 0)
        {
            victimRadio.StartReceive(0);
            await link.PollOnceAsync(CancellationToken.None);
            Assert.Equal(ReceiveStatus.Packet, victimRadio.PollReceive(packet));
            Assert.Equal(Protocol.ProtocolError.None, FrameCodec.TryDecode(packet.Data, 0, packet.Length, FrameLimits.LoRa, out Frame? frame));
            types.Add(frame!.Type);
            victim.Node.Receive(packet.Data, 0, packet.Length);
            IEnumerable<Protocol.Node.MessageRecord> messages = victim.Node.Messages.Cast<Protocol.Node.MessageRecord>();
            noon = noon < 0 && messages.Any(m => m.Text == "meet at the well at noon") ? types.Count : noon;
            read = read < 0 && messages.Any(m => m.Text == letter) ? types.Count : read;
        }

        Assert.Equal(total, types.Count);
        Assert.Equal(2, noon);
        int first = types.IndexOf(FrameType.Fragment);
        int last = types.LastIndexOf(FrameType.Fragment);
        Assert.True(first >= 0 && types.Skip(first).Take(last - first + 1).All(t => t == FrameType.Fragment), string.Join(",", types));
        Assert.Equal(last + 1, read); // the letter is read once its last fragment is heard
        Assert.True(read < 10, $"the letter read at frame {read}");
    }

    [Fact]
    public async Task When_floods_from_many_identities_fill_the_radio_queue_a_friend_s_message_and_an_anchor_notice_displace_the_flood()
    {
        // Five identities, 64 DMs each to the victim's hint: 320 frames for a queue of 256. A newcomer takes the place of
        // the newest entry of the author with the most frames waiting, so the friend's one message and the gateway's
        // anchor notice are queued, go out in the first round of authors, and every entry dropped is counted.
        (RadioLink link, Sx1262Driver victimRadio, TestDevice victim, TestDevice friend) = await VictimHeardOnTheRadio();
        for (int a = 0; a < 5; a++)
        {
            await Flood(victim, "attacker" + a, $"10.0.1.{a}:4000", RadioDownlink.MaxFramesPerQueue);
        }

        Assert.Equal(RadioDownlink.MaxFrames, link.DownlinkQueue);
        Assert.Equal((5 * RadioDownlink.MaxFramesPerQueue) - RadioDownlink.MaxFrames, _counters.Get("radio_downlink_dropped"));

        friend.Node.SendText(victim.Id, "meet at the well at noon");
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp, "10.0.0.3:4000"));
        byte[] notice = [0xA5, 0x5A, 1, 2, 3];
        Assert.True(link.EnqueueNotice(victim.Id, notice));
        Assert.Equal(RadioDownlink.MaxFrames, link.DownlinkQueue);
        Assert.Equal((5 * RadioDownlink.MaxFramesPerQueue) - RadioDownlink.MaxFrames + 2, _counters.Get("radio_downlink_dropped"));

        var packet = new ReceivedPacket();
        int noon = -1;
        int noticed = -1;
        for (int sent = 1; sent <= 7; sent++)
        {
            victimRadio.StartReceive(0);
            await link.PollOnceAsync(CancellationToken.None);
            Assert.Equal(ReceiveStatus.Packet, victimRadio.PollReceive(packet));
            noticed = packet.ToArray().AsSpan().SequenceEqual(notice) ? sent : noticed;
            victim.Node.Receive(packet.Data, 0, packet.Length);
            noon = noon < 0 && victim.Node.Messages.Cast<Protocol.Node.MessageRecord>().Any(m => m.Text == "meet at the well at noon") ? sent : noon;
        }

        Assert.Equal(6, noon); // after one entry of each of the five identities
        Assert.Equal(7, noticed);
    }

    [Fact]
    public async Task A_CRC_error_is_counted_and_nothing_is_stored()
    {
        Sx1262Driver gatewayRadio = Radio(0);
        Sx1262Driver deviceRadio = Radio(100);
        var link = Link(Options.Create(new GatewayOptions()), gatewayRadio);
        link.Open();
        gatewayRadio.StartReceive(0);
        _air.CorruptNextPacket();
        byte[] genesis = new TestDevice("noisy").Take()[0];
        deviceRadio.Transmit(genesis, 0, genesis.Length);
        await link.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, _counters.Get("dropped_crc"));
        Assert.Equal(0, _counters.Get("stored"));
    }

    [Fact]
    public async Task A_want_heard_on_the_radio_is_answered_within_the_sync_share_of_the_duty_cycle_and_the_rest_is_refused_and_counted()
    {
        Sx1262Driver gatewayRadio = Radio(0);
        Sx1262Driver deviceRadio = Radio(150);
        // US has no duty-cycle limit (100 %); 1 % of it for sync answers is 36 s of airtime an hour.
        RadioLink link = Listening(gatewayRadio, syncAirtimePercent: 1);

        // Dave's chain (his profile and 40 posts of about 170 bytes, one LoRa frame each) reached the gateway over UDP.
        var dave = new TestDevice("dave");
        for (int i = 0; i < 40; i++)
        {
            dave.Node.PostPublic(new string('p', 100) + i);
        }

        int stored = 0;
        foreach (byte[] frame in dave.Take())
        {
            Assert.True(frame.Length <= FrameLimits.LoRa);
            Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(frame, IngestSource.Udp));
            stored++;
        }

        Assert.Equal(0, link.DownlinkQueue); // nobody heard on the radio: no downlink of them
        var device = new TestDevice("field");
        byte[] want = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0, device.Node.Hint, new WantMessage([new SequenceRange(dave.Id, 0, 40)]).Encode()), FrameLimits.LoRa);
        deviceRadio.Transmit(want, 0, want.Length);

        // The link takes the want and queues what the sync share affords; every queued answer then goes out and
        // the device reads each one.
        var packet = new ReceivedPacket();
        int heard = 0;
        do
        {
            deviceRadio.StartReceive(0);
            await link.PollOnceAsync(CancellationToken.None);
            if (deviceRadio.PollReceive(packet) == ReceiveStatus.Packet)
            {
                heard++;
                device.Node.Receive(packet.Data, 0, packet.Length);
            }
        }
        while (link.SyncQueue > 0);

        Assert.Equal(1, _counters.Get("radio_sync_requests"));
        int queued = (int)_counters.Get("radio_sync_frames_sent");
        long refused = _counters.Get("radio_sync_refused_airtime");
        List<byte[][]> whole = new SyncResponder(_fixture.Database, GatewayIdentity).AnswerWant(new WantMessage([new SequenceRange(dave.Id, 0, 40)]), 0, 0, FrameLimits.LoRa);
        int answer = whole.Count;
        Assert.Equal(stored, answer);
        Assert.True(queued > 0 && refused > 0 && queued + refused == answer, $"{queued} sent, {refused} refused of {answer}");
        Assert.Equal(queued, heard);
        long airtime = whole.Take(queued).Sum(e => e.Sum(f => TimeOnAir.Milliseconds(gatewayRadio.Settings!.Modulation, f.Length)));
        long next = whole[queued].Sum(f => TimeOnAir.Milliseconds(gatewayRadio.Settings!.Modulation, f.Length));
        Assert.True(airtime <= 36_000 && airtime + next > 36_000, $"{airtime} ms sent, the next {next} ms"); // as many as the share affords, and no more
        Assert.InRange(device.Node.Messages.Cast<Protocol.Node.MessageRecord>().Count(m => m.Author == dave.Id), queued - 1, queued); // the genesis and then posts in order

        // A want for another node's hint is not the gateway's to answer.
        byte[] other = FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, (byte)(NodeId.HintOf(GatewayIdentity.Id) ^ 0xFF), device.Node.Hint, new WantMessage([new SequenceRange(dave.Id, 0, 0)]).Encode()), FrameLimits.LoRa);
        deviceRadio.Transmit(other, 0, other.Length);
        await link.PollOnceAsync(CancellationToken.None);
        Assert.Equal(0, link.SyncQueue);
    }

    private Sx1262Driver Radio(double x)
    {
        var chip = new SimulatedSx1262(_air, _clock, x);
        var driver = new Sx1262Driver(chip, chip, _clock);
        driver.Initialize(LoRaRadioSettings.For(Region.Us915, ModemPreset.LongFast, 20));
        return driver;
    }
}
