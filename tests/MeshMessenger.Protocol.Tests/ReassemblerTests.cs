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

    [Fact]
    public void Conflicting_piece_drops_the_message()
    {
        var (_, pieces) = Pieces(900);
        var r = new Reassembler(4, 60_000);
        r.Offer(pieces[0], 0, out _);
        byte[] other = (byte[])pieces[0].Data.Clone();
        other[0] ^= 1;
        Assert.Equal(ReassemblyStatus.Conflict, r.Offer(new Fragment(pieces[0].MessageId, 0, pieces[0].Count, other), 0, out _));
        Assert.Equal(0, r.BufferedBytes);

        // A piece with another count is another split of the same id (another link's frame size, §5.2): kept
        // apart, it neither conflicts with nor drops the first.
        Assert.Equal(ReassemblyStatus.Stored, r.Offer(pieces[0], 0, out _));
        Assert.Equal(ReassemblyStatus.Stored, r.Offer(new Fragment(pieces[0].MessageId, 1, pieces[0].Count + 1, other), 0, out _));
        Assert.Equal(2, r.InProgress);
        Assert.Equal(pieces[0].Data.Length + other.Length, r.BufferedBytes);
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
            Assert.True(r.BufferedBytes <= r.Capacity * EntryCodec.MaxEncodedSize);
            Assert.True(r.InProgress <= r.Capacity);
        }

        Assert.True(r.Evicted >= 1_990);
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
