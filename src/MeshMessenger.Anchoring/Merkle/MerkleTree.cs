using System.Security.Cryptography;
using MeshMessenger.Protocol.Anchors;

namespace MeshMessenger.Anchoring.Merkle;

/// <summary>
/// The Merkle Tree Hash of RFC 6962 §2.1 (as RFC 9162 §2.1.1 restates it): SHA-256 with a 0x00 prefix for
/// leaves and 0x01 for interior nodes, so a leaf can never pass for a node (second-preimage safety). An
/// n-leaf tree splits at the largest power of two below n, which makes the shape unique for every n. This class
/// builds trees and paths on a host (with the platform's SHA-256); checking a path is <see cref="MerkleProof"/>'s.
/// </summary>
public static class MerkleTree
{
    /// <summary>SHA-256(0x00 ‖ leaf).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf) => SHA256.HashData([MerkleProof.LeafPrefix, .. leaf]);

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => SHA256.HashData([MerkleProof.NodePrefix, .. left, .. right]);

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

    /// <summary>
    /// Every level of the tree, bottom up, for proving many leaves: pairing neighbours and carrying an odd last
    /// node up unchanged builds exactly RFC 6962's left-balanced tree. O(n) once, then O(log n) per proof.
    /// </summary>
    public static List<byte[][]> Levels(IReadOnlyList<byte[]> leaves)
    {
        var levels = new List<byte[][]> { leaves.Select(l => LeafHash(l)).ToArray() };
        while (levels[^1].Length > 1)
        {
            byte[][] below = levels[^1];
            var above = new byte[(below.Length + 1) / 2][];
            for (int i = 0; i < above.Length; i++)
            {
                above[i] = 2 * i + 1 < below.Length ? NodeHash(below[2 * i], below[(2 * i) + 1]) : below[2 * i];
            }

            levels.Add(above);
        }

        return levels;
    }

    /// <summary>The audit path of leaf <paramref name="index"/> from precomputed <see cref="Levels"/>.</summary>
    public static InclusionProof Prove(int index, List<byte[][]> levels)
    {
        int size = levels[0].Length;
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of {size}");
        }

        var path = new List<byte[]>();
        int i = index;
        foreach (byte[][] level in levels.Take(levels.Count - 1))
        {
            int sibling = i ^ 1;
            if (sibling < level.Length)
            {
                path.Add(level[sibling]);
            }

            i >>= 1;
        }

        return new InclusionProof(index, size, path);
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
