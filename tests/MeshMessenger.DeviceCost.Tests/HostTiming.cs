extern alias shipped;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ShippedEd25519 = shipped::MeshMessenger.Crypto.Ed25519;
using ShippedX25519 = shipped::MeshMessenger.Crypto.X25519;

namespace MeshMessenger.DeviceCost;

/// <summary>Times the shipped (uncounted) primitives on this machine: <c>rounds</c> rounds of <c>n</c> calls each.</summary>
public static class HostTiming
{
    /// <summary>Microseconds per call of each operation: median, min and max over the rounds.</summary>
    public static Dictionary<string, Spread> Measure(int n, int rounds)
    {
        byte[] seed = Enumerable.Repeat((byte)7, 32).ToArray();
        byte[] publicKey = new byte[32];
        ShippedEd25519.GeneratePublicKey(seed, 0, publicKey, 0);
        byte[] message = Enumerable.Repeat((byte)9, 32).ToArray();
        byte[] signature = new byte[64];
        ShippedEd25519.Sign(seed, 0, publicKey, 0, message, 0, 32, signature, 0);
        byte[] peer = new byte[32];
        ShippedX25519.ScalarMultBase(Enumerable.Repeat((byte)3, 32).ToArray(), 0, peer, 0);
        byte[] output = new byte[32];
        var result = new Dictionary<string, Spread>
        {
            ["ed25519_sign"] = Time(n, rounds, () => ShippedEd25519.Sign(seed, 0, publicKey, 0, message, 0, 32, signature, 0)),
            ["ed25519_verify"] = Time(n, rounds, () => ShippedEd25519.Verify(publicKey, 0, message, 0, 32, signature, 0)),
            ["x25519_shared"] = Time(n, rounds, () => ShippedX25519.ScalarMult(seed, 0, peer, 0, output, 0)),
            ["x25519_base"] = Time(n, rounds, () => ShippedX25519.ScalarMultBase(seed, 0, output, 0)),
        };
        bool before = ShippedEd25519.CompactBaseTable;
        ShippedEd25519.CompactBaseTable = true;
        result["ed25519_sign_compact"] = Time(n, rounds, () => ShippedEd25519.Sign(seed, 0, publicKey, 0, message, 0, 32, signature, 0));
        ShippedEd25519.CompactBaseTable = before;
        return result;
    }

    private static Spread Time(int n, int rounds, Action action)
    {
        for (int i = 0; i < Math.Max(10, n / 10); i++)
        {
            action(); // warm-up: tiered JIT, first-use tables
        }

        var perCall = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                action();
            }

            perCall[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
        }

        Array.Sort(perCall);
        return new Spread(n, rounds, perCall[rounds / 2], perCall[0], perCall[rounds - 1]);
    }
}
