using System.Buffers.Binary;

namespace MeshMessenger.Anchoring.Merkle;

/// <summary>
/// What one Merkle leaf commits to: an author's chain head, as author (4 bytes) ‖ sequence (4) ‖ entry hash
/// (32). Because each entry's hash covers the link to the one before it, proving the head proves every
/// earlier entry of that chain unaltered (docs/anchoring.md).
/// </summary>
public sealed record CheckpointLeaf(uint Author, uint Sequence, byte[] HeadHash)
{
    /// <summary>Leaf size in bytes.</summary>
    public const int Size = 40;

    /// <summary>The 40 leaf bytes.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Author);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), Sequence);
        HeadHash.AsSpan(0, 32).CopyTo(bytes.AsSpan(8));
        return bytes;
    }
}
