using System.Collections.Generic;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// A signed P2WPKH spend from <see cref="UtxoSpend"/>: the raw transaction (BIP-144 serialization), its id in display
/// order, the inputs it spends, the payment, the change account (null if no change output), its fee and size, and
/// whether it signals BIP-125 replaceability. Kept by the wallet so it can be bumped or re-broadcast.
/// </summary>
public sealed record SignedUtxoTransaction(
    UtxoNetwork Network,
    byte[] Raw,
    byte[] TransactionId,
    IReadOnlyList<SpendableOutput> Inputs,
    UtxoAddress Recipient,
    ulong Amount,
    SegwitAccount? Change,
    ulong ChangeValue,
    ulong Fee,
    int VirtualSize,
    bool Replaceable)
{
    /// <summary>The transaction id as explorers and RPC show it (hex, display order).</summary>
    public string TransactionIdHex => System.Convert.ToHexStringLower(TransactionId);
}
