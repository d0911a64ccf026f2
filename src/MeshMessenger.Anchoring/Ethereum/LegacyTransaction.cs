using System.Numerics;
using Nethereum.Model;
using Nethereum.Signer;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>
/// A pre-EIP-2718 transaction signed with EIP-155 replay protection (Nethereum's <see cref="LegacyTransactionChainId"/>
/// and <see cref="LegacyTransactionSigner"/>):
/// the signing hash is keccak256 of rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0]) and
/// v = recovery id + 35 + 2·chainId.
/// </summary>
public sealed record LegacyTransaction(BigInteger Nonce, BigInteger GasPrice, BigInteger Gas, EthereumAddress? To, BigInteger Value, byte[] Data, BigInteger ChainId)
{
    /// <summary>The RLP that is hashed and signed.</summary>
    public byte[] SigningPayload() => ToNethereum().GetRLPEncodedRaw();

    /// <summary>Signs with a 32-byte private key.</summary>
    public SignedTransaction Sign(byte[] privateKey)
    {
        Quantity.RequireNonNegative(Nonce, GasPrice, Gas, Value, ChainId);
        string hex = new LegacyTransactionSigner().SignTransaction(Secp256k1.KeyOf(privateKey).GetPrivateKeyAsBytes(), ChainId, To?.ToString(), Value, Nonce, GasPrice, Gas, DataHex);
        byte[] raw = Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);
        return new SignedTransaction(raw, Keccak256.Hash(raw));
    }

    private LegacyTransactionChainId ToNethereum()
    {
        Quantity.RequireNonNegative(Nonce, GasPrice, Gas, Value, ChainId);
        return new(To?.ToString(), Value, Nonce, GasPrice, Gas, DataHex, ChainId);
    }

    private string DataHex => "0x" + Convert.ToHexStringLower(Data);
}
