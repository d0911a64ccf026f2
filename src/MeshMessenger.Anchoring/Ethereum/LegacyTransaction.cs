using System.Numerics;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>
/// A pre-EIP-2718 transaction signed with EIP-155 replay protection: the signing hash is keccak256 of
/// rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0]) and v = recovery id + 35 + 2·chainId.
/// </summary>
public sealed record LegacyTransaction(BigInteger Nonce, BigInteger GasPrice, BigInteger Gas, EthereumAddress? To, BigInteger Value, byte[] Data, BigInteger ChainId)
{
    /// <summary>The RLP that is hashed and signed.</summary>
    public byte[] SigningPayload() => Rlp.List([.. Fields(), Rlp.Integer(ChainId), Rlp.Integer(0), Rlp.Integer(0)]);

    /// <summary>Signs with a 32-byte private key.</summary>
    public SignedTransaction Sign(byte[] privateKey)
    {
        EcdsaSignature signature = Secp256k1.Sign(privateKey, Keccak256.Hash(SigningPayload()));
        BigInteger v = signature.RecoveryId + 35 + (2 * ChainId);
        byte[] raw = Rlp.List([.. Fields(), Rlp.Integer(v), Rlp.Integer(Unsigned(signature.R)), Rlp.Integer(Unsigned(signature.S))]);
        return new SignedTransaction(raw, Keccak256.Hash(raw));
    }

    internal static BigInteger Unsigned(Org.BouncyCastle.Math.BigInteger value) => new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    private byte[][] Fields() =>
    [
        Rlp.Integer(Nonce), Rlp.Integer(GasPrice), Rlp.Integer(Gas),
        Rlp.Bytes(To is null ? [] : To.Bytes), Rlp.Integer(Value), Rlp.Bytes(Data),
    ];
}
