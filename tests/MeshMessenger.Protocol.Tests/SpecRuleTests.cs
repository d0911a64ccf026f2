using System.Security.Cryptography;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// Rules of docs/protocol.md that an implementer must not have to guess, each checked against the code by an
/// independent computation: the fragment split (§5.2), the message id, splits differing by link, the identity
/// keys' HKDF (§2.1), and key changes in later profiles (§2.3).
/// </summary>
public sealed class SpecRuleTests
{
    /// <summary>§5.2 as an implementer would type it: count = ⌈L / room⌉, size = ⌈L / count⌉, the last piece takes the rest.</summary>
    private static int[] SpecPieces(int length, int maxFrame)
    {
        int room = maxFrame - FrameLimits.HeaderSize - Fragment.HeaderSize;
        int count = (length + room - 1) / room;
        int size = (length + count - 1) / count;
        return [.. Enumerable.Range(0, count).Select(i => Math.Min(size, length - (i * size)))];
    }

    private static Fragment[] Split(byte[] entry, int maxFrame) =>
        [.. Fragmenter.Split(entry, maxFrame, 3, false, 1).Select(f =>
        {
            Assert.Equal(FrameType.Fragment, f.Type);
            Assert.Equal(ProtocolError.None, Fragment.TryDecode(f.Payload, out Fragment? piece));
            return piece!;
        })];

    [Fact]
    public void A_982_byte_entry_on_LoRa_is_five_pieces_of_197_197_197_197_194()
    {
        var entry = new byte[982];
        Assert.Equal([197, 197, 197, 197, 194], Split(entry, FrameLimits.LoRa).Select(p => p.Data.Length));
        Assert.Equal([197, 197, 197, 197, 194], SpecPieces(982, FrameLimits.LoRa));
    }

    [Fact]
    public void Every_fragmentable_size_on_both_links_splits_exactly_as_the_formula_says()
    {
        foreach (int maxFrame in new[] { FrameLimits.LoRa, FrameLimits.Ip })
        {
            int single = maxFrame - FrameLimits.HeaderSize;
            for (int length = single + 1; length <= EntryCodec.MaxEncodedSize; length++)
            {
                var entry = new byte[length];
                entry[0] = (byte)length;
                Fragment[] pieces = Split(entry, maxFrame);
                Assert.Equal(SpecPieces(length, maxFrame), pieces.Select(p => p.Data.Length));
                Assert.True(pieces.All(p => p.Count == pieces.Length && p.Data.Length >= 1));
                Assert.Equal(entry, pieces.SelectMany(p => p.Data));
            }

            // One byte less than a frame's payload is never fragmented.
            Assert.Equal(FrameType.Entry, Fragmenter.Split(new byte[single], maxFrame, 3, false, 1).Single().Type);
        }
    }

    [Fact]
    public void The_message_id_is_the_first_4_bytes_big_endian_of_the_SHA256_of_the_entry_bytes()
    {
        Entry post = new AuthorLog(1).Post(new string('q', 900));
        byte[] digest = SHA256.HashData(post.Encoded);
        uint expected = ((uint)digest[0] << 24) | ((uint)digest[1] << 16) | ((uint)digest[2] << 8) | digest[3];
        Assert.Equal(expected, Fragment.MessageIdOf(post.Encoded));
        foreach (int maxFrame in new[] { FrameLimits.LoRa, FrameLimits.Ip })
        {
            byte[] entry = maxFrame == FrameLimits.LoRa ? post.Encoded : new AuthorLog(2).Post(new string('q', 1500)).Encoded;
            uint id = Fragment.MessageIdOf(entry);
            Assert.All(Fragmenter.Split(entry, maxFrame, 3, false, 1), f => Assert.Equal(SHA256.HashData(entry)[..4], f.Payload[..4]));
            Assert.NotEqual(0u, id);
        }
    }

    [Fact]
    public void LoRa_and_IP_pieces_of_one_entry_interleaved_complete_it_once()
    {
        // 1,500 bytes: 7 LoRa pieces (215 × 6 + 210) and 2 IP pieces (750 + 750), one message id.
        byte[] entry = new AuthorLog(1).Post(new string('q', 1500 - 19 - 64)).Encoded;
        Assert.Equal(1500, entry.Length);
        Fragment[] lora = Split(entry, FrameLimits.LoRa);
        Fragment[] ip = Split(entry, FrameLimits.Ip);
        Assert.Equal([215, 215, 215, 215, 215, 215, 210], lora.Select(p => p.Data.Length));
        Assert.Equal([750, 750], ip.Select(p => p.Data.Length));
        Assert.Equal(lora[0].MessageId, ip[0].MessageId);

        // LoRa 0, IP 0, LoRa 1..6 (completes the LoRa split), IP 1 (already completed).
        var r = new Reassembler(4, 60_000);
        var statuses = new List<ReassemblyStatus>();
        byte[]? whole = null;
        foreach (Fragment f in new[] { lora[0], ip[0] }.Concat(lora.Skip(1)).Append(ip[1]))
        {
            statuses.Add(r.Offer(f, 0, out byte[]? done));
            whole ??= done;
        }

        Assert.Equal(entry, whole);
        Assert.Equal(1, statuses.Count(s => s == ReassemblyStatus.Completed));
        Assert.DoesNotContain(ReassemblyStatus.Conflict, statuses);
        Assert.Equal(ReassemblyStatus.AlreadyCompleted, statuses[^1]);
        Assert.Equal(0, r.InProgress); // the IP split in progress was dropped when the LoRa split completed
        Assert.Equal(0, r.BufferedBytes);

        // The other way round: IP 0, LoRa 0..2, IP 1 completes first.
        r = new Reassembler(4, 60_000);
        statuses.Clear();
        whole = null;
        foreach (Fragment f in new[] { ip[0], lora[0], lora[1], lora[2], ip[1], lora[3] })
        {
            statuses.Add(r.Offer(f, 0, out byte[]? done));
            whole ??= done;
        }

        Assert.Equal(entry, whole);
        Assert.Equal(ReassemblyStatus.Completed, statuses[4]);
        Assert.Equal(ReassemblyStatus.AlreadyCompleted, statuses[5]);
        Assert.Equal(0, r.InProgress);
    }

    [Fact]
    public void Two_versions_of_an_index_resolve_to_the_combination_whose_SHA256_starts_with_the_message_id()
    {
        // §5.2: a 982-byte entry split by version 1 (197 × 4, 194) and by a sender that spreads the remainder
        // (197, 197, 196, 196, 196): indexes 2-4 differ. A receiver hearing both keeps the second version of an index
        // as its alternative and, once every index has a piece, hashes the combinations, first-arrived pieces first.
        byte[] entry = new AuthorLog(1).Post(new string('q', 982 - 19 - 64)).Encoded;
        Assert.Equal(982, entry.Length);
        Fragment[] v1 = Split(entry, FrameLimits.LoRa);
        Assert.Equal([197, 197, 197, 197, 194], v1.Select(p => p.Data.Length));
        int[] spread = [197, 197, 196, 196, 196];
        Fragment[] other = [.. spread.Select((length, i) => new Fragment(v1[0].MessageId, i, 5, entry[spread.Take(i).Sum()..(spread.Take(i).Sum() + length)]))];

        // The other sender's pieces 2 and 3 first, then version 1's 2 and 3 (alternatives), then version 1's 4, 0, 1:
        // the first-arrived combination has a gap and does not hash to the id; taking both alternatives does.
        var r = new Reassembler(4, 60_000);
        var statuses = new List<ReassemblyStatus>();
        byte[]? whole = null;
        foreach (Fragment f in new[] { other[2], other[3], v1[2], v1[3], v1[4], v1[0], v1[1] })
        {
            statuses.Add(r.Offer(f, 0, out byte[]? done));
            whole ??= done;
        }

        Assert.Equal([ReassemblyStatus.Stored, ReassemblyStatus.Stored, ReassemblyStatus.AlternativeKept, ReassemblyStatus.AlternativeKept,
            ReassemblyStatus.Stored, ReassemblyStatus.Stored, ReassemblyStatus.Completed], statuses);
        Assert.Equal(entry, whole);

        // Every index filled once, but by a mix whose bytes do not hash to the id: Conflict, the message is dropped.
        r = new Reassembler(4, 60_000);
        statuses.Clear();
        foreach (Fragment f in new[] { v1[0], v1[1], v1[2], other[3], other[4] })
        {
            statuses.Add(r.Offer(f, 0, out whole));
        }

        Assert.Equal(ReassemblyStatus.Conflict, statuses[^1]);
        Assert.Null(whole);
        Assert.Equal(0, r.InProgress);
    }

    [Fact]
    public void Identity_keys_are_HKDF_SHA256_outputs_of_32_bytes_with_the_stated_salt_and_info()
    {
        byte[] root = Enumerable.Repeat((byte)1, 32).ToArray();
        NodeIdentity identity = NodeIdentity.FromRootSecret(root);
        byte[] salt = "MeshMessenger identity v1"u8.ToArray();

        // .NET's own HKDF (RFC 5869), not the project's, with L = 32 for each key.
        byte[] seed = HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, salt, "ed25519 signing key"u8.ToArray());
        byte[] agreement = HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, salt, "x25519 agreement key"u8.ToArray());
        var signingPublic = new byte[32];
        Ed25519.GeneratePublicKey(seed, 0, signingPublic, 0);
        var agreementPublic = new byte[32];
        X25519.ScalarMultBase(agreement, 0, agreementPublic, 0);
        Assert.Equal(identity.SigningKey, signingPublic);
        Assert.Equal(identity.AgreementKey, agreementPublic);

        // Swapping the infos gives other keys: each info names its key.
        var swapped = new byte[32];
        Ed25519.GeneratePublicKey(agreement, 0, swapped, 0);
        Assert.NotEqual(identity.SigningKey, swapped);
    }

    [Fact]
    public void A_later_profile_with_another_agreement_key_is_refused_whether_or_not_the_author_is_cached()
    {
        NodeIdentity bob = Identities.Fixed(2);
        foreach (int maxProfiles in new[] { ChainStore.DefaultMaxProfiles, 1 })
        {
            var alice = new AuthorLog(1);
            var store = new ChainStore(new MemoryEntryStore(), new Ed25519SignatureVerifier(), maxProfiles);
            Assert.Equal(ChainVerdict.Accepted, store.Accept(new AuthorLog(3).Genesis)); // fills a 1-profile cache
            Assert.Equal(ChainVerdict.Accepted, store.Accept(alice.Genesis));
            byte[] header = alice.Chain.NextHeader(EntryKind.Profile, BodySealing.Clear, 0, 300);
            Entry rotated = EntryCodec.Sign(alice.Identity, header, new Profile(alice.Identity.SigningKey, bob.AgreementKey, "author 1", null).Encode());
            Assert.Equal(ChainVerdict.Invalid, store.Accept(rotated));
            Assert.Equal(alice.Identity.AgreementKey, store.ProfileOf(alice.Identity.Id)!.AgreementKey);

            // The same change of name alone is accepted (name, wallet, addresses and served chains may change).
            Entry renamed = EntryCodec.Sign(alice.Identity, header, Profile.Of(alice.Identity, "renamed", null).Encode());
            Assert.Equal(ChainVerdict.Accepted, store.Accept(renamed));
        }
    }
}
