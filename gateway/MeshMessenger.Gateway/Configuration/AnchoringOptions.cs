namespace MeshMessenger.Gateway.Configuration;

/// <summary>Anchoring chain checkpoints on Ethereum (docs/anchoring.md).</summary>
public sealed class AnchoringOptions
{
    /// <summary>Anchor at all.</summary>
    public bool Enabled { get; set; }

    /// <summary>JSON-RPC endpoint of an Ethereum node.</summary>
    public string Rpc { get; set; } = "http://127.0.0.1:8545";

    /// <summary>Chain id the node must report before anything is signed.</summary>
    public long ChainId { get; set; } = 31337;

    /// <summary>File holding the anchoring account's private key as 64 hex digits, readable by its owner only (0600 or 0400). Empty: the MM_ANCHOR_KEY environment variable.</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>A batch closes after this many minutes ...</summary>
    public double BatchMinutes { get; set; } = 10;

    /// <summary>... or at this many checkpoints, whichever comes first.</summary>
    public int BatchLeaves { get; set; } = 4096;

    /// <summary>A sent anchor is replaced with higher fees after this many minutes without a receipt.</summary>
    public double StuckMinutes { get; set; } = 3;

    /// <summary>How often the anchorer looks at new heads and at the chain.</summary>
    public double PollSeconds { get; set; } = 5;
}
