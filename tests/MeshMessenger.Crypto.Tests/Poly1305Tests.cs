using CsCheck;
using MeshMessenger.Crypto.Tests.Support;
using Org.BouncyCastle.Crypto.Parameters;
using BcPoly1305 = Org.BouncyCastle.Crypto.Macs.Poly1305;

namespace MeshMessenger.Crypto.Tests;

/// <summary>The Poly1305 one-time authenticator (RFC 8439 §2.5), against the RFC and BouncyCastle.</summary>
public sealed class Poly1305Tests
{
    [Fact]
    public void Rfc8439_vectors_including_the_reduction_edge_cases()
    {
        RfcVectorFile file = RfcVectorFile.Load("rfc8439-poly1305.txt");
        Assert.Equal(12, file.Cases.Count);
        var failures = new List<string>();
        foreach (RfcVector v in file.Cases)
        {
            byte[] key = v.Bytes("key");
            byte[] message = v.Bytes("message");
            byte[] expected = v.Bytes("tag");
            byte[] reference = BouncyCastle(key, message);
            if (!expected.AsSpan().SequenceEqual(reference))
            {
                failures.Add($"{v}: the file disagrees with BouncyCastle ({Hex.Encode(reference)})");
            }

            // One pass, then byte by byte with the same instance re-initialised.
            var poly = new Poly1305();
            byte[] tag = new byte[Poly1305.TagSize + 2];
            poly.Init(key, 0);
            poly.Update(message, 0, message.Length);
            poly.Finish(tag, 2);
            byte[] byteWise = new byte[Poly1305.TagSize];
            poly.Init(key, 0);
            for (int i = 0; i < message.Length; i++)
            {
                poly.Update(message, i, 1);
            }

            poly.Finish(byteWise, 0);
            if (!expected.AsSpan().SequenceEqual(tag.AsSpan(2)) || !expected.AsSpan().SequenceEqual(byteWise))
            {
                failures.Add($"{v}: computed {Hex.Encode(tag[2..])}, byte by byte {Hex.Encode(byteWise)}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Matches_BouncyCastle_on_10000_random_keys_and_messages_split_at_random_points()
    {
        // Half the bytes are 0x00 or 0xff so that limbs and carries sit at their extremes far more often than
        // uniform bytes would put them there.
        Gen<byte> skewed = Gen.Frequency((2, (IGen<byte>)Gen.Byte), (1, Gen.Const((byte)0xff)), (1, Gen.Const((byte)0)));
        Gen.Select(skewed.Array[32], skewed.Array[0, 600], Gen.Int[0, 40].Array[1, 6]).Sample((key, message, chunks) =>
        {
            var poly = new Poly1305();
            poly.Init(key, 0);
            Chunks.Feed(message, chunks, poly.Update);
            byte[] tag = new byte[Poly1305.TagSize];
            poly.Finish(tag, 0);
            return tag.AsSpan().SequenceEqual(BouncyCastle(key, message));
        }, iter: 10_000);
    }

    [Fact]
    public void Bad_ranges_throw()
    {
        var poly = new Poly1305();
        Assert.Throws<ArgumentOutOfRangeException>(() => poly.Init(new byte[31], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => poly.Init(new byte[32], 1));
        Assert.Throws<ArgumentNullException>(() => poly.Init(null!, 0));
        poly.Init(new byte[32], 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => poly.Update(new byte[4], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => poly.Update(new byte[4], 0, -1));
        Assert.Throws<ArgumentNullException>(() => poly.Update(null!, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => poly.Finish(new byte[16], 1));
        Assert.Throws<ArgumentNullException>(() => poly.Finish(null!, 0));
    }

    private static byte[] BouncyCastle(byte[] key, byte[] message)
    {
        // Without a cipher, BouncyCastle's Poly1305 takes the RFC 8439 key r || s and clamps r itself.
        var mac = new BcPoly1305();
        mac.Init(new KeyParameter(key));
        mac.BlockUpdate(message, 0, message.Length);
        byte[] tag = new byte[16];
        mac.DoFinal(tag, 0);
        return tag;
    }
}
