using MeshMessenger.Protocol.Anchors;

namespace MeshMessenger.Anchoring.Merkle;

/// <summary>
/// An author's chain head waiting to be anchored: author, sequence and the signed entry hash. Because each
/// entry's hash covers the link to the one before it, proving the head proves every earlier entry of that chain
/// unaltered (docs/anchoring.md §1). Its leaf bytes also name its index and the size of its tree, so they exist
/// only once a batch's order is fixed: <see cref="Encode"/> gives the one leaf encoding, <see cref="AnchorLeaf"/>.
/// </summary>
public sealed record CheckpointLeaf(uint Author, uint Sequence, byte[] HeadHash)
{
    /// <summary>The leaf of this head at <paramref name="leafIndex"/> of a tree of <paramref name="treeSize"/> leaves.</summary>
    public AnchorLeaf Leaf(int leafIndex, int treeSize) => new(Author, Sequence, HeadHash, checked((uint)leafIndex), checked((uint)treeSize));

    /// <summary>The 48 leaf bytes (<see cref="AnchorLeaf.Encode"/>).</summary>
    public byte[] Encode(int leafIndex, int treeSize) => Leaf(leafIndex, treeSize).Encode();

    /// <summary>The leaves of <paramref name="heads"/> in this order, each naming its index and their count.</summary>
    public static List<byte[]> Leaves(IReadOnlyList<CheckpointLeaf> heads) => [.. heads.Select((h, i) => h.Encode(i, heads.Count))];
}
