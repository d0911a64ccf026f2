using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

public sealed class ReassemblerTests
{
    private static (byte[] Entry, Fragment[] Pieces) Pieces(int textLength, byte fill = 1)
    {
        Entry big = new AuthorLog(fill).Post(new string('q', textLength));
        Fragment[] pieces = Fragmenter.Split(big.Encoded, FrameLimits.LoRa, 3, false, 1)
            .Select(f => { Fragment.TryDecode(f.Payload, out Fragment? p); return p!; })
            .ToArray();
        return (big.Encoded, pieces);
    }

    [Fact]
    public void Reordered_and_duplicated_pieces_reassemble_exactly_once()
    {
        var (entry, pieces) = Pieces(1200);
        var r = new Reassembler(4, 60_000);
        var rng = new Random(5);
        Fragment[] order = [.. pieces.OrderBy(_ => rng.Next()), pieces[2], pieces[0]];
        var results = new List<ReassemblyStatus>();
        byte[]? whole = null;
        foreach (Fragment f in order)
        {
            ReassemblyStatus s = r.Offer(f, 10, out byte[]? done);
            results.Add(s);
            whole ??= done;
        }

        Assert.Equal(entry, whole);
        Assert.Equal(1, results.Count(s => s == ReassemblyStatus.Completed));
        Assert.Equal(ReassemblyStatus.AlreadyCompleted, results[^1]);
        Assert.Equal(0, r.InProgress);
    }

    [Fact]
    public void Duplicate_piece_before_completion_is_reported_and_ignored()
    {
        var (_, pieces) = Pieces(900);
        var r = new Reassembler(4, 60_000);
        Assert.Equal(ReassemblyStatus.Stored, r.Offer(pieces[0], 0, out _));
        Assert.Equal(ReassemblyStatus.Duplicate, r.Offer(pieces[0], 0, out _));
        Assert.Equal(pieces[0].Data.Length, r.BufferedBytes);
    }

    private static Fragment Junk(Fragment genuine, byte flip = 1)
    {
        // Same id, index and count, other bytes: what anyone on the air can send, since pieces are not signed.
        byte[] other = (byte[])genuine.Data.Clone();
        other[0] ^= flip;
        return new Fragment(genuine.MessageId, genuine.Index, genuine.Count, other);
    }

    [Fact]
    public void A_junk_piece_after_the_genuine_one_is_kept_aside_and_the_genuine_entry_completes()
    {
        var (entry, pieces) = Pieces(900);
        var r = new Reassembler(4, 60_000);
        Assert.Equal(ReassemblyStatus.Stored, r.Offer(pieces[0], 0, out _));
        Fragment junk = Junk(pieces[0]);
        Assert.Equal(ReassemblyStatus.AlternativeKept, r.Offer(junk, 0, out _));
        Assert.Equal(ReassemblyStatus.Duplicate, r.Offer(junk, 0, out _)); // the alternative again
        Assert.Equal(ReassemblyStatus.Duplicate, r.Offer(pieces[0], 0, out _));
        Assert.Equal(ReassemblyStatus.AlternativeIgnored, r.Offer(Junk(pieces[0], 2), 0, out _)); // a third version
        Assert.Equal(2 * pieces[0].Data.Length, r.BufferedBytes);

        byte[]? whole = null;
        for (int i = 1; i < pieces.Length; i++)
        {
            Assert.Equal(i < pieces.Length - 1 ? ReassemblyStatus.Stored : ReassemblyStatus.Completed, r.Offer(pieces[i], 0, out whole));
        }

        Assert.Equal(entry, whole);
        Assert.Equal(0, r.BufferedBytes);
        Assert.Equal(ReassemblyStatus.AlreadyCompleted, r.Offer(junk, 0, out _));

        // A piece with another count is another split of the same id (another link's frame size, §5.2): kept
        // apart, it neither contests nor drops the first.
        r = new Reassembler(4, 60_000);
        Assert.Equal(ReassemblyStatus.Stored, r.Offer(pieces[0], 0, out _));
        Assert.Equal(ReassemblyStatus.Stored, r.Offer(new Fragment(pieces[0].MessageId, 0, pieces[0].Count + 1, junk.Data), 0, out _));
        Assert.Equal(2, r.InProgress);
        Assert.Equal(2 * pieces[0].Data.Length, r.BufferedBytes);
    }

    [Fact]
    public void A_junk_piece_before_the_genuine_one_does_not_spoil_it()
    {
        var (entry, pieces) = Pieces(900);
        foreach (int index in new[] { 0, 2, pieces.Length - 1 })
        {
            var r = new Reassembler(4, 60_000);
            Assert.Equal(ReassemblyStatus.Stored, r.Offer(Junk(pieces[index]), 0, out _));
            Assert.Equal(ReassemblyStatus.AlternativeKept, r.Offer(pieces[index], 0, out _));
            byte[]? whole = null;
            var statuses = new List<ReassemblyStatus>();
            foreach (Fragment f in pieces.Where(p => p.Index != index))
            {
                statuses.Add(r.Offer(f, 0, out byte[]? done));
                whole ??= done;
            }

            Assert.Equal(ReassemblyStatus.Completed, statuses[^1]);
            Assert.Equal(entry, whole);
            Assert.Equal(0, r.InProgress);
        }
    }

    [Fact]
    public void Junk_after_the_genuine_pieces_at_every_index_past_the_cap_is_ignored_and_the_genuine_entry_completes()
    {
        var (entry, pieces) = Pieces(1500);
        Assert.True(pieces.Length > Reassembler.MaxContestedIndexes + 1);
        var r = new Reassembler(4, 60_000);
        var statuses = new List<ReassemblyStatus>();
        byte[]? whole = null;
        for (int i = 0; i < pieces.Length; i++)
        {
            // A reactive attacker: hears each genuine piece and answers it with junk at the same index.
            statuses.Add(r.Offer(pieces[i], 0, out byte[]? done));
            whole ??= done;
            if (i < pieces.Length - 1)
            {
                statuses.Add(r.Offer(Junk(pieces[i]), 0, out _));
            }
        }

        Assert.Equal(entry, whole);
        Assert.Equal(Reassembler.MaxContestedIndexes, statuses.Count(s => s == ReassemblyStatus.AlternativeKept));
        Assert.Equal(pieces.Length - 1 - Reassembler.MaxContestedIndexes, statuses.Count(s => s == ReassemblyStatus.AlternativeIgnored));
        Assert.Equal(ReassemblyStatus.Completed, statuses[^1]);
    }

    [Fact]
    public void Junk_before_the_genuine_pieces_at_more_indexes_than_the_cap_drops_the_message_but_a_later_genuine_copy_completes()
    {
        var (entry, pieces) = Pieces(1500);
        var r = new Reassembler(4, 60_000);
        int contested = Reassembler.MaxContestedIndexes + 1;
        for (int i = 0; i < contested; i++)
        {
            Assert.Equal(ReassemblyStatus.Stored, r.Offer(Junk(pieces[i]), 0, out _));
        }

        var statuses = pieces.Select(p => r.Offer(p, 0, out _)).ToList();
        Assert.Equal(Enumerable.Repeat(ReassemblyStatus.AlternativeKept, Reassembler.MaxContestedIndexes), statuses.Take(Reassembler.MaxContestedIndexes));
        Assert.Equal(ReassemblyStatus.AlternativeIgnored, statuses[Reassembler.MaxContestedIndexes]);
        Assert.Equal(ReassemblyStatus.Conflict, statuses[^1]); // the genuine piece at the fourth index was not kept
        Assert.Equal(0, r.InProgress);
        Assert.Equal(0, r.BufferedBytes);

        // The dropped id is not remembered as completed: a relay's or a sync answer's genuine copy gets through.
        byte[]? whole = null;
        foreach (Fragment p in pieces)
        {
            r.Offer(p, 0, out byte[]? done);
            whole ??= done;
        }

        Assert.Equal(entry, whole);
    }

    [Fact]
    public void A_completed_message_whose_bytes_do_not_hash_to_its_id_is_refused_as_a_conflict()
    {
        var (_, pieces) = Pieces(900);
        var r = new Reassembler(4, 60_000);
        byte[]? whole = null;
        var statuses = new List<ReassemblyStatus>();
        foreach (Fragment p in pieces)
        {
            // A genuine entry's pieces under another id: every index filled once, no conflict, the wrong hash.
            statuses.Add(r.Offer(new Fragment(p.MessageId ^ 1, p.Index, p.Count, p.Data), 0, out byte[]? done));
            whole ??= done;
        }

        Assert.Equal(ReassemblyStatus.Conflict, statuses[^1]);
        Assert.Null(whole);
        Assert.Equal(0, r.InProgress);

        // Pieces of nothing at all, with no conflict: every index filled once, the bytes hash to another id.
        r = new Reassembler(4, 60_000);
        ReassemblyStatus last = ReassemblyStatus.Stored;
        for (int i = 0; i < 4; i++)
        {
            last = r.Offer(new Fragment(42, i, 4, [1, 2, 3, (byte)i]), 0, out whole);
        }

        Assert.Equal(ReassemblyStatus.Conflict, last);
        Assert.Null(whole);
        Assert.Equal(0, r.InProgress);
        Assert.Equal(0, r.BufferedBytes);
    }

    [Fact]
    public void A_lost_piece_times_out_and_frees_its_memory()
    {
        var (_, pieces) = Pieces(900);
        var r = new Reassembler(4, 1_000);
        foreach (Fragment f in pieces.Skip(1))
        {
            Assert.Equal(ReassemblyStatus.Stored, r.Offer(f, 0, out _));
        }

        Assert.Equal(1, r.InProgress);
        r.Expire(1_001);
        Assert.Equal(0, r.InProgress);
        Assert.Equal(1, r.TimedOut);
        Assert.Equal(0, r.BufferedBytes);
    }

    [Fact]
    public void Memory_stays_bounded_under_a_flood_of_partial_messages()
    {
        var r = new Reassembler(4, 60_000);
        var rng = new Random(6);
        for (int i = 0; i < 2_000; i++)
        {
            var data = new byte[245];
            rng.NextBytes(data);
            r.Offer(new Fragment((uint)rng.Next(), rng.Next(16), 16, data), i, out _);
            Assert.True(r.BufferedBytes <= r.Capacity * Reassembler.MaxBytesPerMessage);
            Assert.True(r.InProgress <= r.Capacity);
        }

        Assert.True(r.Evicted >= 1_990);
    }

    [Fact]
    public void Alternatives_stay_within_their_bound_under_a_flood_of_contested_pieces()
    {
        // docs/protocol.md §5.2: a message holds at most 2,048 bytes of first-arrived pieces and 1,024 of
        // alternatives, so a node's 4 messages hold at most 12 KiB whatever arrives.
        Assert.Equal(3_072, Reassembler.MaxBytesPerMessage);
        var r = new Reassembler(4, 60_000);
        var rng = new Random(7);
        int kept = 0;
        for (int i = 0; i < 5_000; i++)
        {
            var data = new byte[1 + rng.Next(FrameLimits.Ip - FrameLimits.HeaderSize - Fragment.HeaderSize)];
            rng.NextBytes(data);
            ReassemblyStatus s = r.Offer(new Fragment((uint)rng.Next(4), rng.Next(16), 16, data), i, out _);
            kept += s == ReassemblyStatus.AlternativeKept ? 1 : 0;
            Assert.True(r.BufferedBytes <= r.Capacity * Reassembler.MaxBytesPerMessage);
            Assert.True(r.InProgress <= r.Capacity);
        }

        Assert.True(kept > 100);

        // One message: three small alternatives fit, and a fourth contested index is not kept; one large
        // alternative fills the alternatives' bytes and a second one is not kept.
        r = new Reassembler(1, 60_000);
        for (int i = 0; i < 5; i++)
        {
            r.Offer(new Fragment(7, i, 16, [1]), 0, out _);
        }

        Assert.Equal([ReassemblyStatus.AlternativeKept, ReassemblyStatus.AlternativeKept, ReassemblyStatus.AlternativeKept, ReassemblyStatus.AlternativeIgnored],
            Enumerable.Range(0, 4).Select(i => r.Offer(new Fragment(7, i, 16, [2]), 0, out _)));
        Assert.Equal(8, r.BufferedBytes);
        r = new Reassembler(1, 60_000);
        r.Offer(new Fragment(8, 0, 16, [1]), 0, out _);
        r.Offer(new Fragment(8, 1, 16, [1]), 0, out _);
        Assert.Equal(ReassemblyStatus.AlternativeKept, r.Offer(new Fragment(8, 0, 16, new byte[Reassembler.MaxAlternativeBytes]), 0, out _));
        Assert.Equal(ReassemblyStatus.AlternativeIgnored, r.Offer(new Fragment(8, 1, 16, [2]), 0, out _));
        Assert.Equal(2 + Reassembler.MaxAlternativeBytes, r.BufferedBytes);
    }

    [Fact]
    public void Pieces_adding_up_past_the_largest_entry_are_dropped()
    {
        var r = new Reassembler(1, 60_000);
        var piece = new byte[245];
        ReassemblyStatus last = ReassemblyStatus.Stored;
        for (int i = 0; i < 16 && last == ReassemblyStatus.Stored; i++)
        {
            last = r.Offer(new Fragment(42, i, 16, piece), 0, out _);
        }

        Assert.Equal(ReassemblyStatus.TooLarge, last);
        Assert.Equal(0, r.BufferedBytes);
    }

    [Fact]
    public void Fragment_header_rules()
    {
        Assert.Equal(ProtocolError.Truncated, Fragment.TryDecode([0, 0, 0, 1, 0, 2], out _));
        Assert.Equal(ProtocolError.InvalidField, Fragment.TryDecode([0, 0, 0, 1, 2, 2, 9], out _)); // index ≥ count
        Assert.Equal(ProtocolError.InvalidField, Fragment.TryDecode([0, 0, 0, 1, 0, 1, 9], out _)); // count 1
        Assert.Equal(ProtocolError.InvalidField, Fragment.TryDecode([0, 0, 0, 1, 0, 17, 9], out _)); // count > 16
    }
}
