using MeshMessenger.Crypto;

namespace MeshMessenger.Protocol.Anchors;

/// <summary>
/// The one encoding of an anchored Merkle leaf (docs/anchoring.md §1), format <see cref="FormatVersion"/>:
/// <code>
/// author 4 | sequence 4 | entry hash 32 | leaf index 4 | tree size 4        (48 bytes, integers big-endian)
/// </code>
/// The leaf names its own position and the size of its tree, so the root commits to the tree size: a proof
/// edited to another index or size no longer hashes to the anchored root, and a device can check this from
/// the notice alone, with no access to the chain.
/// </summary>
public sealed class AnchorLeaf
{
    /// <summary>Anchor format: leaves of this layout, calldata 0x02 ‖ root, notices that start with 0x02.</summary>
    public const byte FormatVersion = 2;

    /// <summary>Leaf size in bytes.</summary>
    public const int Size = 48;

    /// <summary>Creates a leaf; the entry hash must be 32 bytes and the index below the size.</summary>
    public AnchorLeaf(uint author, uint sequence, byte[] entryHash, uint leafIndex, uint treeSize)
    {
        if (entryHash == null || entryHash.Length != MerkleProof.HashSize || MerkleProof.PathLength(leafIndex, treeSize) < 0)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "a leaf holds a 32-byte entry hash and an index below a tree size of 1 to 2^31");
        }

        Author = author;
        Sequence = sequence;
        EntryHash = entryHash;
        LeafIndex = leafIndex;
        TreeSize = treeSize;
    }

    /// <summary>The author whose chain head is anchored.</summary>
    public uint Author { get; }

    /// <summary>The head's sequence number: it and every earlier entry are covered.</summary>
    public uint Sequence { get; }

    /// <summary>The head's signed entry hash.</summary>
    public byte[] EntryHash { get; }

    /// <summary>The leaf's position in its tree.</summary>
    public uint LeafIndex { get; }

    /// <summary>Leaves in its tree.</summary>
    public uint TreeSize { get; }

    /// <summary>The 48 leaf bytes.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[Size];
        CryptoBytes.StoreUInt32BigEndian(Author, bytes, 0);
        CryptoBytes.StoreUInt32BigEndian(Sequence, bytes, 4);
        System.Array.Copy(EntryHash, 0, bytes, 8, MerkleProof.HashSize);
        CryptoBytes.StoreUInt32BigEndian(LeafIndex, bytes, 40);
        CryptoBytes.StoreUInt32BigEndian(TreeSize, bytes, 44);
        return bytes;
    }

    /// <summary>SHA-256(0x00 ‖ leaf): the hash a proof starts from.</summary>
    public byte[] Hash()
    {
        byte[] bytes = Encode();
        return MerkleProof.LeafHash(bytes, 0, bytes.Length);
    }

    /// <summary>
    /// Reads leaf bytes from an untrusted source; never throws. Fewer than <see cref="Size"/> bytes are
    /// <see cref="ProtocolError.Truncated"/>, more are <see cref="ProtocolError.TrailingBytes"/> (docs/protocol.md §10.1),
    /// an index not below the size or a size of 0 or above 2^31 is <see cref="ProtocolError.InvalidField"/>.
    /// </summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, out AnchorLeaf? leaf)
    {
        leaf = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count || count < Size)
        {
            return ProtocolError.Truncated;
        }

        if (count > Size)
        {
            return ProtocolError.TrailingBytes;
        }

        uint index = CryptoBytes.LoadUInt32BigEndian(data, offset + 40);
        uint size = CryptoBytes.LoadUInt32BigEndian(data, offset + 44);
        if (MerkleProof.PathLength(index, size) < 0)
        {
            return ProtocolError.InvalidField;
        }

        var hash = new byte[MerkleProof.HashSize];
        System.Array.Copy(data, offset + 8, hash, 0, MerkleProof.HashSize);
        leaf = new AnchorLeaf(CryptoBytes.LoadUInt32BigEndian(data, offset), CryptoBytes.LoadUInt32BigEndian(data, offset + 4), hash, index, size);
        return ProtocolError.None;
    }
}
