namespace MeshMessenger.Protocol.Wire;

/// <summary>Byte-array helpers the nanoFramework subset lacks (no <c>SequenceEqual</c>, no spans).</summary>
public static class ByteArrays
{
    /// <summary>True if both arrays hold the same bytes. Not constant-time: for public bytes only (frames, payloads).</summary>
    public static bool Same(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
