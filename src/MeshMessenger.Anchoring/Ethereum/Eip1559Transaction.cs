using System.Numerics;
using Nethereum.Model;
using Nethereum.Signer;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>
/// A type-2 transaction (EIP-1559 inside the EIP-2718 envelope; Nethereum's <see cref="Transaction1559"/> and
/// <see cref="Transaction1559Signer"/>): signed over keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas,
/// maxFeePerGas, gas, to, value, data, accessList])), sent as 0x02 ‖ rlp([..., yParity, r, s]). The access list
/// is always empty here (0xc0).
/// </summary>
public sealed record Eip1559Transaction(BigInteger ChainId, BigInteger Nonce, BigInteger MaxPriorityFeePerGas, BigInteger MaxFeePerGas, BigInteger Gas, EthereumAddress? To, BigInteger Value, byte[] Data)
{
    /// <summary>EIP-2718 type byte.</summary>
    public const byte Type = 0x02;

    /// <summary>The bytes that are hashed and signed (0x02 ‖ rlp of the nine fields).</summary>
    public byte[] SigningPayload() => ToNethereum().GetRLPEncodedRaw();

    /// <summary>Signs with a 32-byte private key.</summary>
    public SignedTransaction Sign(byte[] privateKey)
    {
        Transaction1559 transaction = ToNethereum();
        new Transaction1559Signer().SignTransaction(Secp256k1.KeyOf(privateKey), transaction);
        byte[] raw = transaction.GetRLPEncoded();
        return new SignedTransaction(raw, Keccak256.Hash(raw));
    }

    private Transaction1559 ToNethereum()
    {
        Quantity.RequireNonNegative(ChainId, Nonce, MaxPriorityFeePerGas, MaxFeePerGas, Gas, Value);
        return new(ChainId, Nonce, MaxPriorityFeePerGas, MaxFeePerGas, Gas, To?.ToString(), Value, "0x" + Convert.ToHexStringLower(Data), []);
    }
}
