using System;
using MeshMessenger.Anchoring.Ethereum;

namespace MeshMessenger.Wallet.Evm;

/// <summary>
/// A signed EIP-1559 transfer: the fields it was built from (kept for a same-nonce replacement), the raw bytes for
/// eth_sendRawTransaction (kept to re-broadcast after a reorg or a dropped mempool entry) and its 32-byte hash.
/// </summary>
public sealed record EvmSignedTransfer(Eip1559Transaction Transaction, byte[] Raw, byte[] Hash)
{
    /// <summary>The hash as 0x-hex.</summary>
    public string HashHex => "0x" + Convert.ToHexStringLower(Hash);
}
