using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Anchors;

/// <summary>
/// The compact proof a gateway sends back to an author once a checkpoint of the author's chain is anchored
/// (docs/protocol.md §12, docs/anchoring.md): the checkpoint (author, sequence), the Merkle root and the
/// RFC 6962 path of the leaf author ‖ sequence ‖ entry hash, and the transaction and block that carry the
/// root. The device checks the path against its own entry hash; the chain side can be checked later
/// against any Ethereum node.
/// <code>
/// author 4 | sequence varint | root 32 | transaction hash 32 | block varint | leaf index varint | tree size varint | count 1 | path count × 32
/// </code>
/// </summary>
public sealed class AnchorNotice
{
    /// <summary>Path hashes at most (trees of up to 2^31 leaves).</summary>
    public const int MaxPathHashes = 31;

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
        var writer = new ByteWriter(4 + 5 + 32 + 32 + 5 + 5 + 5 + 1 + (32 * Path.Length));
        writer.WriteUInt32(Author);
        writer.WriteVarint(Sequence);
        writer.WriteBytes(Root);
        writer.WriteBytes(TransactionHash);
        writer.WriteVarint(BlockNumber);
        writer.WriteVarint(LeafIndex);
        writer.WriteVarint(TreeSize);
        writer.WriteByte(Path.Length);
        for (int i = 0; i < Path.Length; i++)
        {
            writer.WriteBytes(Path[i]);
        }

        return writer.ToArray();
    }

    /// <summary>Decodes untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, out AnchorNotice? notice)
    {
        notice = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            return ProtocolError.Truncated;
        }

        var reader = new ByteReader(data, offset, count);
        uint author;
        uint sequence;
        uint block;
        uint index;
        uint size;
        if (!reader.TryReadUInt32(out author) || !reader.TryReadVarint(out sequence))
        {
            return ProtocolError.Truncated;
        }

        byte[]? root = reader.ReadBytes(32);
        byte[]? tx = reader.ReadBytes(32);
        if (root == null || tx == null || !reader.TryReadVarint(out block) || !reader.TryReadVarint(out index) || !reader.TryReadVarint(out size))
        {
            return ProtocolError.Truncated;
        }

        int hashes = reader.ReadByte();
        if (hashes < 0)
        {
            return ProtocolError.Truncated;
        }

        if (hashes > MaxPathHashes || index >= size || reader.Remaining != 32 * hashes)
        {
            return ProtocolError.InvalidField;
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
    /// True if the leaf author ‖ sequence ‖ <paramref name="entryHash"/> hashes up to <see cref="Root"/> along
    /// <see cref="Path"/> (RFC 6962 leaf and node prefixes; the verification of RFC 9162 §2.1.3.2).
    /// </summary>
    public bool Proves(byte[] entryHash)
    {
        var leaf = new byte[1 + 40];
        leaf[0] = 0x00;
        leaf[1] = (byte)(Author >> 24);
        leaf[2] = (byte)(Author >> 16);
        leaf[3] = (byte)(Author >> 8);
        leaf[4] = (byte)Author;
        leaf[5] = (byte)(Sequence >> 24);
        leaf[6] = (byte)(Sequence >> 16);
        leaf[7] = (byte)(Sequence >> 8);
        leaf[8] = (byte)Sequence;
        Array.Copy(entryHash, 0, leaf, 9, 32);
        var r = new byte[32];
        Sha256.Hash(leaf, 0, leaf.Length, r, 0);

        long fn = LeafIndex;
        long sn = (long)TreeSize - 1;
        var node = new byte[65];
        for (int i = 0; i < Path.Length; i++)
        {
            if (sn == 0)
            {
                return false;
            }

            node[0] = 0x01;
            bool left = (fn & 1) == 1 || fn == sn;
            Array.Copy(left ? Path[i] : r, 0, node, 1, 32);
            Array.Copy(left ? r : Path[i], 0, node, 33, 32);
            if (left)
            {
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }

            Sha256.Hash(node, 0, 65, r, 0);
            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptoBytes.ConstantTimeEquals(r, 0, Root, 0, 32);
    }
}
