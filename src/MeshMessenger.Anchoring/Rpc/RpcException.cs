namespace MeshMessenger.Anchoring.Rpc;

/// <summary>A JSON-RPC call failed: the node's error (code and message), a malformed answer, or no answer.</summary>
public sealed class RpcException(string method, string message, int? code = null) : Exception($"{method}: {message}")
{
    /// <summary>The JSON-RPC error code, if the node sent one.</summary>
    public int? Code { get; } = code;

    /// <summary>The node's message.</summary>
    public string NodeMessage { get; } = message;
}
