using System.Numerics;

namespace MeshMessenger.Wallet.Chains;

/// <summary>
/// A fee quote. EVM: the next block's base fee and a priority fee, in wei (EIP-1559). UTXO: satoshis per virtual
/// byte (BIP-141 weight / 4); the EVM fields are zero.
/// </summary>
public sealed record ChainFees(BigInteger BaseFeePerGas, BigInteger PriorityFeePerGas, uint SatoshisPerVirtualByte);
