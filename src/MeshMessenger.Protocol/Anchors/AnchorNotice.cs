using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Anchors;

/// <summary>
/// The compact proof a gateway sends back to an author once a checkpoint of the author's chain is anchored
/// (docs/protocol.md §5.1, docs/anchoring.md §5): the leaf's fields in the leaf's own encoding
/// (<see cref="AnchorLeaf"/>, all but the entry hash, which the author has), the Merkle root and the RFC 6962
/// path, and the transaction and block that carry the root. The device rebuilds the leaf from its own entry
/// hash, so an index or tree size edited in transit no longer leads to the root; the chain side can be
/// checked later against any Ethereum node.
/// <code>
/// format 1 (= 2) | author 4 | sequence 4 | leaf index 4 | tree size 4 | root 32 | transaction hash 32 | block varint | count 1 | path count × 32
/// </code>
/// </summary>
public sealed class AnchorNotice
{
    /// <summary>Path hashes at most (trees of up to 2^31 leaves).</summary>
    public const int MaxPathHashes = MerkleProof.MaxPathHashes;

    /// <summary>Creates a notice.</summary>
    public AnchorNotice(uint author, uint sequence, byte[] root, byte[] transactionHash, uint blockNumber, uint leafIndex, uint treeSize, byte[][] path)
    {
        Author = author;
        Sequence = sequence;
        Root = root;
        TransactionHash = transactionHash;
        BlockNumber = blockNumber;
        LeafIndex = leafIndex;
        TreeSize = treeSize;
        Path = path;
    }

    /// <summary>The author whose chain head is anchored.</summary>
    public uint Author { get; }

    /// <summary>The anchored sequence number: it and every earlier entry are covered.</summary>
    public uint Sequence { get; }

    /// <summary>The Merkle root in the transaction.</summary>
    public byte[] Root { get; }

    /// <summary>Hash of the anchoring transaction.</summary>
    public byte[] TransactionHash { get; }

    /// <summary>Block that includes it.</summary>
    public uint BlockNumber { get; }

    /// <summary>Leaf position.</summary>
    public uint LeafIndex { get; }

    /// <summary>Leaves in the tree.</summary>
    public uint TreeSize { get; }

    /// <summary>Sibling hashes from the leaf up.</summary>
    public byte[][] Path { get; }

    /// <summary>The wire form.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(1 + 16 + 32 + 32 + Varint.MaxSize + 1 + (32 * Path.Length));
        writer.WriteByte(AnchorLeaf.FormatVersion);
        writer.WriteUInt32(Author);
        writer.WriteUInt32(Sequence);
        writer.WriteUInt32(LeafIndex);
        writer.WriteUInt32(TreeSize);
        writer.WriteBytes(Root);
        writer.WriteBytes(TransactionHash);
        writer.WriteVarint(BlockNumber);
        writer.WriteByte(Path.Length);
        for (int i = 0; i < Path.Length; i++)
        {
            writer.WriteBytes(Path[i]);
        }

        return writer.ToArray();
    }

    /// <summary>
    /// Decodes untrusted bytes; never throws. Refuses another format byte (<see cref="ProtocolError.UnsupportedVersion"/>),
    /// short input (<see cref="ProtocolError.Truncated"/>), an index not below the size, a size of 0 or above 2^31,
    /// or a path count other than the one RFC 9162 §2.1.3.2 needs for that index and size
    /// (<see cref="ProtocolError.InvalidField"/>), and bytes after the path (<see cref="ProtocolError.TrailingBytes"/>).
    /// </summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, out AnchorNotice? notice)
    {
        notice = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            return ProtocolError.Truncated;
        }

        var reader = new ByteReader(data, offset, count);
        int format = reader.ReadByte();
        if (format < 0)
        {
            return ProtocolError.Truncated;
        }

        if (format != AnchorLeaf.FormatVersion)
        {
            return ProtocolError.UnsupportedVersion;
        }

        uint author;
        uint sequence;
        uint index;
        uint size;
        uint block;
        if (!reader.TryReadUInt32(out author) || !reader.TryReadUInt32(out sequence) || !reader.TryReadUInt32(out index) || !reader.TryReadUInt32(out size))
        {
            return ProtocolError.Truncated;
        }

        byte[]? root = reader.ReadBytes(32);
        byte[]? tx = reader.ReadBytes(32);
        if (root == null || tx == null || !reader.TryReadVarint(out block))
        {
            return ProtocolError.Truncated;
        }

        int hashes = reader.ReadByte();
        if (hashes < 0)
        {
            return ProtocolError.Truncated;
        }

        if (hashes > MaxPathHashes || MerkleProof.PathLength(index, size) != hashes)
        {
            return ProtocolError.InvalidField;
        }

        if (reader.Remaining != 32 * hashes)
        {
            return reader.Remaining < 32 * hashes ? ProtocolError.Truncated : ProtocolError.TrailingBytes;
        }

        var path = new byte[hashes][];
        for (int i = 0; i < hashes; i++)
        {
            path[i] = reader.ReadBytes(32)!;
        }

        notice = new AnchorNotice(author, sequence, root, tx, block, index, size, path);
        return ProtocolError.None;
    }

    /// <summary>
    /// True if the leaf author ‖ sequence ‖ <paramref name="entryHash"/> ‖ leaf index ‖ tree size
    /// (<see cref="AnchorLeaf"/>) hashes up to <see cref="Root"/> along <see cref="Path"/> (<see cref="MerkleProof.Verify"/>).
    /// </summary>
    public bool Proves(byte[] entryHash)
    {
        if (entryHash == null || entryHash.Length != MerkleProof.HashSize || MerkleProof.PathLength(LeafIndex, TreeSize) < 0)
        {
            return false;
        }

        byte[] leafHash = new AnchorLeaf(Author, Sequence, entryHash, LeafIndex, TreeSize).Hash();
        return MerkleProof.Verify(leafHash, LeafIndex, TreeSize, Path, Root);
    }
}
