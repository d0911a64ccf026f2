namespace MeshMessenger.Crypto.Tests.Support;

/// <summary>Drives an incremental API (hash, MAC) with a message cut at arbitrary points.</summary>
internal static class Chunks
{
    /// <summary>
    /// Calls <paramref name="update"/> over consecutive pieces of <paramref name="message"/> whose sizes cycle
    /// through <paramref name="sizes"/>; zero sizes produce zero-length updates. If a whole cycle makes no
    /// progress, the rest goes in one piece.
    /// </summary>
    public static void Feed(byte[] message, int[] sizes, Action<byte[], int, int> update)
    {
        int offset = 0;
        int idle = 0;
        for (int i = 0; offset < message.Length; i++)
        {
            int take = Math.Min(sizes[i % sizes.Length], message.Length - offset);
            update(message, offset, take);
            offset += take;
            idle = take == 0 ? idle + 1 : 0;
            if (idle >= sizes.Length)
            {
                update(message, offset, message.Length - offset);
                offset = message.Length;
            }
        }
    }
}
