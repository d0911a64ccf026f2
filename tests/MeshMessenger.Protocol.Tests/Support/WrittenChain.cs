using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Tests.Support;

/// <summary>A chain as its author wrote it before a wipe: the genesis profile, then public posts.</summary>
internal static class WrittenChain
{
    /// <summary>Entries 0..count-1 of <paramref name="author"/>'s chain: the genesis and count - 1 posts; <paramref name="lastText"/> replaces the last post's text (another history from the same key).</summary>
    public static Entry[] Of(NodeIdentity author, int count, string? lastText = null)
    {
        var writer = new LocalChain(author, new ChainStore(new MemoryEntryStore()));
        var entries = new Entry[count];
        entries[0] = writer.StartNew(Profile.Of(author, "alice", null), 100);
        for (int i = 1; i < count; i++)
        {
            entries[i] = writer.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, (uint)(100 + i), PostBody.Encode(i == count - 1 && lastText != null ? lastText : "p" + i, PostBody.NoMedia, null));
        }

        return entries;
    }
}
