using Org.BouncyCastle.Math;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>A secp256k1 ECDSA signature with its recovery id (0 or 1: the parity of R's y; 2 and 3 are refused as negligibly rare).</summary>
public sealed record EcdsaSignature(BigInteger R, BigInteger S, int RecoveryId);
