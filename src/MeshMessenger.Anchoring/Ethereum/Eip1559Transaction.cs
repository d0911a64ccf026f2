using System.Numerics;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>
/// A type-2 transaction (EIP-1559 inside the EIP-2718 envelope): signed over keccak256(0x02 ‖ rlp([chainId,
/// nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to, value, data, accessList])), sent as 0x02 ‖ rlp([...,
/// yParity, r, s]). The access list is always empty here (0xc0).
/// </summary>
public sealed record Eip1559Transaction(BigInteger ChainId, BigInteger Nonce, BigInteger MaxPriorityFeePerGas, BigInteger MaxFeePerGas, BigInteger Gas, EthereumAddress? To, BigInteger Value, byte[] Data)
{
    /// <summary>EIP-2718 type byte.</summary>
    public const byte Type = 0x02;

    /// <summary>The bytes that are hashed and signed.</summary>
    public byte[] SigningPayload() => [Type, .. Rlp.List(Fields())];

    /// <summary>Signs with a 32-byte private key.</summary>
    public SignedTransaction Sign(byte[] privateKey)
    {
        EcdsaSignature signature = Secp256k1.Sign(privateKey, Keccak256.Hash(SigningPayload()));
        byte[] raw = [Type, .. Rlp.List([.. Fields(), Rlp.Integer(signature.RecoveryId), Rlp.Integer(LegacyTransaction.Unsigned(signature.R)), Rlp.Integer(LegacyTransaction.Unsigned(signature.S))])];
        return new SignedTransaction(raw, Keccak256.Hash(raw));
    }

    private byte[][] Fields() =>
    [
        Rlp.Integer(ChainId), Rlp.Integer(Nonce), Rlp.Integer(MaxPriorityFeePerGas), Rlp.Integer(MaxFeePerGas), Rlp.Integer(Gas),
        Rlp.Bytes(To is null ? [] : To.Bytes), Rlp.Integer(Value), Rlp.Bytes(Data), Rlp.List(),
    ];
}
