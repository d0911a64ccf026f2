using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>
/// secp256k1 (SEC 2 §2.4.1) through BouncyCastle's custom curve: deterministic signing (RFC 6979 with
/// HMAC-SHA-256), low s (EIP-2: s ≤ n/2), the recovery id Ethereum needs, verification, public-key recovery
/// (SEC 1 §4.1.6), and a strict DER decoder for signatures from outside.
/// </summary>
public static class Secp256k1
{
    /// <summary>The curve parameters.</summary>
    public static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");

    /// <summary>Domain parameters for BouncyCastle's signers.</summary>
    public static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);

    /// <summary>n/2: the largest s Ethereum accepts.</summary>
    public static readonly BigInteger HalfN = Curve.N.ShiftRight(1);

    /// <summary>The 65-byte uncompressed public key (0x04‖X‖Y) of a 32-byte private key.</summary>
    public static byte[] PublicKeyOf(byte[] privateKey) => Curve.G.Multiply(PrivateScalar(privateKey)).Normalize().GetEncoded(false);

    /// <summary>Signs a 32-byte hash: RFC 6979 nonce (HMAC-SHA-256), s made low, recovery id from R's y parity.</summary>
    public static EcdsaSignature Sign(byte[] privateKey, byte[] hash)
    {
        BigInteger d = PrivateScalar(privateKey);
        BigInteger n = Curve.N;
        BigInteger e = new(1, hash);
        var kCalculator = new HMacDsaKCalculator(new Sha256Digest());
        kCalculator.Init(n, d, hash);
        while (true)
        {
            BigInteger k = kCalculator.NextK();
            ECPoint point = Curve.G.Multiply(k).Normalize();
            BigInteger x = point.AffineXCoord.ToBigInteger();
            BigInteger r = x.Mod(n);
            if (r.SignValue == 0 || x.CompareTo(n) >= 0)
            {
                continue; // r = 0, or R.x ≥ n (recovery id 2 or 3, probability about 2^-128): take the next k
            }

            BigInteger s = k.ModInverse(n).Multiply(e.Add(r.Multiply(d))).Mod(n);
            if (s.SignValue == 0)
            {
                continue;
            }

            int recovery = point.AffineYCoord.ToBigInteger().TestBit(0) ? 1 : 0;
            if (s.CompareTo(HalfN) > 0)
            {
                s = n.Subtract(s); // (r, n − s) signs the same hash with −R, whose y has the other parity
                recovery ^= 1;
            }

            return new EcdsaSignature(r, s, recovery);
        }
    }

    /// <summary>Verifies (r, s) over a hash for an uncompressed or compressed public key; with <paramref name="requireLowS"/>, s above n/2 is refused.</summary>
    public static bool Verify(byte[] publicKey, byte[] hash, BigInteger r, BigInteger s, bool requireLowS)
    {
        if (r.SignValue <= 0 || s.SignValue <= 0 || r.CompareTo(Curve.N) >= 0 || s.CompareTo(Curve.N) >= 0 || (requireLowS && s.CompareTo(HalfN) > 0))
        {
            return false;
        }

        ECPoint q;
        try
        {
            q = Curve.Curve.DecodePoint(publicKey);
        }
        catch (ArgumentException)
        {
            return false;
        }

        var signer = new ECDsaSigner();
        signer.Init(false, new ECPublicKeyParameters(q, Domain));
        return signer.VerifySignature(hash, r, s);
    }

    /// <summary>Recovers the uncompressed public key from a hash and a signature with recovery id 0 or 1, or null.</summary>
    public static byte[]? Recover(byte[] hash, EcdsaSignature signature)
    {
        BigInteger n = Curve.N;
        if (signature.RecoveryId is < 0 or > 1 || signature.R.SignValue <= 0 || signature.R.CompareTo(n) >= 0 || signature.S.SignValue <= 0 || signature.S.CompareTo(n) >= 0)
        {
            return null;
        }

        // R = (r, y) with y's parity from the recovery id; Q = r⁻¹ (sR − eG).
        byte[] compressed = [(byte)(0x02 + signature.RecoveryId), .. signature.R.ToByteArrayUnsigned().PadLeft(32)];
        ECPoint rPoint;
        try
        {
            rPoint = Curve.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null;
        }

        BigInteger rInverse = signature.R.ModInverse(n);
        BigInteger e = new(1, hash);
        ECPoint q = ECAlgorithms.SumOfTwoMultiplies(Curve.G, n.Subtract(e).Multiply(rInverse).Mod(n), rPoint, signature.S.Multiply(rInverse).Mod(n)).Normalize();
        return q.IsInfinity ? null : q.GetEncoded(false);
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

    private static BigInteger PrivateScalar(byte[] privateKey)
    {
        var d = new BigInteger(1, privateKey);
        if (privateKey.Length != 32 || d.SignValue <= 0 || d.CompareTo(Curve.N) >= 0)
        {
            throw new ArgumentException("a secp256k1 private key is 32 bytes, 1 ≤ d < n", nameof(privateKey));
        }

        return d;
    }

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
