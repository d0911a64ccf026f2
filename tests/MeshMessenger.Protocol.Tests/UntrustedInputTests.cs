using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// Random and mutated frames against every decoder and a live node. Longer runs:
/// MM_FUZZ_COUNT=5000000 MM_FUZZ_SEED=7 dotnet test tests/MeshMessenger.Protocol.Tests -c Release --filter UntrustedInput
/// </summary>
public sealed class UntrustedInputTests
{
    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("MM_FUZZ_COUNT"), out int n) ? n : 100_000;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("MM_FUZZ_SEED"), out int s) ? s : 20261124;

    [Fact]
    public void Random_and_mutated_frames_never_throw_and_never_corrupt_the_store()
    {
        var clock = new TestClock();
        MessengerNode alice = TestLink.Node(1, "alice", clock);
        MessengerNode bob = TestLink.Node(2, "bob", clock);
        var channel = new ChannelKey("c", Enumerable.Repeat((byte)5, 32).ToArray());
        alice.JoinChannel(channel);
        bob.JoinChannel(channel);
        var link = new TestLink(alice, bob);
        link.Run();
        uint s = alice.SendText(bob.Id, "hello bob, this is a direct message");
        alice.PostToChannel(channel.Id, "to the channel");
        alice.PostPublic(new string('P', 900)); // fragments
        link.Run();
        bob.MarkRead(alice.Id, s);
        bob.AnnounceHeads(true);
        link.Run();
        List<byte[]> corpus = link.Carried.Distinct(new BytesComparer()).ToList();
        corpus.Add(FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0, 1, new WantMessage([new Wire.SequenceRange(alice.Id, 0, 3)]).Encode()), FrameLimits.LoRa));
        corpus.Add(FrameCodec.Encode(new Frame(FrameType.Ack, 0, 0, false, 0, 1, [0, 0, 0, 1, 5]), FrameLimits.LoRa));
        corpus.Add(FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, true, 0, 1, new EntryReference(alice.Id, s).Encode()), FrameLimits.LoRa));
        var challenge = new Links.LinkChallenge(7, new byte[16], [alice.Id, bob.Id], [0, 1]);
        corpus.Add(FrameCodec.Encode(new Frame(FrameType.Challenge, 0, 0, false, 0, 1, challenge.Encode()), FrameLimits.LoRa));
        corpus.Add(FrameCodec.Encode(new Frame(FrameType.Proof, 0, 0, false, 0, 1, new Links.LinkProof(alice.Id, new byte[16], 3, new byte[64]).Encode()), FrameLimits.LoRa));
        Assert.True(corpus.Count >= 10, "corpus too small: " + corpus.Count);
        Assert.Contains(corpus, f => (FrameType)(f[0] & 0x1F) == FrameType.Fragment);
        Assert.Contains(corpus, f => (FrameType)(f[0] & 0x1F) == FrameType.Want);

        // A fresh receiver that knows alice, so mutated entries reach signature checks and beyond.
        var target = TestLink.Node(3, "target", clock);
        target.JoinChannel(channel);
        foreach (byte[] f in corpus.Take(2))
        {
            target.Receive(f, 0, f.Length);
        }

        int storedBefore = target.Chains.Store.Count;
        var rng = new Random(Seed);
        int accepted = 0;
        for (int i = 0; i < Count; i++)
        {
            byte[] input = i % 4 == 0 ? RandomFrame(rng) : Mutate(corpus[rng.Next(corpus.Count)], rng);
            clock.MonotonicMilliseconds += rng.Next(0, 2_000);
            ProtocolError error = target.Receive(input, 0, input.Length);
            accepted += error == ProtocolError.None ? 1 : 0;
            DecodeEverything(input);
            target.TakeOutbox();
        }

        // Whatever got in was verified: every stored entry still checks out under its author's key.
        foreach (uint author in target.Chains.Store.Authors())
        {
            target.Chains.Store.TryGetRange(author, out uint low, out uint high);
            Profile key = target.Chains.ProfileOf(author)!;
            for (uint q = low; q <= high; q++)
            {
                Entry e = target.Chains.Store.Get(author, q)!.Entry;
                Assert.True(EntryHash.Verify(e, key.SigningKey, EntryHash.Of(e, key.SigningKey)));
            }
        }

        Assert.True(target.Chains.Store.Count >= storedBefore);
        Assert.True(target.Reassembler.BufferedBytes <= target.Reassembler.Capacity * EntryCodec.MaxEncodedSize);
        Assert.True(target.Counters.FramesIn >= Count);
        Assert.True(target.Counters.DecodeErrors(ProtocolError.UnsupportedVersion) > 0);
        Assert.True(target.Counters.Verdicts(ChainVerdict.BadSignature) > 0 || target.Counters.DecodeErrors(ProtocolError.BadSignature) > 0);
    }

    [Fact]
    public void Text_decoders_never_throw_on_random_text()
    {
        var rng = new Random(Seed);
        string card = ContactCard.Create(Identities.Fixed(1), "n", null).ToText();
        for (int i = 0; i < 20_000; i++)
        {
            char[] chars = card.ToCharArray();
            for (int k = rng.Next(1, 4); k > 0; k--)
            {
                chars[rng.Next(chars.Length)] = (char)rng.Next(32, 0x3000);
            }

            string text = i % 3 == 0 ? new string(chars, 0, rng.Next(chars.Length)) : new string(chars);
            ContactCard.TryParse(text, out _);
            ChannelKey.TryParse("MMC1:" + text[Math.Min(4, text.Length)..], out _);
            BackupCode.TryRestore(text, out _);
            NodeId.TryParse(text[..Math.Min(9, text.Length)], out _);
        }
    }

    private static void DecodeEverything(byte[] input)
    {
        FrameCodec.TryDecode(input, 0, input.Length, FrameLimits.Ip, out _);
        EntryCodec.TryDecode(input, 0, input.Length, out _);
        Fragment.TryDecode(input, out _);
        HeadsMessage.TryDecode(input, out _);
        WantMessage.TryDecode(input, out _);
        ReceiptBody.TryDecode(input, 1, out _);
        ContactCard.TryDecode(input, 0, input.Length, out _);
        Links.LinkChallenge.TryDecode(input, 0, input.Length, out _);
        Links.LinkProof.TryDecode(input, 0, input.Length, out _);
    }

    private static byte[] RandomFrame(Random rng)
    {
        var bytes = new byte[rng.Next(0, 300)];
        rng.NextBytes(bytes);
        if (bytes.Length > 0 && rng.Next(2) == 0)
        {
            bytes[0] = (byte)(0x20 | rng.Next(1, 6)); // valid version and type, so the payload decoders run
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] frame, Random rng)
    {
        byte[] m = (byte[])frame.Clone();
        switch (rng.Next(6))
        {
            case 0:
                m[rng.Next(m.Length)] ^= (byte)(1 << rng.Next(8));
                return m;
            case 1:
                for (int k = rng.Next(1, 8); k > 0; k--)
                {
                    m[rng.Next(m.Length)] = (byte)rng.Next(256);
                }

                return m;
            case 2:
                return m[..rng.Next(m.Length)];
            case 3:
                var longer = new byte[m.Length + rng.Next(1, 64)];
                rng.NextBytes(longer);
                m.CopyTo(longer, 0);
                return longer;
            case 4:
                m[4 + rng.Next(Math.Max(1, Math.Min(8, m.Length - 4)))] = (byte)(rng.Next(2) == 0 ? 0xFF : 0x80);
                return m;
            default:
                int at = rng.Next(4, Math.Max(5, m.Length));
                return [.. m[..Math.Min(at, m.Length)], .. m];
        }
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x!.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length ^ (obj.Length > 8 ? obj[8] << 8 : 0);
    }
}
