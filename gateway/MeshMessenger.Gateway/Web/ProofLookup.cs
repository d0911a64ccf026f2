using System.Buffers.Binary;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Proofs;
using MeshMessenger.Gateway.Anchoring;

namespace MeshMessenger.Gateway.Web;

/// <summary>Finds the anchored checkpoint that covers an author's entry and builds its proof bundle.</summary>
public static class ProofLookup
{
    /// <summary>The proof for entry <paramref name="sequence"/> of <paramref name="author"/> (8 hex digits), or null if none is anchored yet.</summary>
    public static (ProofBundle Bundle, AnchorBatch Batch, uint Checkpoint)? Find(AnchoringService anchoring, string author, uint sequence)
    {
        if (anchoring.Store is not { } store || !Protocol.Identity.NodeId.TryParse(author, out uint id) || store.FindCovering(id, sequence) is not { } found)
        {
            return null;
        }

        AnchorBatch batch = store.Batch(found.BatchId);
        if (batch.State < AnchorState.Included)
        {
            return null;
        }

        ProofBundle bundle = ProofBundle.For(store, found.BatchId, found.Index);
        uint checkpoint = BinaryPrimitives.ReadUInt32BigEndian(Convert.FromHexString(bundle.Leaf).AsSpan(4)); // leaf: author ‖ sequence ‖ hash
        return (bundle, batch, checkpoint);
    }

    /// <summary>The problem response when <see cref="Find"/> found nothing: why, in words.</summary>
    public static IResult Missing(AnchoringService anchoring, string author, uint sequence) =>
        anchoring.Store is null ? Results.Problem("anchoring is off on this gateway", statusCode: 404)
        : !Protocol.Identity.NodeId.TryParse(author, out _) ? Results.Problem("author must be 8 hex digits", statusCode: 400)
        : Results.Problem($"no anchored checkpoint of {author} covers sequence {sequence} yet", statusCode: 404);
}
