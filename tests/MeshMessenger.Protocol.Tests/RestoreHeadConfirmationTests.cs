using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// A restored node adopts its own head only when a witness vouches for a head it holds (docs/protocol.md §8.3), and its
/// first entry then skips past the sequences a neighbour that missed the newest own entries could not vouch for. Here the
/// strictest setting, only an archive confirms, so the cases where plain neighbours agree on a head too low show.
/// </summary>
public sealed class RestoreHeadConfirmationTests
{
    private static LocalChain Restoring(out ChainStore chains, out NodeIdentity alice)
    {
        chains = new ChainStore(new MemoryEntryStore(8, 256));
        alice = Identities.Fixed(1);
        Assert.True(chains.AddContact(Profile.Of(alice, "alice", null)));
        var own = new LocalChain(alice, chains);
        own.BeginRestore(0); // only an archive confirms (a radio node also takes one plain witness: ChainSync.RadioHeadWitnesses)
        return own;
    }

    [Fact]
    public void A_low_head_from_neighbours_while_the_peer_holds_higher_keeps_the_node_read_only()
    {
        LocalChain own = Restoring(out ChainStore chains, out NodeIdentity alice);
        Entry[] entries = WrittenChain.Of(alice, 7);
        Give(own, chains, entries, 0, 4); // what came back: the genesis and the posts up to 4

        // Two neighbours heard a channel post at 4; the peer that received the direct message at 6 is out of reach.
        own.NoteAdvertisedHead(4, 0x21, false);
        own.NoteAdvertisedHead(4, 0x22, false);
        Assert.Equal(2, own.Witnesses);
        Assert.False(own.HeadConfirmed);
        Assert.False(own.AdoptAdvertisedHead());
        Assert.True(own.Restoring);
        ProtocolException refused = Assert.Throws<ProtocolException>(() => own.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 200, PostBody.Encode("x", PostBody.NoMedia, null)));
        Assert.Contains("not confirmed", refused.Message, StringComparison.Ordinal);

        // The peer answers with the true head; an archive that heard it too vouches, but only once the entries at 5 and
        // 6 came back does its head count (heads are not signed). Then the next entry is a resume entry at 6 + 1 + the
        // skip, linked to entry 6 by its full hash, and the post after it (docs/protocol.md §8.3).
        own.NoteAdvertisedHead(6, 0x23, false);
        own.NoteAdvertisedHead(6, 0x30, true);
        Assert.False(own.HeadConfirmed);
        Give(own, chains, entries, 5, 6);
        Assert.True(own.HeadConfirmed);
        Assert.True(own.AdoptAdvertisedHead());
        Assert.Equal(AfterResume(6), own.NextSequence);
        Entry next = own.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 200, PostBody.Encode("x", PostBody.NoMedia, null));
        Assert.Equal(AfterResume(6), next.Sequence);
        Assert.Equal(ChainVerdict.Duplicate, chains.Accept(next)); // stored, and linked to the resume entry
        Entry resume = chains.Store.Get(alice.Id, AfterResume(6) - 1)!.Entry;
        Assert.Equal(EntryKind.Resume, resume.Kind);
        Assert.Equal(6u, EntryCodec.LinkedSequence(resume));
        Assert.Equal(ChainVerdict.Duplicate, chains.Accept(resume)); // linked to the held entry 6 (no broken link)
        Assert.Null(chains.Store.Get(alice.Id, 7)); // 7 onwards stay free for entries only their recipients held
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Made_up_heads_under_many_hints_are_never_adopted_and_stop_holding_the_head_back_once_the_rounds_ran(bool archiveFlag)
    {
        LocalChain own = Restoring(out ChainStore chains, out NodeIdentity alice);
        Give(own, chains, WrittenChain.Of(alice, 3), 0, 2);

        // Anyone can send heads (unsigned) for alice's chain: far above anything she signed, under every hint the witness
        // table holds and more, flagged as an archive or not.
        for (byte hint = 0x40; hint < 0x40 + LocalChain.MaxWitnesses + 4; hint++)
        {
            own.NoteAdvertisedHead(4_000_000_000u - hint, hint, archiveFlag);
        }

        Assert.False(own.HeadConfirmed); // no entry backs them: never adopted
        Assert.Equal(3u, own.NextSequence);

        // While the restore asks for the advertised entries, a head may exist above what came back: the real archive's
        // lower head waits. Once the rounds ran out, heads no entry backed stop counting, and the archive confirms.
        own.NoteAdvertisedHead(2, 0x30, true);
        Assert.False(own.HeadConfirmed);
        own.ExpireClaims();
        Assert.True(own.HeadConfirmed);
        Assert.True(own.AdoptAdvertisedHead());
        Assert.Equal(AfterResume(2), own.NextSequence);
        Entry next = own.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 200, PostBody.Encode("x", PostBody.NoMedia, null));
        Assert.Equal(AfterResume(2), next.Sequence);
    }

    // The sequence of the first entry written after a restore adopted head: past the resume entry that skips LocalChain.ResumeSkip.
    private static uint AfterResume(uint head) => head + LocalChain.ResumeSkip + 2;

    // Entries from..to come back to the restoring node, as MessengerNode takes them (verified, stored, noted).
    private static void Give(LocalChain own, ChainStore chains, Entry[] entries, int from, int to)
    {
        for (int i = from; i <= to; i++)
        {
            Assert.Equal(ChainVerdict.Accepted, chains.Accept(entries[i]));
            own.NoteVerified(entries[i]);
        }
    }

    [Fact]
    public void An_archive_vouching_below_a_held_own_entry_does_not_confirm()
    {
        LocalChain own = Restoring(out ChainStore chains, out NodeIdentity alice);

        // The node got its own entries 0..2 back (its genesis and two posts), but the archive only knows 0..1.
        var writer = new LocalChain(alice, new ChainStore(new MemoryEntryStore(8, 256)));
        Entry[] entries =
        [
            writer.StartNew(Profile.Of(alice, "alice", null), 100),
            writer.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 101, PostBody.Encode("a", PostBody.NoMedia, null)),
            writer.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 102, PostBody.Encode("b", PostBody.NoMedia, null)),
        ];
        foreach (Entry e in entries)
        {
            chains.Accept(e);
        }

        own.NoteAdvertisedHead(1, 0x30, true);
        Assert.False(own.HeadConfirmed);
        Assert.False(own.TryFinishRestore());
        own.NoteAdvertisedHead(2, 0x30, true);
        Assert.True(own.TryFinishRestore());
        Assert.Equal(AfterResume(2), own.NextSequence);
    }

    [Fact]
    public void The_archive_flag_round_trips_and_older_flags_decode_as_before()
    {
        var heads = new[] { new ChainHead(7, 0, 3, Link(3)) };
        byte[] archive = new HeadsMessage(true, false, true, heads).Encode();
        Assert.Equal(0x05, archive[0]);
        Assert.Equal(ProtocolError.None, HeadsMessage.TryDecode(archive, out HeadsMessage? decoded));
        Assert.True(decoded!.Archive);
        Assert.True(decoded.RequestReply);

        byte[] plain = new HeadsMessage(true, heads).Encode();
        Assert.Equal(0x01, plain[0]);
        Assert.Equal(ProtocolError.None, HeadsMessage.TryDecode(plain, out decoded));
        Assert.False(decoded!.Archive);

        plain[0] = 0x08; // bit 3 is still reserved
        Assert.Equal(ProtocolError.InvalidField, HeadsMessage.TryDecode(plain, out _));
    }

    private static byte[] Link(byte b)
    {
        var link = new byte[EntryCodec.LinkSize];
        link[0] = b;
        return link;
    }
}
