using MeshMessenger.Wallet.Chains;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>An unspent output paying one of the wallet's P2WPKH addresses, with the account whose key spends it.</summary>
public sealed record SpendableOutput(UnspentOutput Output, SegwitAccount Owner);
