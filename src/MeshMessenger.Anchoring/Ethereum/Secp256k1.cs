using Nethereum.Signer;
using Org.BouncyCastle.Math;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>
/// secp256k1 (SEC 2 §2.4.1) through Nethereum's <see cref="EthECKey"/>: deterministic signing (RFC 6979), low s
/// (EIP-2: s ≤ n/2), the recovery id Ethereum needs, verification and public-key recovery (SEC 1 §4.1.6). This
/// class only checks ranges and converts types; the one strict DER decoder for signatures from outside is here.
/// </summary>
public static class Secp256k1
{
    /// <summary>n, the order of the base point (SEC 2 §2.4.1).</summary>
    public static readonly BigInteger N = new("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    /// <summary>n/2: the largest s Ethereum accepts.</summary>
    public static readonly BigInteger HalfN = N.ShiftRight(1);

    /// <summary>The 65-byte uncompressed public key (0x04‖X‖Y) of a 32-byte private key.</summary>
    public static byte[] PublicKeyOf(byte[] privateKey) => KeyOf(privateKey).GetPubKey();

    /// <summary>Signs a 32-byte hash: RFC 6979 nonce, s made low, recovery id from R's y parity.</summary>
    public static EcdsaSignature Sign(byte[] privateKey, byte[] hash)
    {
        EthECDSASignature signature = KeyOf(privateKey).SignAndCalculateV(hash);
        return new EcdsaSignature(new BigInteger(1, signature.R), new BigInteger(1, signature.S), signature.V[0] - 27);
    }

    /// <summary>Verifies (r, s) over a hash for an uncompressed or compressed public key; with <paramref name="requireLowS"/>, s above n/2 is refused.</summary>
    public static bool Verify(byte[] publicKey, byte[] hash, BigInteger r, BigInteger s, bool requireLowS)
    {
        if (!InRange(r) || !InRange(s) || (requireLowS && s.CompareTo(HalfN) > 0))
        {
            return false;
        }

        try
        {
            return new EthECKey(publicKey, false).Verify(hash, EthECDSASignatureFactory.FromComponents(Fixed(r), Fixed(s)));
        }
        catch (ArgumentException)
        {
            return false; // not a point on the curve
        }
    }

    /// <summary>Recovers the uncompressed public key from a hash and a signature with recovery id 0 or 1, or null.</summary>
    public static byte[]? Recover(byte[] hash, EcdsaSignature signature)
    {
        if (signature.RecoveryId is < 0 or > 1 || !InRange(signature.R) || !InRange(signature.S))
        {
            return null;
        }

        try
        {
            var components = EthECDSASignatureFactory.FromComponents(Fixed(signature.R), Fixed(signature.S), (byte)(27 + signature.RecoveryId));
            return EthECKey.RecoverFromSignature(components, hash).GetPubKey();
        }
        catch (ArgumentException)
        {
            return null; // r is not the x of a point
        }
    }

    /// <summary>
    /// Decodes a DER ECDSA signature (SEQUENCE of two INTEGERs, X.690 §8.3 and §10.1) strictly: minimal
    /// lengths, no trailing bytes, positive minimal integers. Anything else is refused, never guessed at.
    /// </summary>
    public static bool TryDecodeDer(ReadOnlySpan<byte> der, out BigInteger r, out BigInteger s)
    {
        r = s = BigInteger.Zero;
        int position = 0;
        if (!ReadHeader(der, ref position, 0x30, out int sequenceLength) || position + sequenceLength != der.Length)
        {
            return false;
        }

        return ReadInteger(der, ref position, out r) && ReadInteger(der, ref position, out s) && position == der.Length;
    }

    /// <summary>Nethereum's key for a 32-byte private key, 1 ≤ d &lt; n (SEC 1 §3.2.1), refused otherwise.</summary>
    internal static EthECKey KeyOf(byte[] privateKey)
    {
        var d = new BigInteger(1, privateKey);
        if (privateKey.Length != 32 || !InRange(d))
        {
            throw new ArgumentException("a secp256k1 private key is 32 bytes, 1 ≤ d < n", nameof(privateKey));
        }

        return new EthECKey(privateKey, true);
    }

    private static bool InRange(BigInteger value) => value.SignValue > 0 && value.CompareTo(N) < 0;

    private static byte[] Fixed(BigInteger value) => value.ToByteArrayUnsigned().PadLeft(32);

    private static bool ReadHeader(ReadOnlySpan<byte> der, ref int position, byte tag, out int length)
    {
        length = 0;
        if (position + 2 > der.Length || der[position] != tag)
        {
            return false;
        }

        int first = der[position + 1];
        position += 2;
        if (first < 0x80)
        {
            length = first;
        }
        else if (first == 0x81)
        {
            // Long form only where the short form cannot say it (DER's minimal length rule).
            if (position >= der.Length || der[position] < 0x80)
            {
                return false;
            }

            length = der[position++];
        }
        else
        {
            return false; // longer than any secp256k1 signature, or indefinite (0x80)
        }

        return position + length <= der.Length;
    }

    private static bool ReadInteger(ReadOnlySpan<byte> der, ref int position, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (!ReadHeader(der, ref position, 0x02, out int length) || length == 0)
        {
            return false;
        }

        ReadOnlySpan<byte> bytes = der.Slice(position, length);
        position += length;
        bool negative = (bytes[0] & 0x80) != 0;
        bool padded = bytes.Length > 1 && bytes[0] == 0 && (bytes[1] & 0x80) == 0;
        if (negative || padded)
        {
            return false;
        }

        value = new BigInteger(1, bytes.ToArray());
        return true;
    }
}
