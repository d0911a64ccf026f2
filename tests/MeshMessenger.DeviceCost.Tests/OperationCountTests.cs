using System;
using System.Linq;
using MeshMessenger.Crypto;
using Xunit;

namespace MeshMessenger.DeviceCost;

/// <summary>
/// The counts follow from the algorithms: an inversion is 254 squarings and 11 multiplications (FieldElement.Invert),
/// a Niels addition 7 multiplications, a doubling 4 squarings and 4 multiplications, a ladder step 5 multiplications,
/// 4 squarings and one small multiplication (RFC 7748 §5).
/// </summary>
public sealed class OperationCountTests
{
    private const int InvertMul = 11;
    private const int InvertSquare = 254;

    [Fact]
    public void Signing_with_the_full_table_is_64_additions_and_one_inversion_whatever_the_key_and_message()
    {
        CryptoCounts.WithCompactTable(false, () =>
        {
            OpCount a = CryptoCounts.Sign(1, 2);
            Assert.Equal(a, CryptoCounts.Sign(250, 3));
            Assert.Equal((64 * 7) + InvertMul + 2, a.Mul);
            Assert.Equal(InvertSquare, a.Square);
            Assert.Equal(64 * ((8 * 3) + 3), a.ConditionalMoves); // every entry of each row is scanned, then the sign: constant time
            Assert.Equal(3, a.Sha512Blocks);
            return 0;
        });
    }

    [Fact]
    public void Signing_with_the_compact_table_adds_252_doublings()
    {
        CryptoCounts.WithCompactTable(true, () =>
        {
            OpCount a = CryptoCounts.Sign(1, 2);
            Assert.Equal(a, CryptoCounts.Sign(250, 3));
            Assert.Equal((64 * 7) + (252 * 4) + InvertMul + 2, a.Mul);
            Assert.Equal((252 * 4) + InvertSquare, a.Square);
            return 0;
        });
    }

    [Fact]
    public void X25519_is_255_ladder_steps_and_one_inversion()
    {
        OpCount a = CryptoCounts.SharedSecret(4, 5);
        Assert.Equal(a, CryptoCounts.SharedSecret(90, 91));
        Assert.Equal((255 * 5) + InvertMul + 1, a.Mul);
        Assert.Equal((255 * 4) + InvertSquare, a.Square);
        Assert.Equal(255, a.MulSmall);
    }

    [Fact]
    public void Verification_varies_with_the_scalars_over_100_random_keys_and_messages()
    {
        OpCount[] counts = CryptoCounts.Verify(100, 7);
        long min = counts.Min(c => c.MulAndSquare);
        long max = counts.Max(c => c.MulAndSquare);
        Assert.True(min < max, "sliding windows: the count depends on the scalars");
        // Two decodings (two square roots, about 2 x 265), one inversion, at most 253 doublings (8 operations) and
        // roughly 2 x 256 / 6 window additions (7 or 8): about 3,600.
        Assert.InRange(min, 3300, 3800);
        Assert.InRange(max, 3300, 3900);
        Assert.All(counts, c => Assert.Equal(1, c.Sha512Blocks));
    }

    [Fact]
    public void Both_table_modes_give_the_same_keys_signatures_and_x25519_public_keys()
    {
        var random = new Random(5);
        for (int i = 0; i < 50; i++)
        {
            byte[] seed = new byte[32];
            random.NextBytes(seed);
            byte[] message = new byte[i];
            random.NextBytes(message);
            (byte[] Key, byte[] Signature, byte[] Agreement) full = CryptoCounts.WithCompactTable(false, () => Make(seed, message));
            (byte[] Key, byte[] Signature, byte[] Agreement) compact = CryptoCounts.WithCompactTable(true, () => Make(seed, message));
            Assert.Equal(full.Key, compact.Key);
            Assert.Equal(full.Signature, compact.Signature);
            Assert.Equal(full.Agreement, compact.Agreement);
            Assert.True(Ed25519.Verify(compact.Key, 0, message, 0, message.Length, compact.Signature, 0));
        }
    }

    [Fact]
    public void Compact_mode_holds_960_bytes_of_table_and_the_full_table_61440()
    {
        CryptoCounts.WithCompactTable(true, () =>
        {
            CryptoCounts.Sign(1, 2);
            Assert.Equal(8 * 120, Ed25519.FixedBaseTableBytes);
            return 0;
        });
        CryptoCounts.WithCompactTable(false, () =>
        {
            CryptoCounts.Sign(1, 2);
            Assert.Equal(64 * 8 * 120, Ed25519.FixedBaseTableBytes);
            return 0;
        });
    }

    [Fact]
    public void Field_operations_are_straight_line_so_their_static_IL_is_what_runs()
    {
        const string Fe = "MeshMessenger.Crypto.Curve25519.FieldElement";
        foreach (string method in new[] { "Mul", "Square", "MulSmall", "Add", "Sub", "CMov", "CSwap", "Carry" })
        {
            MethodIl il = IlCount.Of(Fe, method);
            Assert.True(il.Branches == 0, $"{method} branches");
            Assert.True(il.Instructions > 10, method);
        }

        Assert.Equal(1, IlCount.Of(Fe, "Mul").Calls); // Carry, counted with it
        Assert.Equal(1, IlCount.Of(Fe, "Square").Calls);
        Assert.True(IlCount.Of(Fe, "Mul").Instructions > IlCount.Of(Fe, "Square").Instructions);
    }

    [Fact]
    public void Static_tables_of_device_code_are_found_and_sized_from_the_arrays()
    {
        System.Collections.Generic.List<StaticTable> tables = StaticTables.All();
        Assert.Contains(tables, t => t.Field.EndsWith("EdwardsMath.BaseRow", StringComparison.Ordinal) && t.Bytes == 960);
        Assert.Contains(tables, t => t.Field.EndsWith("Sha512.K", StringComparison.Ordinal) && t.Bytes == 640);
        Assert.DoesNotContain(tables, t => t.Field.Contains("OperationCounters", StringComparison.Ordinal));
    }

    private static (byte[] Key, byte[] Signature, byte[] Agreement) Make(byte[] seed, byte[] message)
    {
        byte[] key = new byte[32];
        Ed25519.GeneratePublicKey(seed, 0, key, 0);
        byte[] signature = new byte[64];
        Ed25519.Sign(seed, 0, key, 0, message, 0, message.Length, signature, 0);
        byte[] agreement = new byte[32];
        X25519.ScalarMultBase(seed, 0, agreement, 0);
        return (key, signature, agreement);
    }
}
