using System.Numerics;
using MeshMessenger.Anchoring.Batches;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Anchoring.Merkle;
using MeshMessenger.Anchoring.Proofs;
using Microsoft.Data.Sqlite;

namespace MeshMessenger.Anchoring.Tests;

/// <summary>The anchoring lifecycle against a real local chain (anvil): one transaction per batch through crashes, reorgs and stuck fees.</summary>
public sealed class AnchoringTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("anchor-").FullName;
    private readonly AnvilNode _anvil = new();

    public void Dispose()
    {
        _anvil.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_batch_goes_from_pending_to_final_in_one_transaction_and_its_proof_checks_out_on_the_node()
    {
        AnchorStore store = Store();
        List<byte[]> leaves = Leaves(100);
        long batch = store.AddBatch(leaves);
        var anchorer = new Anchorer(_anvil.Rpc, store, AnvilNode.Account0Key, 31337);

        await anchorer.StepAsync(); // sign, store, send (anvil mines it at once)
        Assert.Equal(AnchorState.Sent, store.Batch(batch).State);
        await Settle(anchorer, store, batch, AnchorState.Included);
        AnchorBatch included = store.Batch(batch);
        Assert.Equal(AnchorState.Included, included.State);

        // Gas: 21,000 plus calldata at the EIP-7623 floor (10 per token; a zero byte is 1 token, any other 4),
        // which for 33 bytes of random data is above the standard 4/16 per byte.
        byte[] payload = Anchorer.Payload(included.Root);
        int zeros = payload.Count(b => b == 0);
        int tokens = zeros + (4 * (payload.Length - zeros));
        Assert.Equal(21_000 + Math.Max(10 * tokens, (4 * zeros) + (16 * (payload.Length - zeros))), included.GasUsed);

        await _anvil.Mine(3);
        await Settle(anchorer, store, batch, AnchorState.Final);
        Assert.Equal(AnchorState.Final, store.Batch(batch).State);
        Assert.Equal(1, await Nonce());

        ProofBundle bundle = ProofBundle.FromJson(ProofBundle.For(store, batch, 37).ToJson())!;
        var checks = await ProofVerifier.VerifyAsync(bundle, _anvil.Rpc);
        Assert.All(checks, c => Assert.True(c.Passed, c.Statement));
        Assert.True(bundle.Path.Count <= 7); // 32 · ceil(log2 100) bytes

        var forged = bundle with { Leaf = Convert.ToHexStringLower(Leaves(100)[36]) };
        Assert.Contains(await ProofVerifier.VerifyAsync(forged, _anvil.Rpc), c => !c.Passed && c.Statement.Contains("names leaf 36 of 100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bundle_edited_to_another_tree_size_index_or_path_length_fails_against_the_calldata_on_the_node_with_the_reason()
    {
        (AnchorStore store, Anchorer anchorer, long batch) = await AnchoredFinal(11);
        ProofBundle bundle = ProofBundle.For(store, batch, 3); // leaf 3 of 11: in the full left subtree of 8, 4 hashes, as for 12 or 16 leaves

        var honest = await ProofVerifier.VerifyAsync(bundle, _anvil.Rpc, anchorer.Address);
        Assert.All(honest, c => Assert.True(c.Passed, c.Statement));
        Assert.Contains(honest, c => c.Statement.Contains("calldata on the node is format 2 followed by that root", StringComparison.Ordinal));
        Assert.Contains(honest, c => c.Statement.Contains($"sent by {anchorer.Address}, the gateway's anchoring address", StringComparison.Ordinal));

        foreach (int size in new[] { 12, 16 })
        {
            await AssertFails(bundle with { TreeSize = size }, $"the bundle says leaf 3 of {size}, but its leaf names leaf 3 of 11");
        }

        await AssertFails(bundle with { LeafIndex = 2 }, "the bundle says leaf 2 of 11, but its leaf names leaf 3 of 11");
        await AssertFails(bundle with { Version = 1 }, "only format 2 is accepted (format 1 roots do not commit to the tree size)");
        await AssertFails(bundle with { Path = bundle.Path[..^1] }, "the path has 3 hashes, but a proof for leaf 3 of 11 needs exactly 4");
        await AssertFails(bundle with { Path = [.. bundle.Path, bundle.Path[0]] }, "the path has 5 hashes, but a proof for leaf 3 of 11 needs exactly 4");

        // The leaf edited along with the size: the leaf agrees with the bundle, but no longer hashes up to the root on chain.
        byte[] leaf = Convert.FromHexString(bundle.Leaf);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(leaf.AsSpan(44), 16);
        await AssertFails(bundle with { Leaf = Convert.ToHexStringLower(leaf), TreeSize = 16 }, "the leaf does not hash up to Merkle root");

        // A root the transaction does not carry, and a sender that is not the published anchoring address.
        List<byte[]> other = Leaves(12);
        await AssertFails(bundle with { Root = Convert.ToHexStringLower(MerkleTree.Root(other)) }, "does not carry root");
        var stranger = EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(Convert.FromHexString("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")));
        var checks = await ProofVerifier.VerifyAsync(bundle, _anvil.Rpc, stranger);
        Assert.Equal($"the transaction was sent by {anchorer.Address} to {anchorer.Address}, not by the gateway's anchoring address {stranger} to itself", Assert.Single(checks, c => !c.Passed).Statement, ignoreCase: true);

        async Task AssertFails(ProofBundle edited, string reason)
        {
            var result = await ProofVerifier.VerifyAsync(edited, _anvil.Rpc, anchorer.Address);
            Assert.Contains(result, c => !c.Passed && c.Statement.Contains(reason, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("signed")] // crashed after signing, before the transaction was stored
    [InlineData("stored")] // stored, never sent
    [InlineData("sent")]   // sent, the receipt never looked up
    public async Task A_crash_at_any_point_still_gives_exactly_one_anchor(string crashAt)
    {
        AnchorStore store = Store();
        long batch = store.AddBatch(Leaves(10));
        var crashing = new Anchorer(_anvil.Rpc, store, AnvilNode.Account0Key, 31337) { FaultPoint = p => { if (p == crashAt) throw new IOException("power cut"); } };
        await Assert.ThrowsAsync<IOException>(() => crashing.StepAsync());

        var restarted = new Anchorer(_anvil.Rpc, store, AnvilNode.Account0Key, 31337);
        await Settle(restarted, store, batch, AnchorState.Included);

        Assert.Equal(AnchorState.Included, store.Batch(batch).State);
        await restarted.StepAsync();
        await _anvil.Mine(2);
        await restarted.StepAsync();
        Assert.Equal(1, await Nonce()); // one transaction from the account, whatever happened
        Assert.Single(store.Attempts(batch));
    }

    [Theory]
    [InlineData("anvil_reorg")]
    [InlineData("anvil_rollback")]
    public async Task A_reorg_that_drops_the_anchor_sends_the_same_transaction_again(string how)
    {
        AnchorStore store = Store();
        long batch = store.AddBatch(Leaves(5));
        var anchorer = new Anchorer(_anvil.Rpc, store, AnvilNode.Account0Key, 31337);
        await Settle(anchorer, store, batch, AnchorState.Included);
        AnchorBatch before = store.Batch(batch);
        Assert.Equal(AnchorState.Included, before.State);

        if (how == "anvil_reorg")
        {
            await _anvil.Call("anvil_reorg", 1, new System.Text.Json.Nodes.JsonArray()); // replace the last block with an empty one
        }
        else
        {
            // The head is now below the anchor's block: the node cannot tell yet, so the batch stays as it is.
            await _anvil.Call("anvil_rollback", 1);
            await anchorer.StepAsync();
            Assert.Equal(AnchorState.Included, store.Batch(batch).State);
            Assert.Contains("has no block", Assert.Single(anchorer.Unverified));
            await _anvil.Mine(); // a new block at the anchor's height (anvil may put the dropped transaction in it)
        }

        await anchorer.StepAsync(); // sees the block hash change: a new receipt, or the stored bytes broadcast again
        if (how == "anvil_reorg")
        {
            Assert.Equal(AnchorState.Sent, store.Batch(batch).State);
        }

        await _anvil.Mine(); // the chain moves on (anvil may keep the dropped transaction in its pool as "already known")
        await Settle(anchorer, store, batch, AnchorState.Included);
        AnchorBatch after = store.Batch(batch);
        Assert.Equal(AnchorState.Included, after.State);
        Assert.Equal(before.TransactionHash, after.TransactionHash); // the same transaction, not a new one
        Assert.NotEqual(before.BlockHash, after.BlockHash);
        Assert.Single(store.Attempts(batch));
        Assert.Equal(1, await Nonce());
    }

    [Theory]
    [InlineData(false)] // the chain forgot everything (a dev chain restarted without its state)
    [InlineData(true)]  // ... and a stranger transaction from the account took the first nonce meanwhile
    public async Task Batches_the_chain_lost_are_sent_again_and_end_final_with_proofs_that_check_out_on_the_chain(bool nonceTaken)
    {
        AnchorStore store = Store();
        var anchorer = new Anchorer(_anvil.Rpc, store, AnvilNode.Account0Key, 31337);
        long final = store.AddBatch(Leaves(4));
        await Settle(anchorer, store, final, AnchorState.Included);
        await _anvil.Mine(3);
        await Settle(anchorer, store, final, AnchorState.Final);
        long included = store.AddBatch(Leaves(6));
        await Settle(anchorer, store, included, AnchorState.Included);
        Assert.Equal(AnchorState.Final, store.Batch(final).State);
        Assert.Equal(AnchorState.Included, store.Batch(included).State);

        await _anvil.Call("anvil_reset"); // back to genesis: neither anchor is on the chain any more
        Assert.Equal(0, await Nonce());
        if (nonceTaken)
        {
            var address = EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(AnvilNode.Account0Key));
            var stranger = new Eip1559Transaction(31337, 0, 1_000_000_000, 10_000_000_000, 21_000, address, 0, []);
            await _anvil.Rpc.SendRawTransactionAsync(stranger.Sign(AnvilNode.Account0Key).Raw);
        }

        long fresh = store.AddBatch(Leaves(3));
        long[] batches = [final, included, fresh];
        for (int i = 0; i < 200 && batches.Any(b => store.Batch(b).State != AnchorState.Final); i++)
        {
            await anchorer.StepAsync();
            await _anvil.Mine();
            await Task.Delay(20);
        }

        await _anvil.Mine(3);
        foreach (long batch in batches)
        {
            Assert.Equal(AnchorState.Final, store.Batch(batch).State);
            ProofBundle bundle = ProofBundle.For(store, batch, 0);
            var checks = await ProofVerifier.VerifyAsync(bundle, _anvil.Rpc);
            Assert.All(checks, c => Assert.True(c.Passed, $"batch {batch}: {c.Statement}"));
        }

        // One mined anchor per batch, at nonces the chain agrees with.
        Assert.Equal(batches.Length + (nonceTaken ? 1 : 0), await Nonce());
        Assert.Equal(batches.Length, batches.Select(b => store.Batch(b).TransactionHash).Distinct().Count());
    }

    [Fact]
    public async Task A_node_whose_head_is_behind_a_final_batch_leaves_it_final_and_its_authors_are_not_told_again()
    {
        (AnchorStore store, Anchorer anchorer, long batch) = await AnchoredFinal(4);
        store.MarkNotified(batch);
        AnchorBatch final = store.Batch(batch);

        // A node restarted without its state, or still catching up: it has neither the block nor the receipt.
        await _anvil.Call("anvil_reset");
        await anchorer.StepAsync();
        await anchorer.StepAsync();
        Assert.Equal(AnchorState.Final, store.Batch(batch).State);
        Assert.Empty(store.FinalNotNotified());
        Assert.Single(store.Attempts(batch)); // nothing signed again
        Assert.Equal(0, await Nonce());
        Assert.Contains($"batch {batch}", Assert.Single(anchorer.Unverified));

        // Once the node's head passes the stored block and the block there is another one, the chain has lost it.
        await _anvil.Mine((int)final.BlockNumber!.Value);
        await anchorer.StepAsync();
        Assert.NotEqual(AnchorState.Final, store.Batch(batch).State);
        Assert.Empty(anchorer.Unverified);
    }

    [Fact]
    public async Task A_stuck_transaction_is_replaced_at_the_same_nonce_with_fees_at_least_10_percent_higher()
    {
        await _anvil.Call("anvil_setAutomine", false);
        AnchorStore store = Store();
        long batch = store.AddBatch(Leaves(3));
        var anchorer = new Anchorer(_anvil.Rpc, store, AnvilNode.Account0Key, 31337) { StuckAfter = TimeSpan.Zero };
        await anchorer.StepAsync(); // first attempt
        await anchorer.StepAsync(); // no receipt, waited long enough: replacement
        List<AnchorAttempt> attempts = store.Attempts(batch);
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].MaxFeePerGas * 10 >= attempts[0].MaxFeePerGas * 11);
        Assert.True(attempts[1].MaxPriorityFeePerGas * 10 >= attempts[0].MaxPriorityFeePerGas * 11);

        await _anvil.Mine();
        await Settle(anchorer, store, batch, AnchorState.Included);
        AnchorBatch included = store.Batch(batch);
        Assert.Equal(AnchorState.Included, included.State);
        Assert.Equal(attempts[1].TransactionHash, included.TransactionHash); // the node kept the better-paying one
        Assert.Equal(1, await Nonce());
    }

    [Fact]
    public async Task Meshmsg_verify_checks_an_exported_proof_against_the_node_and_refuses_a_forged_one()
    {
        (AnchorStore store, Anchorer anchorer, long batch) = await AnchoredFinal(20);
        string file = Path.Combine(_dir, "proof.json");
        File.WriteAllText(file, ProofBundle.For(store, batch, 7).ToJson());
        string rpc = $"http://127.0.0.1:{_anvil.Port}";

        var console = new Spectre.Console.Testing.TestConsole();
        console.Profile.Width = 400;
        Assert.Equal(0, await Cli.Commands.VerifyCommand.RunAsync(file, rpc, console));
        Assert.Contains("is finalized", console.Output);
        string sender = anchorer.Address.ToString();
        Assert.Equal(0, await Cli.Commands.VerifyCommand.RunAsync(file, rpc, new Spectre.Console.Testing.TestConsole(), anchorer: sender));
        Assert.Equal(1, await Cli.Commands.VerifyCommand.RunAsync(file, rpc, new Spectre.Console.Testing.TestConsole(), anchorer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")); // anvil account #1 did not send it
        Assert.Equal(2, await Cli.Commands.VerifyCommand.RunAsync(file, rpc, new Spectre.Console.Testing.TestConsole(), anchorer: "0x1234"));

        ProofBundle forged = ProofBundle.FromJson(File.ReadAllText(file))! with { Root = new string('1', 64) };
        File.WriteAllText(file, forged.ToJson());
        Assert.Equal(1, await Cli.Commands.VerifyCommand.RunAsync(file, rpc, new Spectre.Console.Testing.TestConsole()));
        Assert.Equal(1, await Cli.Commands.VerifyCommand.RunAsync(Path.Combine(_dir, "missing.json"), rpc, new Spectre.Console.Testing.TestConsole()));
        Assert.Equal(2, await Cli.Commands.VerifyCommand.RunAsync(file, "ftp://nowhere", new Spectre.Console.Testing.TestConsole()));
    }

    [Fact]
    public async Task Meshmsg_verify_of_an_entry_refuses_a_gateway_bundle_that_does_not_cover_that_entry()
    {
        (AnchorStore store, Anchorer anchorer, long batch) = await AnchoredFinal(20);
        string bundle = ProofBundle.For(store, batch, 7).ToJson(); // author 000003ef's checkpoint at entry 7, valid on the chain
        string rpc = $"http://127.0.0.1:{_anvil.Port}";

        // A gateway (this server plays a lying one) answers every entry with that one valid bundle.
        using var gateway = new FixedAnswerServer(bundle);
        string url = gateway.Url;

        Assert.Equal(0, await Cli.Commands.VerifyCommand.RunAsync("000003ef:7", rpc, new Spectre.Console.Testing.TestConsole(), url));
        Assert.Equal(0, await Cli.Commands.VerifyCommand.RunAsync("000003ef:5", rpc, new Spectre.Console.Testing.TestConsole(), url)); // entry 7 covers 5
        var console = new Spectre.Console.Testing.TestConsole();
        console.Profile.Width = 400;
        Assert.Equal(1, await Cli.Commands.VerifyCommand.RunAsync("000003f0:7", rpc, console, url)); // another author
        Assert.Contains("does not cover 000003f0's entry 7", console.Output, StringComparison.Ordinal);
        Assert.Equal(1, await Cli.Commands.VerifyCommand.RunAsync("000003ef:8", rpc, new Spectre.Console.Testing.TestConsole(), url)); // a later entry
        Assert.Equal(2, await Cli.Commands.VerifyCommand.RunAsync("000003ef:9999999999", rpc, new Spectre.Console.Testing.TestConsole(), url));
    }

    [Fact]
    public async Task The_anchorer_refuses_to_sign_for_another_chain()
    {
        AnchorStore store = Store();
        store.AddBatch(Leaves(2));
        var anchorer = new Anchorer(_anvil.Rpc, store, AnvilNode.Account0Key, 1);
        var ex = await Assert.ThrowsAsync<Rpc.RpcException>(() => anchorer.StepAsync());
        Assert.Contains("chain 31337", ex.Message);
    }

    /// <summary>Steps until the batch reaches <paramref name="target"/> (a receipt can lag the mining a moment on a busy machine), at most 5 s.</summary>
    private static async Task Settle(Anchorer anchorer, AnchorStore store, long batch, AnchorState target)
    {
        for (int i = 0; i < 250 && store.Batch(batch).State < target; i++)
        {
            await anchorer.StepAsync();
            if (store.Batch(batch).State < target)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>A batch of <paramref name="leaves"/> test leaves anchored by account 0 and final on the node.</summary>
    private async Task<(AnchorStore Store, Anchorer Anchorer, long Batch)> AnchoredFinal(int leaves)
    {
        AnchorStore store = Store();
        long batch = store.AddBatch(Leaves(leaves));
        var anchorer = new Anchorer(_anvil.Rpc, store, AnvilNode.Account0Key, 31337);
        await Settle(anchorer, store, batch, AnchorState.Included);
        await _anvil.Mine(3);
        await Settle(anchorer, store, batch, AnchorState.Final);
        return (store, anchorer, batch);
    }

    private AnchorStore Store() => new(Path.Combine(_dir, $"anchors-{Guid.NewGuid():N}.db"));

    private static List<byte[]> Leaves(int n) =>
        CheckpointLeaf.Leaves([.. Enumerable.Range(0, n).Select(i => new CheckpointLeaf((uint)(1000 + i), (uint)i, System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))))]);

    private async Task<BigInteger> Nonce() => await _anvil.Rpc.PendingNonceAsync(EthereumAddress.FromPublicKey(Secp256k1.PublicKeyOf(AnvilNode.Account0Key)).ToString());
}
