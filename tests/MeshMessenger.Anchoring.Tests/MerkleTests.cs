using MeshMessenger.Anchoring.Merkle;
using MeshMessenger.Protocol.Anchors;

namespace MeshMessenger.Anchoring.Tests;

/// <summary>RFC 6962 Merkle trees and inclusion proofs.</summary>
public sealed class MerkleTests
{
    private static readonly byte[][] CtLeaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57], Convert.FromHexString("606162636465666768696a6b6c6d6e6f"),
    ];

    [Fact]
    public void Roots_match_the_certificate_transparency_reference_values()
    {
        Assert.Equal(8, VectorFile.Lines("rfc6962-ct.txt").Count());
        foreach (string line in VectorFile.Lines("rfc6962-ct.txt"))
        {
            var (n, root) = VectorFile.Pair(line);
            Assert.Equal(root, Convert.ToHexStringLower(MerkleTree.Root(CtLeaves[..int.Parse(n)])));
        }

        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.Root([]))); // SHA-256 of nothing
    }

    [Fact]
    public void The_shared_verifier_accepts_the_certificate_transparency_audit_paths_and_nothing_edited()
    {
        Dictionary<int, string> roots = VectorFile.Lines("rfc6962-ct.txt").Select(VectorFile.Pair).ToDictionary(p => int.Parse(p.Left), p => p.Right);
        List<string> lines = [.. VectorFile.Lines("rfc6962-inclusion.txt")];
        Assert.Equal(4, lines.Count);
        foreach (string line in lines)
        {
            string[] parts = line.Split('|', StringSplitOptions.TrimEntries);
            uint index = uint.Parse(parts[0]);
            uint size = uint.Parse(parts[1]);
            byte[][] path = [.. parts[2].Split(',').Select(Convert.FromHexString)];
            byte[] root = Convert.FromHexString(roots[(int)size]);
            byte[] leafHash = MerkleProof.LeafHash(CtLeaves[index], 0, CtLeaves[index].Length);
            Assert.Equal(path.Length, MerkleProof.PathLength(index, size));
            Assert.True(MerkleProof.Verify(leafHash, index, size, path, root), line);
            Assert.Equal(path.Select(Convert.ToHexStringLower), MerkleTree.Prove((int)index, CtLeaves[..(int)size]).Path.Select(Convert.ToHexStringLower)); // the builder makes the same path
            Assert.False(MerkleProof.Verify(leafHash, index, size, path[..^1], root), line + ": a hash short");
            Assert.False(MerkleProof.Verify(leafHash, index, size, [.. path, path[0]], root), line + ": a hash too many");
            Assert.False(MerkleProof.Verify(leafHash, index ^ 1, size, path, root), line + ": another index");
        }
    }

    [Fact]
    public void A_bare_RFC_6962_path_does_not_fix_the_tree_size_but_an_anchor_leaf_does()
    {
        // Leaf 3 of 11 sits in the full left subtree of 8: its path is 4 hashes for 11, 12 and 16 leaves alike,
        // and RFC 9162 §2.1.3.2 accepts all three. The anchor leaf names its index and size, so only 11 passes.
        List<CheckpointLeaf> heads = [.. Enumerable.Range(0, 11).Select(i => new CheckpointLeaf((uint)i, 1, new byte[32]))];
        byte[][] bare = [.. heads.Select(h => h.Encode(0, 1)[..40])];
        InclusionProof barePath = MerkleTree.Prove(3, bare);
        byte[] bareRoot = MerkleTree.Root(bare);
        foreach (int size in new[] { 11, 12, 16 })
        {
            Assert.True((barePath with { TreeSize = size }).Verifies(bare[3], bareRoot), $"bare leaves, size {size}");
        }

        List<byte[]> leaves = CheckpointLeaf.Leaves(heads);
        InclusionProof proof = MerkleTree.Prove(3, leaves);
        byte[] root = MerkleTree.Root(leaves);
        Assert.True(proof.Verifies(leaves[3], root));
        foreach (int size in new[] { 12, 16 })
        {
            Assert.False(MerkleProof.Verify(heads[3].Leaf(3, size).Hash(), 3, (uint)size, [.. proof.Path], root), $"size {size}");
        }

        Assert.False(MerkleProof.Verify(heads[3].Leaf(2, 11).Hash(), 2, 11, [.. proof.Path], root), "index 2");
    }

    [Fact]
    public void Every_leaf_of_every_tree_size_up_to_70_proves_its_inclusion_and_nothing_else_does()
    {
        for (int n = 1; n <= 70; n++)
        {
            byte[][] leaves = [.. CheckpointLeaf.Leaves([.. Enumerable.Range(0, n).Select(i => new CheckpointLeaf((uint)i, (uint)(i * 7), new byte[32]))])];
            byte[] root = MerkleTree.Root(leaves);
            for (int i = 0; i < n; i++)
            {
                InclusionProof proof = MerkleTree.Prove(i, leaves);
                Assert.True(proof.Path.Count <= Math.Ceiling(Math.Log2(n)), $"n={n} i={i}: {proof.Path.Count} hashes");
                Assert.True(proof.Verifies(leaves[i], root), $"n={n} i={i}");
                Assert.False(proof.Verifies(leaves[(i + 1) % n], root) && n > 1, $"n={n} i={i}: another leaf passed");
                Assert.False((proof with { LeafIndex = (i + 1) % n }).Verifies(leaves[i], root) && n > 1, $"n={n} i={i}: wrong index passed");

                InclusionProof? decoded = InclusionProof.Decode(proof.Encode());
                Assert.NotNull(decoded);
                Assert.True(decoded.Verifies(leaves[i], root));
            }
        }
    }

    [Fact]
    public void The_level_by_level_tree_is_RFC_6962s_tree_for_every_size()
    {
        for (int n = 1; n <= 70; n++)
        {
            byte[][] leaves = Enumerable.Range(0, n).Select(i => new[] { (byte)i, (byte)(i >> 8) }).ToArray();
            List<byte[][]> levels = MerkleTree.Levels(leaves);
            Assert.Equal(MerkleTree.Root(leaves), levels[^1][0]);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(MerkleTree.Prove(i, leaves).Path, MerkleTree.Prove(i, levels).Path);
            }
        }
    }

    [Fact]
    public void A_leaf_hash_cannot_pass_for_a_node()
    {
        byte[][] leaves = [[1], [2]];
        byte[] root = MerkleTree.Root(leaves);
        byte[] forged = [.. MerkleTree.LeafHash(leaves[0]), .. MerkleTree.LeafHash(leaves[1])];
        Assert.NotEqual(root, MerkleTree.Root([forged])); // the 0x00/0x01 prefixes keep the levels apart
    }

    [Theory]
    [InlineData("")]
    [InlineData("00000005000000030001")] // index 5 ≥ size 3
    [InlineData("000000000000000201")] // one hash promised, none given
    public void Malformed_proof_bytes_are_refused(string hex) => Assert.Null(InclusionProof.Decode(Convert.FromHexString(hex)));
}
