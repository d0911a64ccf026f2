using System;

namespace MeshMessenger.Crypto;

/// <summary>
/// PBKDF2 (RFC 8018 §5.2) with HMAC-SHA-512 as the pseudorandom function. Written here because the device has no
/// System.Security.Cryptography; BIP-39 derives its 64-byte wallet seed with it (2,048 iterations).
/// </summary>
public static class Pbkdf2HmacSha512
{
    /// <summary>
    /// Derives <paramref name="outputCount"/> bytes into <paramref name="output"/> from a password and a salt with
    /// <paramref name="iterations"/> iterations (RFC 8018 §5.2: DK = T_1 || T_2 || ..., T_i = U_1 xor ... xor U_c,
    /// U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_{j-1})).
    /// </summary>
    public static void DeriveKey(
        byte[] password, int passwordOffset, int passwordCount,
        byte[] salt, int saltOffset, int saltCount,
        int iterations,
        byte[] output, int outputOffset, int outputCount)
    {
        CryptoBytes.CheckRange(password, passwordOffset, passwordCount, nameof(password));
        CryptoBytes.CheckRange(salt, saltOffset, saltCount, nameof(salt));
        CryptoBytes.CheckRange(output, outputOffset, outputCount, nameof(output));
        if (iterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), "RFC 8018 §5.2: the iteration count is a positive integer");
        }

        var prf = new HmacSha512(password, passwordOffset, passwordCount);
        var blockIndex = new byte[4];
        var u = new byte[HmacSha512.MacSize];
        var t = new byte[HmacSha512.MacSize];

        // RFC 8018 §5.2 step 1 ("derived key too long") cannot happen: outputCount is an int, far below (2^32 - 1) * hLen.
        uint block = 1;
        for (int done = 0; done < outputCount; done += HmacSha512.MacSize, block++)
        {
            // RFC 8018 §5.2 step 3: INT(i) is the block index as four big-endian bytes.
            CryptoBytes.StoreUInt32BigEndian(block, blockIndex, 0);
            prf.Update(salt, saltOffset, saltCount);
            prf.Update(blockIndex, 0, 4);
            prf.Finish(u, 0);
            Array.Copy(u, t, HmacSha512.MacSize);
            for (int j = 1; j < iterations; j++)
            {
                prf.Update(u, 0, HmacSha512.MacSize);
                prf.Finish(u, 0);
                for (int k = 0; k < HmacSha512.MacSize; k++)
                {
                    t[k] ^= u[k];
                }
            }

            // RFC 8018 §5.2 step 4: the last block is truncated to what is left.
            int take = outputCount - done < HmacSha512.MacSize ? outputCount - done : HmacSha512.MacSize;
            Array.Copy(t, 0, output, outputOffset + done, take);
        }

        CryptoBytes.Wipe(u, 0, u.Length);
        CryptoBytes.Wipe(t, 0, t.Length);
    }
}
