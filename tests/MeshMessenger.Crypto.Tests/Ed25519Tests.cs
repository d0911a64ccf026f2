using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace MeshMessenger.Crypto.Tests;

public sealed class Ed25519Tests
{
    [Fact]
    public void Rfc8032_section_7_1_vectors()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc8032-ed25519.txt");
        Assert.Equal(4, file.Cases.Count);
        foreach (RfcVector v in file.Cases)
        {
            byte[] seed = v.Bytes("secret");
            byte[] message = v.Bytes("message");
            byte[] publicKey = new byte[32];
            Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
            Assert.True(v.Bytes("public").AsSpan().SequenceEqual(publicKey), $"{v} public {Hex.Encode(publicKey)}");
            byte[] signature = new byte[64];
            Ed25519.Sign(seed, 0, publicKey, 0, message, 0, message.Length, signature, 0);
            Assert.True(v.Bytes("signature").AsSpan().SequenceEqual(signature), $"{v} signature {Hex.Encode(signature)}");
            Assert.True(Ed25519.Verify(publicKey, 0, message, 0, message.Length, signature, 0), v.ToString());
        }
    }

    [Fact]
    public void Wycheproof_ed25519()
    {
        WycheproofFile file = WycheproofFile.Load("ed25519_test.json");
        var failures = new List<string>();
        foreach (WycheproofCase c in file.Cases)
        {
            byte[] publicKey = c.GroupBytes("publicKey.pk");
            byte[] msg = c.Bytes("msg");
            byte[] sig = c.Bytes("sig");
            bool accepted = publicKey.Length == 32 && sig.Length == 64 && Ed25519.Verify(publicKey, 0, msg, 0, msg.Length, sig, 0);
            if (accepted != (c.Result == "valid"))
            {
                failures.Add(c.ToString());
            }
        }

        Assert.Equal(file.NumberOfTests, file.Cases.Count);
        Assert.Empty(failures);
    }

    [Fact]
    public void Matches_BouncyCastle_on_10000_random_keys_and_messages_and_rejects_tampering()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[0, 300], Gen.Int[0, int.MaxValue]).Sample((seed, message, pick) =>
        {
            byte[] publicKey = new byte[32];
            Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
            byte[] referenceKey = new byte[32];
            BcEd25519.GeneratePublicKey(seed, 0, referenceKey, 0);
            byte[] signature = new byte[64];
            Ed25519.Sign(seed, 0, publicKey, 0, message, 0, message.Length, signature, 0);
            byte[] referenceSignature = new byte[64];
            BcEd25519.Sign(seed, 0, message, 0, message.Length, referenceSignature, 0);
            if (!publicKey.AsSpan().SequenceEqual(referenceKey) || !signature.AsSpan().SequenceEqual(referenceSignature))
            {
                return false;
            }

            if (!Ed25519.Verify(publicKey, 0, message, 0, message.Length, referenceSignature, 0))
            {
                return false;
            }

            byte[] badSignature = (byte[])signature.Clone();
            badSignature[pick % 64] ^= (byte)(1 << ((pick >> 8) % 8));
            if (Ed25519.Verify(publicKey, 0, message, 0, message.Length, badSignature, 0))
            {
                return false;
            }

            if (message.Length > 0)
            {
                byte[] badMessage = (byte[])message.Clone();
                badMessage[pick % message.Length] ^= (byte)(1 << ((pick >> 8) % 8));
                if (Ed25519.Verify(publicKey, 0, badMessage, 0, badMessage.Length, signature, 0))
                {
                    return false;
                }
            }

            return true;
        }, iter: 10_000);
    }

    [Fact]
    public void Strict_encodings_hold_for_every_signature_Verify_accepts_and_fail_for_each_rule_a_lax_verifier_skips()
    {
        WycheproofFile file = WycheproofFile.Load("ed25519_test.json");
        int valid = 0;
        foreach (WycheproofCase c in file.Cases)
        {
            byte[] publicKey = c.GroupBytes("publicKey.pk");
            byte[] msg = c.Bytes("msg");
            byte[] sig = c.Bytes("sig");
            if (sig.Length == 64 && Ed25519.Verify(publicKey, 0, msg, 0, msg.Length, sig, 0))
            {
                Assert.True(Ed25519.HasStrictEncodings(publicKey, 0, sig, 0), c.ToString());
                valid++;
            }
        }

        Assert.True(valid > 50);

        // Each satisfies the equation (chromium's WebCrypto accepts the last three, docs/protocol.md §3.3) and breaks one rule.
        byte[] identity = [1, .. new byte[31]];
        byte[] nonCanonicalIdentity = [0xEE, .. Enumerable.Repeat((byte)0xFF, 30), 0x7F]; // y = p + 1
        byte[] basePointAndOne = [.. Hex.Decode("5866666666666666666666666666666666666666666666666666666666666666"), 1, .. new byte[31]];
        Assert.False(Ed25519.HasStrictEncodings(identity, 0, basePointAndOne, 0)); // small-order A
        Assert.False(Ed25519.HasStrictEncodings(nonCanonicalIdentity, 0, basePointAndOne, 0)); // non-canonical A
        byte[] key = Hex.Decode("7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa");
        Assert.False(Ed25519.HasStrictEncodings(key, 0, [.. identity, .. new byte[32]], 0)); // small-order R
        Assert.False(Ed25519.HasStrictEncodings(key, 0, [.. identity[..31], 0x80, .. new byte[32]], 0)); // non-canonical R
        byte[] sPlusL = Hex.Decode("7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab067654bce3832c2d76f8f6f5dafc08d9339d4eef676573336a5c51eb6f946b31d");
        Assert.False(Ed25519.HasStrictEncodings(key, 0, sPlusL, 0)); // S >= L (Wycheproof tcId 63)
    }

    [Fact]
    public void Rejects_high_S_and_small_order_keys()
    {
        byte[] seed = new byte[32];
        byte[] publicKey = new byte[32];
        Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
        byte[] message = [1, 2, 3];
        byte[] signature = new byte[64];
        Ed25519.Sign(seed, 0, publicKey, 0, message, 0, message.Length, signature, 0);

        // S + L is the same scalar mod L: a malleated signature that a lax verifier accepts.
        var s = new System.Numerics.BigInteger(signature.AsSpan(32, 32), isUnsigned: true);
        var l = System.Numerics.BigInteger.Pow(2, 252) + System.Numerics.BigInteger.Parse("27742317777372353535851937790883648493");
        byte[] high = (s + l).ToByteArray(isUnsigned: true);
        byte[] malleated = (byte[])signature.Clone();
        Array.Clear(malleated, 32, 32);
        high.CopyTo(malleated, 32);
        Assert.False(Ed25519.Verify(publicKey, 0, message, 0, message.Length, malleated, 0));

        // The identity (y = 1) is a small-order public key.
        byte[] identity = new byte[32];
        identity[0] = 1;
        Assert.False(Ed25519.Verify(identity, 0, message, 0, message.Length, signature, 0));
    }
}
