using System.Numerics;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Merkle;
using MeshMessenger.Anchoring.Rpc;

namespace MeshMessenger.Anchoring.Proofs;

/// <summary>Checks a <see cref="ProofBundle"/> step by step against any Ethereum node; every step says in words what it established.</summary>
public static class ProofVerifier
{
    /// <summary>The checks in order; the proof holds if every one passed.</summary>
    public static async Task<List<(bool Passed, string Statement)>> VerifyAsync(ProofBundle bundle, EthereumRpcClient rpc, CancellationToken ct = default)
    {
        var checks = new List<(bool, string)>();
        byte[] leaf, root, raw;
        try
        {
            leaf = Convert.FromHexString(bundle.Leaf);
            root = Convert.FromHexString(bundle.Root);
            raw = Convert.FromHexString(bundle.RawTransaction);
        }
        catch (FormatException)
        {
            checks.Add((false, "the bundle's hex fields are malformed"));
            return checks;
        }

        var proof = new InclusionProof(bundle.LeafIndex, bundle.TreeSize, bundle.Path.Select(p => Convert.FromHexString(p)).ToList());
        checks.Add((proof.Verifies(leaf, root), $"the checkpoint is leaf {bundle.LeafIndex} of {bundle.TreeSize} under Merkle root {bundle.Root[..16]}… (RFC 6962 path of {bundle.Path.Count} hashes)"));

        string computedHash = "0x" + Convert.ToHexStringLower(Keccak256.Hash(raw));
        checks.Add((computedHash == bundle.TransactionHash, $"the raw transaction hashes to {bundle.TransactionHash}"));
        byte[] anchored = [0xa1, .. Anchorer.Payload(root)]; // RLP of the 33-byte calldata
        checks.Add((raw.Length > 0 && raw[0] == Eip1559Transaction.Type && raw.AsSpan().IndexOf(anchored) >= 0, "the transaction's data is version 1 followed by that root"));

        try
        {
            TransactionReceipt? receipt = await rpc.ReceiptAsync(bundle.TransactionHash, ct).ConfigureAwait(false);
            checks.Add((receipt is { Succeeded: true } && receipt.BlockHash == bundle.BlockHash && receipt.BlockNumber == bundle.BlockNumber,
                $"the node has the transaction, successful, in block {bundle.BlockNumber} ({bundle.BlockHash[..18]}…)"));
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
}
