namespace MeshMessenger.Gateway.Configuration;

/// <summary>One chain the gateway serves (docs/gateway.md, "Chain access"): its name and the JSON-RPC node that reaches it.</summary>
public sealed class ChainOptions
{
    /// <summary>The chain as text: <c>eip155:&lt;chain id&gt;</c> (CAIP-2) or bitcoin, bitcoin-testnet, bitcoin-signet, bitcoin-regtest, litecoin, litecoin-regtest.</summary>
    public string Chain { get; set; } = "";

    /// <summary>The node's JSON-RPC URL (Ethereum JSON-RPC for EVM, Bitcoin-Core-style for UTXO chains).</summary>
    public string RpcUrl { get; set; } = "";

    /// <summary>RPC user (Bitcoin-family nodes).</summary>
    public string? RpcUser { get; set; }

    /// <summary>RPC password (Bitcoin-family nodes).</summary>
    public string? RpcPassword { get; set; }
}
