using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace MeshMessenger.Crypto.Tests;

public sealed class X25519Tests
{
    [Fact]
    public void Rfc7748_vectors()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc7748-x25519.txt");
        Assert.Equal(5, file.Cases.Count);
        foreach (RfcVector v in file.Cases)
        {
            byte[] output = new byte[32];
            switch (v.Text("kind"))
            {
                case "vector":
                    Assert.True(X25519.ScalarMult(v.Bytes("scalar"), 0, v.Bytes("u"), 0, output, 0));
                    Assert.Equal(Hex.Encode(v.Bytes("output")), Hex.Encode(output));
                    break;
                case "iterated":
                    // RFC 7748 §5.2: k = u = 9; repeatedly k, u = X25519(k, u), k.
                    byte[] k = new byte[32];
                    byte[] u = new byte[32];
                    k[0] = 9;
                    u[0] = 9;
                    for (int i = 0; i < v.Int("iterations"); i++)
                    {
                        X25519.ScalarMult(k, 0, u, 0, output, 0);
                        u = k;
                        k = (byte[])output.Clone();
                    }

                    Assert.Equal(Hex.Encode(v.Bytes("output")), Hex.Encode(k));
                    break;
                case "dh":
                    byte[] alicePublic = new byte[32];
                    byte[] bobPublic = new byte[32];
                    X25519.ScalarMultBase(v.Bytes("alice_private"), 0, alicePublic, 0);
                    X25519.ScalarMultBase(v.Bytes("bob_private"), 0, bobPublic, 0);
                    Assert.Equal(Hex.Encode(v.Bytes("alice_public")), Hex.Encode(alicePublic));
                    Assert.Equal(Hex.Encode(v.Bytes("bob_public")), Hex.Encode(bobPublic));
                    byte[] shared1 = new byte[32];
                    byte[] shared2 = new byte[32];
                    Assert.True(X25519.ScalarMult(v.Bytes("alice_private"), 0, bobPublic, 0, shared1, 0));
                    Assert.True(X25519.ScalarMult(v.Bytes("bob_private"), 0, alicePublic, 0, shared2, 0));
                    Assert.Equal(Hex.Encode(v.Bytes("shared")), Hex.Encode(shared1));
                    Assert.Equal(shared1, shared2);
                    break;
                default:
                    Assert.Fail($"unknown kind in {v}");
                    break;
            }
        }
    }

    [Fact]
    public void Wycheproof_x25519()
    {
        WycheproofFile file = WycheproofFile.Load("x25519_test.json");
        var failures = new List<string>();
        foreach (WycheproofCase c in file.Cases)
        {
            byte[] output = new byte[32];
            bool nonZero = X25519.ScalarMult(c.Bytes("private"), 0, c.Bytes("public"), 0, output, 0);
            bool ok;
            if (c.Flags.Contains("ZeroSharedSecret"))
            {
                // Acceptable either way by Wycheproof; MeshMessenger rejects it (RFC 7748 §6.1).
                ok = !nonZero && output.All(b => b == 0);
            }
            else
            {
                ok = nonZero && output.AsSpan().SequenceEqual(c.Bytes("shared"));
            }

            if (!ok)
            {
                failures.Add(c.ToString());
            }
        }

        Assert.Equal(file.NumberOfTests, file.Cases.Count);
        Assert.Empty(failures);
    }

    [Fact]
    public void Matches_BouncyCastle_on_10000_random_scalars_and_points()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((scalar, u) =>
        {
            byte[] ours = new byte[32];
            byte[] reference = new byte[32];
            bool ok = X25519.ScalarMult(scalar, 0, u, 0, ours, 0);
            BcX25519.ScalarMult(scalar, 0, u, 0, reference, 0);
            byte[] ourBase = new byte[32];
            byte[] referenceBase = new byte[32];
            X25519.ScalarMultBase(scalar, 0, ourBase, 0);
            BcX25519.ScalarMultBase(scalar, 0, referenceBase, 0);
            return ok && ours.AsSpan().SequenceEqual(reference) && ourBase.AsSpan().SequenceEqual(referenceBase);
        }, iter: 10_000);
    }

    [Fact]
    public void Rejects_low_order_points()
    {
        byte[] scalar = new byte[32];
        scalar[5] = 42;
        byte[] output = new byte[32];
        Assert.False(X25519.ScalarMult(scalar, 0, new byte[32], 0, output, 0));
        byte[] one = new byte[32];
        one[0] = 1;
        Assert.False(X25519.ScalarMult(scalar, 0, one, 0, output, 0));
        Assert.All(output, b => Assert.Equal(0, b));
    }
}
