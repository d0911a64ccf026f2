using System.Security.Cryptography;

namespace MeshMessenger.Anchoring.Merkle;

/// <summary>
/// The Merkle Tree Hash of RFC 6962 §2.1 (as RFC 9162 §2.1.1 restates it): SHA-256 with a 0x00 prefix for
/// leaves and 0x01 for interior nodes, so a leaf can never pass for a node (second-preimage safety). An
/// n-leaf tree splits at the largest power of two below n, which makes the shape unique for every n.
/// </summary>
public static class MerkleTree
{
    /// <summary>SHA-256(0x00 ‖ leaf).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf) => SHA256.HashData([0x00, .. leaf]);

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>The root over leaf data; the empty tree's root is SHA-256 of nothing.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leaves) => RootOfHashes(leaves.Select(l => LeafHash(l)).ToArray());

    /// <summary>The root over leaf hashes.</summary>
    public static byte[] RootOfHashes(ReadOnlySpan<byte[]> leafHashes)
    {
        if (leafHashes.Length == 0)
        {
            return SHA256.HashData([]);
        }

        if (leafHashes.Length == 1)
        {
            return leafHashes[0];
        }

        int k = LargestPowerOfTwoBelow(leafHashes.Length);
        return NodeHash(RootOfHashes(leafHashes[..k]), RootOfHashes(leafHashes[k..]));
    }

    /// <summary>The audit path PATH(m, D[n]) of RFC 6962 §2.1.1: the sibling hashes from the leaf up.</summary>
    public static InclusionProof Prove(int index, IReadOnlyList<byte[]> leaves)
    {
        if (index < 0 || index >= leaves.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of {leaves.Count}");
        }

        byte[][] hashes = leaves.Select(l => LeafHash(l)).ToArray();
        var path = new List<byte[]>();
        Path(index, hashes, path);
        return new InclusionProof(index, leaves.Count, path);
    }

    /// <summary>k: the largest power of two strictly below n (n ≥ 2).</summary>
    public static int LargestPowerOfTwoBelow(int n)
    {
        int k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }

    private static void Path(int m, ReadOnlySpan<byte[]> hashes, List<byte[]> path)
    {
        if (hashes.Length <= 1)
        {
            return;
        }

        int k = LargestPowerOfTwoBelow(hashes.Length);
        if (m < k)
        {
            Path(m, hashes[..k], path);
            path.Add(RootOfHashes(hashes[k..]));
        }
        else
        {
            Path(m - k, hashes[k..], path);
            path.Add(RootOfHashes(hashes[..k]));
        }
    }
}
