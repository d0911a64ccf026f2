using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// The resume entry a node writes first after a restore (docs/protocol.md §3.2, §8.3): it links to the highest own entry
/// that came back and skips <see cref="LocalChain.ResumeSkip"/> sequences, so an own entry only its recipient held keeps
/// its sequence even when the archive that confirmed the head had never heard it.
/// </summary>
public sealed class ResumeEntryTests
{
    [Fact]
    public void An_entry_only_its_recipient_held_keeps_its_sequence_when_the_archive_vouched_below_it()
    {
        NodeIdentity alice = Identities.Fixed(1);
        Entry[] written = WrittenChain.Of(alice, 5); // 0..4; 4 went to Carol alone, out of the archive's hearing

        var carol = new ChainStore(new MemoryEntryStore());
        foreach (Entry e in written)
        {
            Assert.Equal(ChainVerdict.Accepted, carol.Accept(e));
        }

        // Alice restores: 0..3 come back, the archive vouches for 3 (all it heard), the head is confirmed.
        var chains = new ChainStore(new MemoryEntryStore());
        Assert.True(chains.AddContact(Profile.Of(alice, "alice", null)));
        var own = new LocalChain(alice, chains);
        own.BeginRestore(0);
        for (int i = 0; i <= 3; i++)
        {
            chains.Accept(written[i]);
            own.NoteVerified(written[i]);
        }

        own.NoteAdvertisedHead(3, 0x30, true);
        Assert.True(own.AdoptAdvertisedHead());
        Assert.True(own.ResumePending);

        // Her next post comes after a resume entry at 3 + 1 + 64; sequence 4 is never signed again.
        Entry post = own.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 300, PostBody.Encode("back", PostBody.NoMedia, null));
        Entry resume = chains.Store.Get(alice.Id, 3 + 1 + LocalChain.ResumeSkip)!.Entry;
        Assert.Equal(EntryKind.Resume, resume.Kind);
        Assert.Equal(3u, EntryCodec.LinkedSequence(resume));
        Assert.Equal(resume.Sequence + 1, post.Sequence);
        Assert.Null(chains.Store.Get(alice.Id, 4));

        // Carol, who holds 4, takes both: no fork, no broken link, and her entry 4 stays.
        Assert.Equal(ChainVerdict.Accepted, carol.Accept(resume)); // its link, entry 3, is held
        Assert.Equal(ChainVerdict.Accepted, carol.Accept(post));
        Assert.Empty(carol.Forks);
        Assert.Equal(written[4].Encoded, carol.Store.Get(alice.Id, 4)!.Entry.Encoded);
    }

    [Fact]
    public void A_resume_entry_must_link_to_the_entry_it_names_by_its_full_hash()
    {
        NodeIdentity alice = Identities.Fixed(1);
        Entry[] written = WrittenChain.Of(alice, 4);
        var peer = new ChainStore(new MemoryEntryStore());
        foreach (Entry e in written)
        {
            peer.Accept(e);
        }

        byte[] hash2 = peer.HashOf(alice.Id, 2)!;
        byte[] hash3 = peer.HashOf(alice.Id, 3)!;

        // Names 3 but carries 2's hash (link and full hash agree with each other, not with entry 3).
        Entry wrong = Resume(alice, 70, 3, hash2);
        Assert.Equal(ChainVerdict.BrokenLink, peer.Accept(wrong));
        Assert.Single(peer.Forks);
        Assert.Null(peer.Store.Get(alice.Id, 70));

        Entry right = Resume(alice, 70, 3, hash3);
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(right));

        // An entry just below the resume (inside the skipped run) is not checked against it: it links to its own predecessor.
        Entry below = Resume(alice, 69, 3, hash3);
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(below));
        Assert.Single(peer.Forks);
    }

    [Fact]
    public void A_resume_entry_taken_before_the_entry_it_names_is_checked_against_it_when_that_arrives()
    {
        NodeIdentity alice = Identities.Fixed(1);
        Entry[] written = WrittenChain.Of(alice, 4); // 0..3
        Entry[] other = WrittenChain.Of(alice, 4, "another history"); // her key, the same 0..2, another entry 3
        Assert.Equal(written[2].Encoded, other[2].Encoded);
        Assert.NotEqual(written[3].Encoded, other[3].Encoded);

        var source = new ChainStore(new MemoryEntryStore());
        foreach (Entry e in written)
        {
            source.Accept(e);
        }

        // The peer holds 0..2, then hears the resume entry (linking to 3) before entry 3 itself: a gap, no check yet.
        var peer = new ChainStore(new MemoryEntryStore());
        for (int i = 0; i <= 2; i++)
        {
            peer.Accept(written[i]);
        }

        Entry resume = Resume(alice, 70, 3, source.HashOf(alice.Id, 3)!);
        Assert.Equal(ChainVerdict.Gap, peer.Accept(resume));

        // An entry 3 the resume entry does not name is refused as a broken link and kept as evidence; the one it names fits.
        Assert.Equal(ChainVerdict.BrokenLink, peer.Accept(other[3]));
        Assert.Single(peer.Forks);
        Assert.Null(peer.Store.Get(alice.Id, 3));
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(written[3]));
        Assert.Single(peer.Forks);
    }

    [Fact]
    public void Two_resume_entries_naming_one_unheld_entry_by_different_hashes_are_evidence_and_the_second_is_refused()
    {
        NodeIdentity alice = Identities.Fixed(1);
        Entry[] written = WrittenChain.Of(alice, 4);
        Entry[] other = WrittenChain.Of(alice, 4, "another history");
        var a = new ChainStore(new MemoryEntryStore());
        var b = new ChainStore(new MemoryEntryStore());
        foreach (Entry e in written)
        {
            a.Accept(e);
        }

        foreach (Entry e in other)
        {
            b.Accept(e);
        }

        var peer = new ChainStore(new MemoryEntryStore());
        for (int i = 0; i <= 2; i++)
        {
            peer.Accept(written[i]);
        }

        // Two restores of hers, both linking to 3, which the peer does not hold: the same hash twice is no conflict.
        Assert.Equal(ChainVerdict.Gap, peer.Accept(Resume(alice, 70, 3, a.HashOf(alice.Id, 3)!)));
        Assert.Equal(ChainVerdict.Gap, peer.Accept(Resume(alice, 140, 3, a.HashOf(alice.Id, 3)!)));
        Assert.Empty(peer.Forks);

        // A third over the other history disagrees with both before any entry 3 arrives.
        Assert.Equal(ChainVerdict.BrokenLink, peer.Accept(Resume(alice, 210, 3, b.HashOf(alice.Id, 3)!)));
        Assert.Single(peer.Forks);
        Assert.Null(peer.Store.Get(alice.Id, 210));

        // The entry both held resume entries name fits them; the other one fits neither.
        Assert.Equal(ChainVerdict.BrokenLink, peer.Accept(other[3]));
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(written[3]));
        Assert.Equal(2, peer.Forks.Count);
    }

    [Fact]
    public void The_run_a_resume_entry_skips_is_not_a_hole_to_ask_for()
    {
        NodeIdentity alice = Identities.Fixed(1);
        Entry[] written = WrittenChain.Of(alice, 6); // 0..5
        var peer = new ChainStore(new MemoryEntryStore());
        foreach (Entry e in written)
        {
            peer.Accept(e);
        }

        Entry resume = Resume(alice, 70, 5, peer.HashOf(alice.Id, 5)!);
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(resume));
        Assert.False(SyncPlanner.FirstHole(peer.Store, alice.Id, 0, 70, out _, out _));
        Assert.Equal(new uint[] { 5, 70 }, SyncPlanner.SkippedRuns(peer.Store, alice.Id, 0, 70));
        Assert.True(SyncPlanner.Skipped([5, 70], 69));
        Assert.False(SyncPlanner.Skipped([5, 70], 5));

        // Without 4 and 5 the part at and below the link is still missing.
        var partial = new ChainStore(new MemoryEntryStore());
        for (int i = 0; i <= 3; i++)
        {
            partial.Accept(written[i]);
        }

        partial.Accept(resume);
        Assert.True(SyncPlanner.FirstHole(partial.Store, alice.Id, 0, 70, out uint from, out uint to));
        Assert.Equal((4u, 5u), (from, to));
    }

    [Fact]
    public void Without_an_archive_the_node_resumes_past_what_came_back_once_the_rounds_ran_out()
    {
        NodeIdentity alice = Identities.Fixed(1);
        Entry[] written = WrittenChain.Of(alice, 7); // 0..6; 5 and 6 went to recipients out of reach
        var chains = new ChainStore(new MemoryEntryStore());
        Assert.True(chains.AddContact(Profile.Of(alice, "alice", null)));
        var own = new LocalChain(alice, chains);
        own.BeginRestore(0);
        own.RequireSettling();
        for (int i = 0; i <= 4; i++)
        {
            chains.Accept(written[i]);
            own.NoteVerified(written[i]);
        }

        // Plain neighbours agree on 4; with only an archive confirming (BeginRestore(0)), the node stays read-only while the rounds run.
        own.NoteAdvertisedHead(4, 0x21, false);
        own.NoteAdvertisedHead(4, 0x22, false);
        Assert.True(own.EndSettling());
        Assert.False(own.AdoptAdvertisedHead());
        Assert.False(own.AdoptHeldHead());
        Assert.True(own.Restoring);

        // A peer's receipt named 5: it exists though it never came back. The rounds run out; the node resumes past 5.
        own.NoteNamedSequence(5);
        own.ExpireClaims();
        Assert.False(own.AdoptAdvertisedHead());
        Assert.True(own.AdoptHeldHead());
        Entry resume = own.CommitResume(500)!;
        Assert.Equal(5 + 1 + LocalChain.ResumeSkip, resume.Sequence);
        Assert.Equal(4u, EntryCodec.LinkedSequence(resume));
        Assert.True(resume.Sequence > written[6].Sequence); // 6, named by nobody, keeps its sequence too
        Entry post = own.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 501, PostBody.Encode("back", PostBody.NoMedia, null));
        Assert.Equal(resume.Sequence + 1, post.Sequence);
    }

    [Fact]
    public void A_receipt_naming_a_sequence_far_above_what_came_back_does_not_move_the_resume()
    {
        NodeIdentity alice = Identities.Fixed(1);
        Entry[] written = WrittenChain.Of(alice, 3);
        var chains = new ChainStore(new MemoryEntryStore());
        Assert.True(chains.AddContact(Profile.Of(alice, "alice", null)));
        var own = new LocalChain(alice, chains);
        own.BeginRestore(0);
        foreach (Entry e in written)
        {
            chains.Accept(e);
            own.NoteVerified(e);
        }

        // A contact signs a receipt naming 4,000,000,000 (receipts are signed by their author, who can name anything).
        own.NoteNamedSequence(4_000_000_000);
        own.ExpireClaims();
        Assert.True(own.AdoptHeldHead());
        Assert.Equal(2 + 1 + LocalChain.ResumeSkip, own.CommitResume(300)!.Sequence);
    }

    private static Entry Resume(NodeIdentity author, uint sequence, uint from, byte[] hash)
    {
        byte[] header = EntryCodec.EncodeHeader(EntryKind.Resume, BodySealing.Clear, author.Id, sequence, 400, EntryHash.LinkOf(hash), 0);
        return EntryCodec.Sign(author, header, EntryCodec.ResumeBody(from, hash));
    }
}
