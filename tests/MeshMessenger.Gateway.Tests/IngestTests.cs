using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Gateway.Links;
using MeshMessenger.Gateway.Storage;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Sealing;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The ingest path on a real SQLite file: every frame verified before it is stored, every drop counted by reason.</summary>
public sealed class IngestTests : IAsyncDisposable
{
    private readonly IngestFixture _fixture = new("gw-ingest-", new LinkBudgets(6, 20), e => e.Source == IngestSource.Mqtt || e.LocalOnly ? null : $"t/{e.Author:x8}");

    private GatewayDatabase _db => _fixture.Database;

    private GatewayCounters _counters => _fixture.Counters;

    private FrameIngest _ingest => _fixture.Ingest;

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task A_device_s_genesis_then_its_messages_are_stored_and_queued_for_uplink()
    {
        var alice = new TestDevice("alice");
        var bob = new TestDevice("bob");
        alice.Befriend(bob);
        alice.Node.SendText(bob.Id, "hello through the gateway");
        foreach (byte[] frame in alice.Take())
        {
            Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(frame, IngestSource.Udp, "10.0.0.2:4000"));
        }

        using SqliteConnection c = _db.Open();
        Assert.Equal(2, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries"));
        Assert.Equal(2, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM outbox"));
        Assert.Equal(1, GatewayDatabase.Scalar(c, $"SELECT high FROM chains WHERE author = {alice.Id}"));
        Assert.Equal(1, GatewayDatabase.Scalar(c, $"SELECT COUNT(*) FROM contacts WHERE author = {alice.Id} AND name = 'alice'"));
        Assert.Equal(2, _counters.Get("frames_in_udp"));
    }

    [Fact]
    public async Task A_photo_post_from_a_lora_device_arrives_as_fragments_and_is_stored_whole_once_the_last_one_is_in()
    {
        (Protocol.Node.MessengerNode device, byte[][] fragments) = await PhotoPostFromALoRaDevice(42, 13);
        Assert.All(fragments, f => Assert.True(f.Length <= FrameLimits.LoRa));
        var outcomes = new List<IngestOutcome>();
        foreach (byte[] fragment in fragments.Reverse()) // out of order, as a mesh delivers them
        {
            outcomes.Add(await _ingest.IngestAsync(fragment, IngestSource.Radio));
        }

        Assert.Equal(IngestOutcome.Stored, outcomes[^1]);
        Assert.DoesNotContain(IngestOutcome.Stored, outcomes[..^1]);
        using SqliteConnection c = _db.Open();
        byte[] stored = (byte[])new SqliteCommand($"SELECT bytes FROM entries WHERE author = {device.Id} AND seq = 1", c).ExecuteScalar()!;
        Assert.Equal(1000 + "ford at noon".Length + 2, Protocol.Chain.EntryCodec.TryDecode(stored, 0, stored.Length, out Protocol.Chain.Entry? entry) == Protocol.ProtocolError.None ? entry!.BodyLength : -1);
    }

    [Fact]
    public async Task A_junk_piece_heard_on_the_radio_before_a_photo_s_genuine_piece_does_not_spoil_the_post()
    {
        // The attack: pieces are not signed, so someone on the air who hears a photo's first piece can send other
        // bytes under its message id, index and count (docs/protocol.md §5.2). When other bytes at an index dropped
        // the message, every receiver lost the post; it arrived only by sync. Now the junk is kept aside and the
        // combination whose SHA-256 starts with the message id is the one stored.
        (Protocol.Node.MessengerNode device, byte[][] pieces) = await PhotoPostFromALoRaDevice(44, 11);
        foreach (int index in new[] { 0, 1 })
        {
            Assert.Equal(Protocol.ProtocolError.None, FrameCodec.TryDecode(pieces[index], 0, pieces[index].Length, FrameLimits.LoRa, out Frame? frame));
            Assert.Equal(FrameType.Fragment, frame!.Type);
            Assert.Equal(Protocol.ProtocolError.None, Fragment.TryDecode(frame.Payload, out Fragment? genuine));
            byte[] junkData = (byte[])genuine!.Data.Clone();
            junkData[^1] ^= 0xFF;
            var junk = new Fragment(genuine.MessageId, genuine.Index, genuine.Count, junkData);
            Assert.Equal(IngestOutcome.NotStored, await _ingest.IngestAsync(FrameCodec.Encode(new Frame(FrameType.Fragment, 3, 3, false, 0, 0x66, junk.Encode()), FrameLimits.LoRa), IngestSource.Radio));
        }

        var outcomes = new List<IngestOutcome>();
        foreach (byte[] piece in pieces)
        {
            outcomes.Add(await _ingest.IngestAsync(piece, IngestSource.Radio));
        }

        Assert.Equal(IngestOutcome.Stored, outcomes[^1]);
        Assert.DoesNotContain(IngestOutcome.Stored, outcomes[..^1]);
        using SqliteConnection c = _db.Open();
        Assert.Equal(1, GatewayDatabase.Scalar(c, $"SELECT COUNT(*) FROM entries WHERE author = {device.Id} AND seq = 1"));
    }

    [Fact]
    public async Task Junk_pieces_from_a_UDP_port_cannot_evict_a_radio_device_s_photo_post_in_progress()
    {
        // The attack: a photo post from a LoRa device takes seconds of airtime piece by piece (docs/protocol.md §5.2).
        // While it is in progress, a stranger sends first pieces of made-up messages to the gateway's UDP port. When
        // every link shared one reassembler of 16 slots, 20 of them evicted the post and its last piece found nothing
        // to join: the post was lost. Now each IP sender has its own slots, and the radio its own.
        (Protocol.Node.MessengerNode device, byte[][] pieces) = await PhotoPostFromALoRaDevice(43, 7);
        foreach (byte[] piece in pieces[..^1])
        {
            Assert.Equal(IngestOutcome.NotStored, await _ingest.IngestAsync(piece, IngestSource.Radio));
        }

        for (uint id = 0; id < 20; id++)
        {
            var junk = new Fragment(0xA0000000u + id, 0, 2, [1, 2, 3, 4, 5, 6, 7, 8]);
            await _ingest.IngestAsync(FrameCodec.Encode(new Frame(FrameType.Fragment, 3, 3, false, 0, 0x66, junk.Encode()), FrameLimits.Ip), IngestSource.Udp, "10.0.0.66:5000");
        }

        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(pieces[^1], IngestSource.Radio));
        using SqliteConnection c = _db.Open();
        Assert.Equal(1, GatewayDatabase.Scalar(c, $"SELECT COUNT(*) FROM entries WHERE author = {device.Id} AND seq = 1"));
    }

    [Fact]
    public async Task Replays_forgeries_strangers_and_garbage_are_dropped_and_counted()
    {
        var alice = new TestDevice("alice");
        var carol = new TestDevice("carol");
        byte[][] genesis = alice.Take();
        alice.Node.PostPublic("a public post");
        byte[] post = alice.Take()[0];
        carol.Take();
        carol.Node.PostPublic("carol was never introduced");
        byte[] stranger = carol.Take()[0];

        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(genesis[0], IngestSource.Radio));
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(post, IngestSource.Radio));
        Assert.Equal(IngestOutcome.Duplicate, await _ingest.IngestAsync(post, IngestSource.Udp)); // a replay
        byte[] forged = (byte[])post.Clone();
        forged[^70] ^= 0x01; // a bit of the signed body
        Assert.Equal(IngestOutcome.BadSignature, await _ingest.IngestAsync(forged, IngestSource.Udp));
        Assert.Equal(IngestOutcome.UnknownAuthor, await _ingest.IngestAsync(stranger, IngestSource.Udp));
        Assert.Equal(IngestOutcome.Malformed, await _ingest.IngestAsync([0x10, 0x33, 0x00], IngestSource.Udp));
        Assert.Equal(IngestOutcome.Malformed, await _ingest.IngestEntryAsync(new byte[40], IngestSource.Mqtt));

        Assert.Equal(1, _counters.Get("dropped_duplicate"));
        Assert.Equal(1, _counters.Get("dropped_badsignature"));
        Assert.Equal(1, _counters.Get("dropped_unknownauthor"));
        Assert.Equal(2, _counters.Get("dropped_malformed"));
        using SqliteConnection c = _db.Open();
        Assert.Equal(2, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries"));
    }

    [Fact]
    public async Task Two_entries_with_one_sequence_number_are_a_fork_and_the_first_stays()
    {
        var alice = new TestDevice("alice");
        byte[] genesis = alice.Take()[0];
        alice.Node.PostPublic("first version");
        byte[] first = alice.Take()[0];

        // The same identity on a second device that lost its state: it reuses sequence 1.
        var twin = new Protocol.Node.MessengerNode(alice.Identity, "alice", new Protocol.Chain.MemoryEntryStore(), new FixedClock(), FrameLimits.Ip, restoring: false);
        twin.TakeOutbox();
        twin.PostPublic("second version");
        byte[] second = twin.TakeOutbox()[0];

        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(genesis, IngestSource.Radio));
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(first, IngestSource.Radio));
        Assert.Equal(IngestOutcome.Fork, await _ingest.IngestAsync(second, IngestSource.Radio));
        using SqliteConnection c = _db.Open();
        Assert.Equal(2, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_node_that_floods_is_rate_limited(bool onTheRadioThroughManyRelays)
    {
        // On the radio the relay byte is all a LoRa frame says of who sent it, and nobody signs it: a flood carried
        // through (or claiming) many relays is still one author's, and its new entries spend that author's budget.
        List<byte[]> frames = GenesisAndPosts(new TestDevice("noisy"), 40);
        var outcomes = new List<IngestOutcome>();
        for (int i = 0; i < frames.Count; i++)
        {
            outcomes.Add(onTheRadioThroughManyRelays
                ? await _ingest.IngestAsync(WithRelay(frames[i], (byte)i), IngestSource.Radio)
                : await _ingest.IngestAsync(frames[i], IngestSource.Udp));
        }

        Assert.Equal(20, outcomes.Count(o => o == IngestOutcome.Stored)); // the burst
        Assert.Equal(21, outcomes.Count(o => o == IngestOutcome.RateLimited));
    }

    [Fact]
    public async Task On_the_radio_junk_and_new_identities_sent_under_a_person_s_relay_byte_cannot_silence_them()
    {
        // The attack: on the radio the budget was keyed on the relay byte, which anyone can write. Forged copies of
        // a victim's entry and garbage under the victim's byte spent its junk budget, and genuine entries of made-up
        // identities under that byte its entry budget; the victim's next messages were then refused unverified.
        var victim = new TestDevice("victim");
        var friend = new TestDevice("friend");
        victim.Befriend(friend);
        byte[] genesis = victim.Take()[0];
        byte victimRelay = genesis[3];
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(friend.Take()[0], IngestSource.Radio));
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(genesis, IngestSource.Radio));
        victim.Node.SendText(friend.Id, "first");
        byte[] genuine = victim.Take()[0];
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(genuine, IngestSource.Radio));

        var attack = new List<IngestOutcome>();
        for (int i = 0; i < 60; i++)
        {
            byte[] forged = (byte[])genuine.Clone();
            forged[^(1 + (i % 40))] ^= 0x01; // inside the signature or the sealed body
            attack.Add(await _ingest.IngestAsync(forged, IngestSource.Radio));
            byte[] garbage = WithRelay(new byte[] { 0x21, 0, 0, 0, (byte)i, 0xFF, 0xFF }, victimRelay);
            attack.Add(await _ingest.IngestAsync(garbage, IngestSource.Radio));
        }

        for (int n = 0; n < 3; n++)
        {
            foreach (byte[] f in GenesisAndPosts(new TestDevice($"stranger{n}"), 10))
            {
                attack.Add(await _ingest.IngestAsync(WithRelay(f, victimRelay), IngestSource.Radio));
            }
        }

        Assert.Contains(IngestOutcome.BadSignature, attack);
        Assert.Equal(33, attack.Count(o => o == IngestOutcome.Stored)); // the strangers' own entries, within their budgets

        var victimOutcomes = new List<IngestOutcome>();
        for (int i = 0; i < 10; i++)
        {
            victim.Node.SendText(friend.Id, $"message {i}");
            victimOutcomes.Add(await _ingest.IngestAsync(victim.Take()[0], IngestSource.Radio));
        }

        Assert.All(victimOutcomes, o => Assert.Equal(IngestOutcome.Stored, o));
        using SqliteConnection c = _db.Open();
        Assert.Equal(11, GatewayDatabase.Scalar(c, $"SELECT high FROM chains WHERE author = {victim.Id}"));
    }

    private static List<byte[]> GenesisAndPosts(TestDevice device, int posts)
    {
        var frames = new List<byte[]>(device.Take());
        for (int i = 0; i < posts; i++)
        {
            device.Node.PostPublic($"post {i}");
            frames.AddRange(device.Take());
        }

        return frames;
    }

    // A LoRa device (root secret of seed bytes) whose genesis the radio stored, and the fragments of its photo post:
    // "ford at noon" with 1,000 bytes of image (byte i = i * step), 5 or 6 LoRa pieces.
    private async Task<(Protocol.Node.MessengerNode Device, byte[][] Pieces)> PhotoPostFromALoRaDevice(byte seed, int step)
    {
        var device = new Protocol.Node.MessengerNode(Protocol.Identity.NodeIdentity.FromRootSecret(Enumerable.Repeat(seed, 32).ToArray()), "lora", new Protocol.Chain.MemoryEntryStore(), new FixedClock(), FrameLimits.LoRa, restoring: false);
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(device.TakeOutbox().Single(), IngestSource.Radio));
        device.PostPublic("ford at noon", Protocol.Wire.PostBody.WebpImage, Enumerable.Range(0, 1000).Select(i => (byte)(i * step)).ToArray());
        byte[][] pieces = device.TakeOutbox();
        Assert.InRange(pieces.Length, 5, 6);
        return (device, pieces);
    }

    // The frame with its relay byte (header byte 3, docs/protocol.md §5) set to relay.
    private static byte[] WithRelay(byte[] frame, byte relay)
    {
        byte[] copy = (byte[])frame.Clone();
        copy[3] = relay;
        return copy;
    }

    [Fact]
    public async Task Forged_copies_of_a_person_s_entries_from_another_address_cannot_silence_them()
    {
        // The attack: copies of a victim's genuine entry with one byte flipped, sent to the gateway's UDP port.
        // When the budget was keyed on the author an entry claims, each forgery spent the victim's share and the
        // victim's next messages were dropped. Now the forger's address pays, and the victim's all arrive.
        var victim = new TestDevice("victim");
        var friend = new TestDevice("friend");
        victim.Befriend(friend);
        const string victimAddress = "10.0.0.2:4000";
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(friend.Take()[0], IngestSource.Udp, "10.0.0.3:4000"));
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(victim.Take()[0], IngestSource.Udp, victimAddress));
        victim.Node.SendText(friend.Id, "first");
        byte[] genuine = victim.Take()[0];
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(genuine, IngestSource.Udp, victimAddress));

        var forgeries = new List<IngestOutcome>();
        for (int i = 0; i < 60; i++)
        {
            byte[] forged = (byte[])genuine.Clone();
            forged[^(1 + (i % 40))] ^= 0x01; // inside the signature or the sealed body
            forgeries.Add(await _ingest.IngestAsync(forged, IngestSource.Udp, $"10.0.0.66:{5000 + (i % 2)}"));
        }

        Assert.Contains(IngestOutcome.BadSignature, forgeries);
        Assert.Contains(IngestOutcome.RateLimited, forgeries); // the forger's addresses ran out of budget

        var victimOutcomes = new List<IngestOutcome>();
        for (int i = 0; i < 10; i++)
        {
            victim.Node.SendText(friend.Id, $"message {i}");
            victimOutcomes.Add(await _ingest.IngestAsync(victim.Take()[0], IngestSource.Udp, victimAddress));
        }

        Assert.All(victimOutcomes, o => Assert.Equal(IngestOutcome.Stored, o));
        using SqliteConnection c = _db.Open();
        Assert.Equal(11, GatewayDatabase.Scalar(c, $"SELECT high FROM chains WHERE author = {victim.Id}"));
    }

    [Fact]
    public async Task Replays_of_genuine_entries_cost_the_replaying_address_not_the_author()
    {
        var author = new TestDevice("author");
        byte[] genesis = author.Take()[0];
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(genesis, IngestSource.Udp, "10.0.0.2:4000"));
        for (int i = 0; i < 30; i++)
        {
            await _ingest.IngestAsync(genesis, IngestSource.Udp, "10.0.0.66:5000");
        }

        Assert.Equal(IngestOutcome.RateLimited, await _ingest.IngestAsync(genesis, IngestSource.Udp, "10.0.0.66:5000"));
        author.Node.PostPublic("still here");
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(author.Take()[0], IngestSource.Udp, "10.0.0.2:4000"));
    }

    [Fact]
    public async Task Entries_from_MQTT_are_stored_but_not_sent_back_up()
    {
        var alice = new TestDevice("alice");
        byte[] frame = alice.Take()[0];
        FrameCodec.TryDecode(frame, 0, frame.Length, FrameLimits.Ip, out Frame? f);
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestEntryAsync(f!.Payload, IngestSource.Mqtt));
        using SqliteConnection c = _db.Open();
        Assert.Equal(0, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM outbox"));
    }

    [Fact]
    public async Task A_message_sent_without_uplink_consent_is_stored_but_never_queued_for_MQTT()
    {
        var alice = new TestDevice("alice");
        await _ingest.IngestAsync(alice.Take()[0], IngestSource.Udp);
        alice.Node.UplinkConsent = false;
        alice.Node.PostPublic("for the valley only");
        Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(alice.Take()[0], IngestSource.Udp));
        using SqliteConnection c = _db.Open();
        Assert.Equal(2, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries"));
        Assert.Equal(1, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM outbox")); // the genesis only
    }

    [Fact]
    public async Task Sync_frames_are_not_stored_but_remembered_so_repeats_count_as_duplicates()
    {
        var alice = new TestDevice("alice");
        alice.Take();
        alice.Node.AnnounceHeads(requestReply: true);
        byte[] heads = alice.Take()[0];
        Assert.Equal(IngestOutcome.NotStored, await _ingest.IngestAsync(heads, IngestSource.Udp));
        Assert.Equal(IngestOutcome.Duplicate, await _ingest.IngestAsync(heads, IngestSource.Radio));
        using SqliteConnection c = _db.Open();
        Assert.Equal(1, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM frames_seen"));
        Assert.Equal(0, GatewayDatabase.Scalar(c, "SELECT COUNT(*) FROM entries"));
    }

    [Fact]
    public void The_schema_migrates_once_and_a_newer_file_is_refused()
    {
        Assert.Equal(Migrations.Steps.Count, _db.SchemaVersion);
        var again = new GatewayDatabase(_db.Path);
        Assert.Equal(Migrations.Steps.Count, again.SchemaVersion);
        Assert.Equal("ok", again.IntegrityCheck());
        using (SqliteConnection c = again.Open())
        {
            GatewayDatabase.Execute(c, "PRAGMA user_version = 99;");
        }

        var ex = Assert.Throws<InvalidOperationException>(() => new GatewayDatabase(_db.Path));
        Assert.Contains("schema 99", ex.Message);
    }

    [Fact]
    public async Task Only_direct_entries_are_held_for_a_device_whose_hint_equals_a_clear_or_channel_entry_s_hint()
    {
        var alice = new TestDevice("alice");
        var bob = new TestDevice("bob");
        alice.Befriend(bob);
        var channel = new ChannelKey("hikers", new byte[ChannelKey.SecretSize]);
        Assert.True(alice.Node.JoinChannel(channel));
        alice.Node.PostPublic("a public post carries hint 0");
        alice.Node.PostToChannel(channel.Id, "a channel post carries the channel's hint");
        alice.Node.SendText(bob.Id, "only this one is held for bob");
        foreach (byte[] frame in alice.Take())
        {
            Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(frame, IngestSource.Udp, "10.0.0.2:4000"));
        }

        // Bob's DM is held for every node sharing his hint; which hint he has depends on how many test devices came before.
        var held = new StoreAndForward(_db);
        Assert.Equal(1, held.HeldCount(bob.Id));
        Assert.Equal(NodeId.HintOf(bob.Id) == 0 ? 1 : 0, held.HeldCount(0x1234_5600)); // a node whose hint is 0, as about one in 256 is
        Assert.Equal(channel.Hint == NodeId.HintOf(bob.Id) ? 1 : 0, held.HeldCount(0x1234_5600u | channel.Hint));
    }

    [Fact]
    public async Task A_hosted_device_whose_hint_is_0_reloads_no_other_author_s_clear_entries_after_a_restart()
    {
        var alice = new TestDevice("alice");
        alice.Node.UpdateProfile("alice, renamed", null, null); // a clear entry above sequence 0: hint 0
        alice.Node.UpdateProfile("alice, renamed again", null, null);
        foreach (byte[] frame in alice.Take())
        {
            Assert.Equal(IngestOutcome.Stored, await _ingest.IngestAsync(frame, IngestSource.Udp, "10.0.0.2:4000"));
        }

        // Only alice's genesis, the profile every device loads; before, the node with hint 0 loaded her updates too.
        Assert.Equal(1, StoredHistory.LoadInto(_db, 0x1234_5600, new MemoryEntryStore()));
        Assert.Equal(1, StoredHistory.LoadInto(_db, 0x1234_5601, new MemoryEntryStore()));
    }

    [Fact]
    public void The_direct_column_is_filled_from_each_stored_entry_s_kind_byte_when_an_older_database_is_upgraded()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gw-upgrade-{Guid.NewGuid():N}.db");
        try
        {
            byte[] clear = [0x03, 1, 2];  // public post, sealing 0
            byte[] direct = [0x41, 1, 2]; // text, sealing 1
            byte[] channel = [0x82, 1, 2]; // channel post, sealing 2
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                for (int step = 0; step < 6; step++)
                {
                    GatewayDatabase.Execute(c, Migrations.Steps[step]);
                }

                GatewayDatabase.Execute(c, "PRAGMA user_version = 6;");
                int seq = 1;
                foreach (byte[] bytes in new[] { clear, direct, channel })
                {
                    using SqliteCommand insert = c.CreateCommand();
                    insert.CommandText = "INSERT INTO entries (author, seq, kind, hint, hash, bytes, source, received_at) VALUES (7, $s, 1, 0, x'00', $b, 'udp', 1)";
                    insert.Parameters.AddWithValue("$s", seq++);
                    insert.Parameters.AddWithValue("$b", bytes);
                    insert.ExecuteNonQuery();
                }
            }

            var upgraded = new GatewayDatabase(path);
            Assert.Equal(Migrations.Steps.Count, upgraded.SchemaVersion);
            using SqliteConnection read = upgraded.Open();
            Assert.Equal(2, GatewayDatabase.Scalar(read, "SELECT seq FROM entries WHERE direct = 1"));
            Assert.Equal(2, GatewayDatabase.Scalar(read, "SELECT COUNT(*) FROM entries WHERE direct = 0"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (string file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private sealed class FixedClock : IClock
    {
        public long MonotonicMilliseconds => 0;

        public uint EntrySeconds => 1000;
    }
}
