using MeshMessenger.Anchoring.Merkle;
using MeshMessenger.Anchoring.Proofs;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Anchors;

namespace MeshMessenger.Anchoring.Tests;

/// <summary>Leaves and proof bundles from outside: refused with the error kind docs/protocol.md §10.1 names, never with an exception.</summary>
public sealed class ProofInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proof-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_leaf_with_bytes_after_its_tree_size_is_TrailingBytes_and_a_short_one_Truncated()
    {
        byte[] leaf = new CheckpointLeaf(7, 3, new byte[32]).Encode(3, 11);
        Assert.Equal(ProtocolError.None, AnchorLeaf.TryDecode(leaf, 0, leaf.Length, out _));
        byte[] longer = [.. leaf, 0];
        Assert.Equal(ProtocolError.TrailingBytes, AnchorLeaf.TryDecode(longer, 0, longer.Length, out AnchorLeaf? none));
        Assert.Null(none);
        Assert.Equal(ProtocolError.Truncated, AnchorLeaf.TryDecode(leaf, 0, leaf.Length - 1, out _));
    }

    [Theory]
    [InlineData("\"path\": [null]")]
    [InlineData("\"path\": []")]
    public async Task Meshmsg_verify_refuses_a_bundle_with_a_null_or_missing_field_without_throwing(string pathField)
    {
        // Every field present but a null hash in the path, or no blockHash: nothing to check against a node.
        string json = "{ \"version\": 2, \"leaf\": \"00\", \"leafIndex\": 0, \"treeSize\": 1, " + pathField + ", \"root\": \"00\", "
            + "\"transactionHash\": \"0x00\", \"blockNumber\": 1, " + (pathField.Contains("null", StringComparison.Ordinal) ? "\"blockHash\": \"0x00\", " : string.Empty)
            + "\"rawTransaction\": \"00\", \"receipt\": \"{}\" }";
        string file = Path.Combine(_dir, "bundle.json");
        File.WriteAllText(file, json);
        var console = new Spectre.Console.Testing.TestConsole();
        Assert.Equal(1, await Cli.Commands.VerifyCommand.RunAsync(file, "http://127.0.0.1:9", console));
        Assert.Contains("proof", console.Output, StringComparison.Ordinal);

        ProofBundle bundle = ProofBundle.FromJson(json)!;
        using var http = new HttpClient();
        var checks = await ProofVerifier.VerifyAsync(bundle, new Rpc.EthereumRpcClient(http, new Uri("http://127.0.0.1:9")));
        Assert.Contains(checks, c => !c.Passed);
    }

    [Fact]
    public async Task A_node_answering_a_transaction_receipt_or_block_with_a_bare_value_is_an_RpcException_and_a_failed_check()
    {
        // A node (this server plays a broken or hostile one) whose every result is a string, not an object.
        using var node = new FixedAnswerServer("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x12\"}");
        using var http = new HttpClient();
        var rpc = new Rpc.EthereumRpcClient(http, new Uri(node.Url));
        await Assert.ThrowsAsync<Rpc.RpcException>(() => rpc.TransactionAsync("0x00"));
        await Assert.ThrowsAsync<Rpc.RpcException>(() => rpc.ReceiptAsync("0x00"));
        await Assert.ThrowsAsync<Rpc.RpcException>(() => rpc.BlockAsync("latest"));

        var leaves = CheckpointLeaf.Leaves([new CheckpointLeaf(7, 3, new byte[32])]);
        string hex = Convert.ToHexStringLower(leaves[0]);
        var bundle = new ProofBundle(2, hex, 0, 1, [], Convert.ToHexStringLower(MerkleTree.Root(leaves)), "0x00", 1, "0x00", "00", "{}");
        var checks = await ProofVerifier.VerifyAsync(bundle, rpc);
        Assert.Contains(checks, c => !c.Passed && c.Statement.Contains("could not be asked", StringComparison.Ordinal));
    }
}
