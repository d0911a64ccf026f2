using MeshMessenger.Protocol.Anchors;

namespace MeshMessenger.Anchoring.Merkle;

/// <summary>
/// That a leaf is at <see cref="LeafIndex"/> in a tree of <see cref="TreeSize"/> leaves: at most
/// ceil(log2 n) sibling hashes of 32 bytes. Verified by <see cref="MerkleProof"/> (RFC 9162 §2.1.3.2), which
/// needs nothing but the leaf, its index, the tree size, the path and the root.
/// </summary>
public sealed record InclusionProof(int LeafIndex, int TreeSize, IReadOnlyList<byte[]> Path)
{
    /// <summary>Hashes a proof carries at most (trees of up to 2^31 leaves).</summary>
    public const int MaxHashes = MerkleProof.MaxPathHashes;

    /// <summary>True if the leaf data hashes up to <paramref name="root"/> along this path.</summary>
    public bool Verifies(ReadOnlySpan<byte> leaf, ReadOnlySpan<byte> root) => VerifiesHash(MerkleTree.LeafHash(leaf), root);

    /// <summary>True if the leaf hash hashes up to <paramref name="root"/> along this path (<see cref="MerkleProof.Verify"/>, the one verifier devices run too).</summary>
    public bool VerifiesHash(byte[] leafHash, ReadOnlySpan<byte> root) =>
        LeafIndex >= 0 && TreeSize > 0 && MerkleProof.Verify(leafHash, (uint)LeafIndex, (uint)TreeSize, [.. Path], root.ToArray());

    /// <summary>Compact bytes: index (4), size (4), count (1), then 32 bytes per hash.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[9 + (32 * Path.Count)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, LeafIndex);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), TreeSize);
        bytes[8] = (byte)Path.Count;
        for (int i = 0; i < Path.Count; i++)
        {
            Path[i].CopyTo(bytes, 9 + (32 * i));
        }

        return bytes;
    }

    /// <summary>Decodes <see cref="Encode"/>'s bytes from an untrusted source; null if they are not a proof.</summary>
    public static InclusionProof? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 9)
        {
            return null;
        }

        int index = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes);
        int size = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
        int count = bytes[8];
        if (index < 0 || size <= index || count > MaxHashes || bytes.Length != 9 + (32 * count))
        {
            return null;
        }

        var path = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            path.Add(bytes.Slice(9 + (32 * i), 32).ToArray());
        }

        return new InclusionProof(index, size, path);
    }
}
