using System.Numerics;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Rpc;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Anchors;

namespace MeshMessenger.Anchoring.Proofs;

/// <summary>
/// Checks a <see cref="ProofBundle"/> step by step against any Ethereum node; every step says in words what it
/// established, or why it failed. The Merkle step is <see cref="MerkleProof.Verify"/>, the check devices run on
/// an <see cref="AnchorNotice"/>; the leaf must name the index and tree size the bundle claims
/// (<see cref="AnchorLeaf"/>), and the root must be the one in the calldata the node holds for the transaction.
/// </summary>
public static class ProofVerifier
{
    /// <summary>The checks in order; the proof holds if every one passed.</summary>
    public static Task<List<(bool Passed, string Statement)>> VerifyAsync(ProofBundle bundle, EthereumRpcClient rpc, CancellationToken ct = default) =>
        VerifyAsync(bundle, rpc, null, ct);

    /// <summary>
    /// The checks in order; the proof holds if every one passed. With <paramref name="anchorer"/> (the anchoring
    /// address a gateway publishes in /health, /api/anchoring and its signed profile), the transaction's sender
    /// must be that address.
    /// </summary>
    public static async Task<List<(bool Passed, string Statement)>> VerifyAsync(ProofBundle bundle, EthereumRpcClient rpc, EthereumAddress? anchorer, CancellationToken ct = default)
    {
        var checks = new List<(bool, string)>();
        byte[] leafBytes, root, raw;
        byte[][] path;
        if (bundle.Leaf is null || bundle.Root is null || bundle.RawTransaction is null || bundle.Path is null || bundle.Path.Contains(null!)
            || bundle.TransactionHash is null || bundle.BlockHash is null)
        {
            // A bundle read from JSON (ProofBundle.FromJson) may lack any field, or hold null in its path.
            checks.Add((false, "the bundle lacks a field, or its path holds a null hash"));
            return checks;
        }

        try
        {
            leafBytes = Convert.FromHexString(bundle.Leaf);
            root = Convert.FromHexString(bundle.Root);
            raw = Convert.FromHexString(bundle.RawTransaction);
            path = [.. bundle.Path.Select(Convert.FromHexString)];
        }
        catch (FormatException)
        {
            checks.Add((false, "the bundle's hex fields are malformed"));
            return checks;
        }

        checks.Add(bundle.Version == AnchorLeaf.FormatVersion
            ? (true, $"the bundle is anchor format {AnchorLeaf.FormatVersion}: its leaf names its index and tree size, so the root commits to both")
            : (false, $"the bundle is anchor format {bundle.Version}; only format {AnchorLeaf.FormatVersion} is accepted (format 1 roots do not commit to the tree size)"));
        checks.Add(LeafCheck(bundle, leafBytes, out AnchorLeaf? leaf));
        checks.Add(PathLengthCheck(bundle));
        bool underRoot = leaf is not null && MerkleProof.Verify(leaf.Hash(), (uint)bundle.LeafIndex, (uint)bundle.TreeSize, path, root);
        checks.Add(underRoot
            ? (true, $"the checkpoint is leaf {bundle.LeafIndex} of {bundle.TreeSize} under Merkle root {Short(bundle.Root)} (RFC 6962 path of {path.Length} hashes)")
            : (false, $"the leaf does not hash up to Merkle root {Short(bundle.Root)} along the path as leaf {bundle.LeafIndex} of {bundle.TreeSize}"));

        string computedHash = "0x" + Convert.ToHexStringLower(Keccak256.Hash(raw));
        checks.Add(computedHash == bundle.TransactionHash
            ? (true, $"the raw transaction hashes to {bundle.TransactionHash}")
            : (false, $"the raw transaction hashes to {computedHash}, not to the bundle's {bundle.TransactionHash}"));

        try
        {
            ChainTransaction? tx = await rpc.TransactionAsync(bundle.TransactionHash, ct).ConfigureAwait(false);
            checks.Add(CalldataCheck(tx, root));
            checks.Add(SenderCheck(tx, anchorer));
            TransactionReceipt? receipt = await rpc.ReceiptAsync(bundle.TransactionHash, ct).ConfigureAwait(false);
            checks.Add((receipt is { Succeeded: true } && receipt.BlockHash == bundle.BlockHash && receipt.BlockNumber == bundle.BlockNumber,
                $"the node has the transaction, successful, in block {bundle.BlockNumber} ({Short(bundle.BlockHash)})"));
            BlockHeader? block = await rpc.BlockAsync(EthereumRpcClient.Quantity(bundle.BlockNumber), ct).ConfigureAwait(false);
            checks.Add((block?.Hash == bundle.BlockHash, "that block is on the node's canonical chain"));
            BlockHeader? finalized = await rpc.BlockAsync("finalized", ct).ConfigureAwait(false);
            bool final = finalized is not null && finalized.Number >= new BigInteger(bundle.BlockNumber);
            checks.Add((final, final ? "the block is finalized: the chain will not drop it" : "the block is not finalized yet: check again later"));
        }
        catch (RpcException e)
        {
            checks.Add((false, $"the node could not be asked: {e.Message}"));
        }

        return checks;
    }

    /// <summary>
    /// Whether the bundle is about entry <paramref name="sequence"/> of <paramref name="author"/>: its leaf must be that
    /// author's checkpoint at that sequence or a later one (a checkpoint covers every earlier entry of its chain,
    /// docs/anchoring.md §1). Whoever hands out a bundle chooses it, so a bundle fetched for an entry proves that
    /// entry only if this holds too.
    /// </summary>
    public static (bool Passed, string Statement) CoversCheck(ProofBundle bundle, uint author, uint sequence)
    {
        byte[] leafBytes;
        try
        {
            leafBytes = Convert.FromHexString(bundle.Leaf ?? string.Empty);
        }
        catch (FormatException)
        {
            leafBytes = [];
        }

        if (AnchorLeaf.TryDecode(leafBytes, 0, leafBytes.Length, out AnchorLeaf? leaf) != ProtocolError.None)
        {
            return (false, $"the bundle's leaf is not an anchor leaf, so it proves nothing about {author:x8}'s entry {sequence}");
        }

        return leaf!.Author == author && leaf.Sequence >= sequence
            ? (true, $"the leaf is {author:x8}'s checkpoint at entry {leaf.Sequence}, which covers entry {sequence}")
            : (false, $"the leaf is {leaf.Author:x8}'s checkpoint at entry {leaf.Sequence}: it does not cover {author:x8}'s entry {sequence}");
    }

    /// <summary>The leaf must be an anchor leaf naming the index and tree size the bundle claims.</summary>
    private static (bool, string) LeafCheck(ProofBundle bundle, byte[] leafBytes, out AnchorLeaf? leaf)
    {
        if (AnchorLeaf.TryDecode(leafBytes, 0, leafBytes.Length, out leaf) != ProtocolError.None)
        {
            return (false, $"the leaf is {leafBytes.Length} bytes, not a {AnchorLeaf.Size}-byte anchor leaf (author ‖ sequence ‖ entry hash ‖ leaf index ‖ tree size)");
        }

        return bundle.LeafIndex >= 0 && bundle.TreeSize > 0 && leaf!.LeafIndex == (uint)bundle.LeafIndex && leaf.TreeSize == (uint)bundle.TreeSize
            ? (true, $"the leaf is author {leaf.Author:x8}'s entry {leaf.Sequence}, and names itself leaf {leaf.LeafIndex} of {leaf.TreeSize}, as the bundle says")
            : (false, $"the bundle says leaf {bundle.LeafIndex} of {bundle.TreeSize}, but its leaf names leaf {leaf!.LeafIndex} of {leaf.TreeSize}: the index or tree size was changed");
    }

    /// <summary>RFC 9162 §2.1.3.2 consumes exactly one hash per level the leaf's position has in a tree of that size.</summary>
    private static (bool, string) PathLengthCheck(ProofBundle bundle)
    {
        int expected = bundle.LeafIndex < 0 || bundle.TreeSize <= 0 ? -1 : MerkleProof.PathLength((uint)bundle.LeafIndex, (uint)bundle.TreeSize);
        if (expected < 0)
        {
            return (false, $"leaf {bundle.LeafIndex} cannot be in a tree of {bundle.TreeSize} leaves");
        }

        return bundle.Path.Count == expected
            ? (true, $"the path has the {expected} hashes a proof for leaf {bundle.LeafIndex} of {bundle.TreeSize} needs")
            : (false, $"the path has {bundle.Path.Count} hashes, but a proof for leaf {bundle.LeafIndex} of {bundle.TreeSize} needs exactly {expected}");
    }

    /// <summary>The calldata as the node holds it must be the anchor payload over the bundle's root.</summary>
    private static (bool, string) CalldataCheck(ChainTransaction? tx, byte[] root)
    {
        if (tx is null)
        {
            return (false, "the node does not have the transaction");
        }

        byte[] expected = Anchorer.Payload(root);
        if (tx.Input.AsSpan().SequenceEqual(expected))
        {
            return (true, $"the transaction's calldata on the node is format {Anchorer.PayloadVersion} followed by that root");
        }

        return tx.Input.Length > 0 && tx.Input[0] != Anchorer.PayloadVersion
            ? (false, $"the transaction's calldata on the node is format {tx.Input[0]}, not {Anchorer.PayloadVersion}")
            : (false, $"the transaction's calldata on the node ({tx.Input.Length} bytes) does not carry root {Convert.ToHexStringLower(root)[..16]}…");
    }

    /// <summary>An anchor is sent by the anchoring account to itself; if the verifier knows the gateway's published address, it must be that one.</summary>
    private static (bool, string) SenderCheck(ChainTransaction? tx, EthereumAddress? anchorer)
    {
        if (tx is null)
        {
            return (false, "the node does not have the transaction, so its sender is unknown");
        }

        bool toSelf = string.Equals(tx.From, tx.To, StringComparison.OrdinalIgnoreCase);
        if (anchorer is null)
        {
            return toSelf
                ? (true, $"the transaction was sent by {tx.From} to itself (pass the gateway's anchoring address to check who that is)")
                : (false, $"the transaction was sent by {tx.From} to {tx.To ?? "a new contract"}, not to itself as anchors are");
        }

        bool byAnchorer = string.Equals(tx.From, anchorer.ToString(), StringComparison.OrdinalIgnoreCase);
        return byAnchorer && toSelf
            ? (true, $"the transaction was sent by {anchorer}, the gateway's anchoring address, to itself")
            : (false, $"the transaction was sent by {tx.From} to {tx.To ?? "a new contract"}, not by the gateway's anchoring address {anchorer} to itself");
    }

    private static string Short(string hex) => hex.Length > 18 ? hex[..18] + "…" : hex;
}
