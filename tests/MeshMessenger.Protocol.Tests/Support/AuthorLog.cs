using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Protocol.Tests.Support;

/// <summary>An author writing public posts into their own chain, for chain tests.</summary>
internal sealed class AuthorLog
{
    public AuthorLog(byte fill)
    {
        Identity = Identities.Fixed(fill);
        Chain = new LocalChain(Identity, new ChainStore(new MemoryEntryStore()));
        Genesis = Chain.StartNew(Profile.Of(Identity, "author " + fill, null), 1);
    }

    public NodeIdentity Identity { get; }

    public LocalChain Chain { get; }

    public Entry Genesis { get; }

    public Entry Post(string text, uint time = 100) =>
        Chain.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, time, System.Text.Encoding.UTF8.GetBytes(text));

    public List<Entry> Posts(int count) => Enumerable.Range(1, count).Select(i => Post("post " + i)).ToList();
}
