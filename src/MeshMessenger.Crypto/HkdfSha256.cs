using System;

namespace MeshMessenger.Crypto;

/// <summary>HKDF with HMAC-SHA-256 (RFC 5869).</summary>
public static class HkdfSha256
{
    /// <summary>RFC 5869 §2.3: L &lt;= 255 * HashLen.</summary>
    public const int MaxOutputLength = 255 * Sha256.HashSize;

    private static readonly byte[] ZeroSalt = new byte[Sha256.HashSize];

    /// <summary>RFC 5869 §2.2: PRK = HMAC(salt, IKM); a missing or empty salt is HashLen zeros.</summary>
    public static void Extract(byte[]? salt, int saltOffset, int saltCount, byte[] ikm, int ikmOffset, int ikmCount, byte[] prk, int prkOffset)
    {
        if (salt != null)
        {
            CryptoBytes.CheckRange(salt, saltOffset, saltCount, nameof(salt));
        }

        if (salt == null || saltCount == 0)
        {
            salt = ZeroSalt;
            saltOffset = 0;
            saltCount = ZeroSalt.Length;
        }

        HmacSha256.Compute(salt, saltOffset, saltCount, ikm, ikmOffset, ikmCount, prk, prkOffset);
    }

    /// <summary>RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i), output = first L bytes of T(1) | T(2) | ...</summary>
    public static void Expand(byte[] prk, int prkOffset, int prkCount, byte[]? info, int infoOffset, int infoCount, byte[] output, int outputOffset, int outputCount)
    {
        if (outputCount < 0 || outputCount > MaxOutputLength)
        {
            throw new ArgumentOutOfRangeException(nameof(outputCount), "HKDF-SHA-256 output is limited to 255 * 32 bytes (RFC 5869 §2.3)");
        }

        CryptoBytes.CheckRange(output, outputOffset, outputCount, nameof(output));
        if (info == null)
        {
            info = ZeroSalt;
            infoOffset = 0;
            infoCount = 0;
        }

        CryptoBytes.CheckRange(info, infoOffset, infoCount, nameof(info));
        var mac = new HmacSha256(prk, prkOffset, prkCount);
        var t = new byte[Sha256.HashSize];
        var counter = new byte[1];
        int done = 0;
        for (int i = 1; done < outputCount; i++)
        {
            if (i > 1)
            {
                mac.Update(t, 0, t.Length);
            }

            mac.Update(info, infoOffset, infoCount);
            counter[0] = (byte)i;
            mac.Update(counter, 0, 1);
            mac.Finish(t, 0);
            int take = outputCount - done < t.Length ? outputCount - done : t.Length;
            Array.Copy(t, 0, output, outputOffset + done, take);
            done += take;
        }

        CryptoBytes.Wipe(t, 0, t.Length);
    }

    public static void DeriveKey(byte[]? salt, int saltOffset, int saltCount, byte[] ikm, int ikmOffset, int ikmCount, byte[]? info, int infoOffset, int infoCount, byte[] output, int outputOffset, int outputCount)
    {
        var prk = new byte[Sha256.HashSize];
        Extract(salt, saltOffset, saltCount, ikm, ikmOffset, ikmCount, prk, 0);
        Expand(prk, 0, prk.Length, info, infoOffset, infoCount, output, outputOffset, outputCount);
        CryptoBytes.Wipe(prk, 0, prk.Length);
    }
}
