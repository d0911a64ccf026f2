namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>A signed transaction: the raw bytes for eth_sendRawTransaction and its hash (keccak256 of the raw bytes).</summary>
public sealed record SignedTransaction(byte[] Raw, byte[] Hash)
{
    /// <summary>The hash as 0x-hex.</summary>
    public string HashHex => "0x" + Convert.ToHexStringLower(Hash);
}
