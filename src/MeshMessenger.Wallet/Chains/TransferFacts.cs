using System.Numerics;

namespace MeshMessenger.Wallet.Chains;

/// <summary>
/// What a transaction paid, read from the chain: the recipient's address bytes (<c>ChainAddress</c>
/// form), the ERC-20 contract (null for the native coin), the amount in base units, and its <see cref="TransactionState"/>.
/// </summary>
public sealed record TransferFacts(byte[] Recipient, byte[]? Token, BigInteger Amount, TransactionState State);
