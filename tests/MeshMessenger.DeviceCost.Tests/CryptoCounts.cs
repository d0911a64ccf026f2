using System;
using System.Linq;
using MeshMessenger.Crypto;

namespace MeshMessenger.DeviceCost;

/// <summary>Operation counts of the primitives, measured with the counting build.</summary>
public static class CryptoCounts
{
    /// <summary>Ed25519 signing of a 32-byte message (the protocol signs an entry hash), in the current table mode.</summary>
    public static OpCount Sign(byte seedFill, byte messageFill)
    {
        byte[] seed = Filled(32, seedFill);
        byte[] publicKey = new byte[32];
        Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
        byte[] message = Filled(32, messageFill);
        byte[] signature = new byte[64];
        return OpCount.Of(() => Ed25519.Sign(seed, 0, publicKey, 0, message, 0, message.Length, signature, 0));
    }

    /// <summary>Ed25519 public key from a seed, in the current table mode.</summary>
    public static OpCount PublicKey(byte seedFill)
    {
        byte[] seed = Filled(32, seedFill);
        byte[] publicKey = new byte[32];
        return OpCount.Of(() => Ed25519.GeneratePublicKey(seed, 0, publicKey, 0));
    }

    /// <summary>Verification counts over <paramref name="n"/> random keys and 32-byte messages (seeded); all must verify.</summary>
    public static OpCount[] Verify(int n, int seed)
    {
        var random = new Random(seed);
        var counts = new OpCount[n];
        for (int i = 0; i < n; i++)
        {
            byte[] keySeed = new byte[32];
            byte[] message = new byte[32];
            random.NextBytes(keySeed);
            random.NextBytes(message);
            byte[] publicKey = new byte[32];
            Ed25519.GeneratePublicKey(keySeed, 0, publicKey, 0);
            byte[] signature = new byte[64];
            Ed25519.Sign(keySeed, 0, publicKey, 0, message, 0, message.Length, signature, 0);
            bool ok = false;
            counts[i] = OpCount.Of(() => ok = Ed25519.Verify(publicKey, 0, message, 0, message.Length, signature, 0));
            if (!ok)
            {
                throw new InvalidOperationException("a valid signature did not verify");
            }
        }

        return counts;
    }

    /// <summary>X25519 shared secret (the RFC 7748 ladder) with a peer's public key.</summary>
    public static OpCount SharedSecret(byte scalarFill, byte peerFill)
    {
        byte[] peer = new byte[32];
        X25519.ScalarMultBase(Filled(32, peerFill), 0, peer, 0);
        byte[] output = new byte[32];
        byte[] scalar = Filled(32, scalarFill);
        return OpCount.Of(() => X25519.ScalarMult(scalar, 0, peer, 0, output, 0));
    }

    /// <summary>X25519 public key (fixed base, through the Edwards table), in the current table mode.</summary>
    public static OpCount BasePoint(byte scalarFill)
    {
        byte[] output = new byte[32];
        byte[] scalar = Filled(32, scalarFill);
        return OpCount.Of(() => X25519.ScalarMultBase(scalar, 0, output, 0));
    }

    /// <summary>Runs <paramref name="action"/> with the fixed-base table mode set, then restores the previous mode.</summary>
    public static T WithCompactTable<T>(bool compact, Func<T> action)
    {
        bool before = Ed25519.CompactBaseTable;
        Ed25519.CompactBaseTable = compact;
        try
        {
            return action();
        }
        finally
        {
            Ed25519.CompactBaseTable = before;
        }
    }

    private static byte[] Filled(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();
}
