using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

public sealed class ChainStoreTests
{
    private static ChainStore Peer() => new(new MemoryEntryStore());

    [Fact]
    public void A_chain_delivered_in_order_is_accepted_whole()
    {
        var author = new AuthorLog(1);
        List<Entry> posts = author.Posts(5);
        ChainStore peer = Peer();
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(author.Genesis));
        Assert.All(posts, p => Assert.Equal(ChainVerdict.Accepted, peer.Accept(p)));
        Assert.True(peer.Store.TryGetRange(author.Identity.Id, out uint low, out uint high));
        Assert.Equal((0u, 5u), (low, high));
    }

    [Fact]
    public void Forgery_is_refused_and_not_stored()
    {
        var author = new AuthorLog(1);
        var mallory = new AuthorLog(2);
        Entry real = author.Post("real");
        ChainStore peer = Peer();
        peer.Accept(author.Genesis);

        // Mallory signs an entry claiming to be the author's next one.
        byte[] header = EntryCodec.EncodeHeader(EntryKind.PublicPost, BodySealing.Clear, author.Identity.Id, 1, 5, real.Previous, 0);
        Entry forged = EntryCodec.Sign(mallory.Identity, header, "pay mallory"u8.ToArray());

        Assert.Equal(ChainVerdict.BadSignature, peer.Accept(forged));
        Assert.Null(peer.Store.Get(author.Identity.Id, 1));
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(real));
    }

    [Fact]
    public void Replay_of_a_held_entry_is_reported_as_duplicate()
    {
        var author = new AuthorLog(1);
        Entry post = author.Post("once");
        ChainStore peer = Peer();
        peer.Accept(author.Genesis);
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(post));
        Assert.Equal(ChainVerdict.Duplicate, peer.Accept(post));
        Assert.Equal(2, peer.Store.Count);
    }

    [Fact]
    public void Fork_is_detected_kept_as_evidence_and_not_merged()
    {
        var author = new AuthorLog(1);
        Entry first = author.Post("to alice");
        // The same key writes a second entry at sequence 1 (as a restored device that did not sync would).
        var twin = new LocalChain(author.Identity, new ChainStore(new MemoryEntryStore()));
        twin.StartNew(Identity.Profile.Of(author.Identity, "author 1", null), 1);
        Entry second = twin.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 100, "to bob"u8.ToArray());
        Assert.Equal(first.Sequence, second.Sequence);

        ChainStore peer = Peer();
        peer.Accept(author.Genesis);
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(first));
        Assert.Equal(ChainVerdict.Fork, peer.Accept(second));
        var evidence = Assert.IsType<ForkEvidence>(Assert.Single(peer.Forks.Cast<object>()));
        Assert.Same(second, evidence.Conflicting);
        Assert.Equal(first.Encoded, peer.Store.Get(author.Identity.Id, 1)!.Entry.Encoded);
    }

    [Fact]
    public void An_entry_whose_link_does_not_match_is_a_broken_link()
    {
        var author = new AuthorLog(1);
        Entry one = author.Post("one");
        var twin = new LocalChain(author.Identity, new ChainStore(new MemoryEntryStore()));
        twin.StartNew(Identity.Profile.Of(author.Identity, "author 1", null), 1);
        twin.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 100, "other one"u8.ToArray());
        Entry twoOnOtherBranch = twin.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 100, "two"u8.ToArray());

        ChainStore peer = Peer();
        peer.Accept(author.Genesis);
        peer.Accept(one);
        Assert.Equal(ChainVerdict.BrokenLink, peer.Accept(twoOnOtherBranch));
        Assert.Null(peer.Store.Get(author.Identity.Id, 2));
        Assert.Single(peer.Forks.Cast<object>());
    }

    [Fact]
    public void Gap_is_reported_and_the_links_are_checked_when_it_fills()
    {
        var author = new AuthorLog(1);
        List<Entry> posts = author.Posts(4);
        ChainStore peer = Peer();
        peer.Accept(author.Genesis);
        peer.Accept(posts[0]);
        Assert.Equal(ChainVerdict.Gap, peer.Accept(posts[2])); // sequence 3 while 2 is missing: kept, reported
        Assert.NotNull(peer.Store.Get(author.Identity.Id, 3));

        // A forged-free but foreign sequence 2 (another branch of the same key) must link to both neighbours.
        var twin = new AuthorLog(1);
        twin.Post("post 1");
        Entry otherTwo = twin.Post("a different second post");
        Assert.Equal(ChainVerdict.BrokenLink, peer.Accept(otherTwo));
        Assert.Null(peer.Store.Get(author.Identity.Id, 2));

        Assert.Equal(ChainVerdict.Accepted, peer.Accept(posts[1]));
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(posts[3]));
    }

    [Fact]
    public void Unknown_author_waits_for_the_profile()
    {
        var author = new AuthorLog(1);
        Entry post = author.Post("hi");
        ChainStore peer = Peer();
        Assert.Equal(ChainVerdict.UnknownAuthor, peer.Accept(post));
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(author.Genesis));
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(post));
    }

    [Fact]
    public void Segment_in_any_order_is_accepted_and_backfill_checks_links()
    {
        var author = new AuthorLog(1);
        List<Entry> posts = author.Posts(6);
        Entry[] shuffled = [posts[3], posts[5], author.Genesis, posts[0], posts[4], posts[2], posts[1]];
        ChainStore peer = Peer();
        ChainVerdict[] verdicts = peer.AcceptSegment(shuffled);
        Assert.All(verdicts, v => Assert.Equal(ChainVerdict.Accepted, v));

        // Backfill from the top down, knowing the key from a contact card.
        ChainStore other = Peer();
        other.AddContact(Identity.Profile.Of(author.Identity, "author 1", null));
        Assert.Equal(ChainVerdict.Accepted, other.Accept(posts[5]));
        Assert.Equal(ChainVerdict.Accepted, other.Accept(posts[4]));
        var stranger = new AuthorLog(1);
        stranger.Post("x");
        stranger.Post("y");
        stranger.Post("z");
        Entry wrongFour = stranger.Post("not the real fourth");
        Assert.Equal(4u, wrongFour.Sequence);
        Assert.Equal(ChainVerdict.BrokenLink, other.Accept(wrongFour));
        Assert.Equal(ChainVerdict.Accepted, other.Accept(posts[3]));
    }

    [Fact]
    public void Checkpoint_must_name_the_full_previous_hash()
    {
        var author = new AuthorLog(1);
        Entry post = author.Post("a");
        byte[] full = EntryHash.Of(post, author.Identity.SigningKey);
        byte[] wrong = (byte[])full.Clone();
        wrong[31] ^= 1; // same 8-byte link, different full hash

        byte[] header = author.Chain.NextHeader(EntryKind.Checkpoint, BodySealing.Clear, 0, 100);
        Entry badCheckpoint = EntryCodec.Sign(author.Identity, header, wrong);
        Entry goodCheckpoint = author.Chain.Commit(EntryKind.Checkpoint, BodySealing.Clear, 0, 100, full);

        ChainStore peer = Peer();
        peer.AcceptSegment([author.Genesis, post]);
        Assert.Equal(ChainVerdict.BrokenLink, peer.Accept(badCheckpoint));
        Assert.Equal(ChainVerdict.Accepted, peer.Accept(goodCheckpoint));
    }

    [Fact]
    public void A_profile_that_claims_another_key_is_invalid()
    {
        var author = new AuthorLog(1);
        var other = new AuthorLog(2);
        ChainStore peer = Peer();
        peer.Accept(author.Genesis);
        // Author 1 signs a profile entry carrying author 2's keys.
        byte[] header = author.Chain.NextHeader(EntryKind.Profile, BodySealing.Clear, 0, 5);
        Entry swap = EntryCodec.Sign(author.Identity, header, Identity.Profile.Of(other.Identity, "x", null).Encode());
        Assert.Equal(ChainVerdict.Invalid, peer.Accept(swap));
    }
}
