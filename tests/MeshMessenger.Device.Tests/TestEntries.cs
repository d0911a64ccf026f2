using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Device.Tests;

/// <summary>Real signed entries, made by protocol nodes: a profile and public posts per author.</summary>
internal static class TestEntries
{
    public static List<StoredEntry> Make(int authors, int postsEach)
    {
        var result = new List<StoredEntry>();
        for (int a = 0; a < authors; a++)
        {
            var secret = new byte[NodeIdentity.RootSecretSize];
            secret[0] = (byte)(a + 1);
            var store = new MemoryEntryStore();
            var node = new MessengerNode(NodeIdentity.FromRootSecret(secret), $"author{a}", store, new ManualClock(), FrameLimits.LoRa, false);
            for (int p = 0; p < postsEach; p++)
            {
                node.PostPublic($"post {p} of author {a}");
            }

            for (uint s = 0; s <= (uint)postsEach; s++)
            {
                result.Add(store.Get(node.Id, s)!);
            }
        }

        return result;
    }
}
