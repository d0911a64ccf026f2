using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Wire;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// The memory store's author cap must never cost the node its own chain head: a head it cannot store is a
/// sequence number it will use again (a fork of its own chain).
/// </summary>
public sealed class OwnChainHeadTests
{
    [Theory]
    [InlineData(2)] // room for alice too
    [InlineData(1)] // full of other authors (DefaultMaxAuthors is 64: the same after 64 neighbours)
    public void A_restored_node_whose_store_is_full_of_other_authors_never_reuses_a_sequence_number(int maxAuthors)
    {
        var chains = new ChainStore(new MemoryEntryStore(maxAuthors, 256));
        NodeIdentity alice = Identities.Fixed(1);
        NodeIdentity bob = Identities.Fixed(2);

        // As MessengerNode does with restoring: true: its own profile as a contact, then wait for the chain.
        Assert.True(chains.AddContact(Profile.Of(alice, "alice", null)));
        var own = new LocalChain(alice, chains);
        own.BeginRestore();

        // While it waits, a neighbour's chain arrives and takes the only author slot.
        new LocalChain(bob, chains).StartNew(Profile.Of(bob, "bob", null), 100);

        // Her chain up to 4 comes back (verified; with one author slot the store drops it) and a neighbour advertises 4;
        // the host ends the restore there (MessengerNode.FinishRestore).
        var writer = new LocalChain(alice, new ChainStore(new MemoryEntryStore()));
        var entries = new List<Entry> { writer.StartNew(Profile.Of(alice, "alice", null), 100) };
        for (int i = 1; i <= 4; i++)
        {
            entries.Add(writer.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, (uint)(100 + i), PostBody.Encode("p" + i, PostBody.NoMedia, null)));
        }

        foreach (Entry e in entries)
        {
            chains.Accept(e);
            own.NoteVerified(e); // as MessengerNode does with every own entry accepted while restoring
        }

        own.NoteAdvertisedHead(4);
        Assert.True(own.AdoptAdvertisedHead());

        Entry first = own.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 200, PostBody.Encode("one", PostBody.NoMedia, null));
        Entry second = own.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 201, PostBody.Encode("two", PostBody.NoMedia, null));
        Assert.Null(own.CommitResume(199)); // the first Commit wrote the resume entry before its own
        Assert.Equal(4 + LocalChain.ResumeSkip + 2, first.Sequence); // after the resume entry linking to 4 (docs/protocol.md §8.3)
        Assert.NotEqual(first.Sequence, second.Sequence);
    }
}
