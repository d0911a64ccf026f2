using MeshMessenger.Crypto;

namespace MeshMessenger.Protocol.Anchors;

/// <summary>
/// The one RFC 6962 Merkle inclusion check, shared by devices (an <see cref="AnchorNotice"/>) and hosts (the
/// anchoring library's proofs): leaf hash SHA-256(0x00 ‖ leaf) and node hash SHA-256(0x01 ‖ left ‖ right)
/// (RFC 6962 §2.1; the prefixes keep a leaf from passing for a node), verified by the algorithm of
/// RFC 9162 §2.1.3.2, which needs only the leaf hash, its index, the tree size, the path and the root.
/// </summary>
public static class MerkleProof
{
    /// <summary>Bytes of a hash.</summary>
    public const int HashSize = 32;

    /// <summary>Prefix of a leaf's hash input (RFC 6962 §2.1).</summary>
    public const byte LeafPrefix = 0x00;

    /// <summary>Prefix of an interior node's hash input (RFC 6962 §2.1).</summary>
    public const byte NodePrefix = 0x01;

    /// <summary>Path hashes at most: trees of up to 2^31 leaves.</summary>
    public const int MaxPathHashes = 31;

    /// <summary>Largest tree size a proof may claim (2^31, so a path has at most <see cref="MaxPathHashes"/> hashes).</summary>
    public const uint MaxTreeSize = 0x80000000;

    /// <summary>SHA-256(0x00 ‖ leaf[offset..offset+count]).</summary>
    public static byte[] LeafHash(byte[] leaf, int offset, int count)
    {
        var input = new byte[1 + count];
        input[0] = LeafPrefix;
        System.Array.Copy(leaf, offset, input, 1, count);
        var hash = new byte[HashSize];
        Sha256.Hash(input, 0, input.Length, hash, 0);
        return hash;
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] NodeHash(byte[] left, byte[] right)
    {
        var input = new byte[1 + (2 * HashSize)];
        input[0] = NodePrefix;
        System.Array.Copy(left, 0, input, 1, HashSize);
        System.Array.Copy(right, 0, input, 1 + HashSize, HashSize);
        var hash = new byte[HashSize];
        Sha256.Hash(input, 0, input.Length, hash, 0);
        return hash;
    }

    /// <summary>
    /// The number of hashes in the path of leaf <paramref name="index"/> of a tree of <paramref name="size"/>
    /// leaves (the steps of RFC 9162 §2.1.3.2 until sn reaches 0); -1 if the index is not in the tree or the size
    /// is 0 or above <see cref="MaxTreeSize"/>.
    /// </summary>
    public static int PathLength(uint index, uint size)
    {
        if (size == 0 || size > MaxTreeSize || index >= size)
        {
            return -1;
        }

        long fn = index;
        long sn = (long)size - 1;
        int count = 0;
        while (sn != 0)
        {
            if ((fn & 1) == 0 && fn == sn)
            {
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }

            fn >>= 1;
            sn >>= 1;
            count++;
        }

        return count;
    }

    /// <summary>
    /// True if <paramref name="leafHash"/> at <paramref name="index"/> of a tree of <paramref name="size"/>
    /// leaves hashes up to <paramref name="root"/> along <paramref name="path"/> (RFC 9162 §2.1.3.2). The path
    /// must have exactly <see cref="PathLength"/> hashes of 32 bytes. Compares the root in constant time.
    /// </summary>
    public static bool Verify(byte[] leafHash, uint index, uint size, byte[][] path, byte[] root)
    {
        if (leafHash == null || path == null || root == null || leafHash.Length != HashSize || root.Length != HashSize)
        {
            return false;
        }

        if (path.Length > MaxPathHashes || PathLength(index, size) != path.Length)
        {
            return false;
        }

        long fn = index;
        long sn = (long)size - 1;
        var node = new byte[1 + (2 * HashSize)];
        node[0] = NodePrefix;
        var r = new byte[HashSize];
        System.Array.Copy(leafHash, 0, r, 0, HashSize);
        for (int i = 0; i < path.Length; i++)
        {
            byte[] p = path[i];
            if (p == null || p.Length != HashSize || sn == 0)
            {
                return false;
            }

            bool fromLeft = (fn & 1) == 1 || fn == sn;
            System.Array.Copy(fromLeft ? p : r, 0, node, 1, HashSize);
            System.Array.Copy(fromLeft ? r : p, 0, node, 1 + HashSize, HashSize);
            if (fromLeft)
            {
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }

            Sha256.Hash(node, 0, node.Length, r, 0);
            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptoBytes.ConstantTimeEquals(r, 0, root, 0, HashSize);
    }
}
