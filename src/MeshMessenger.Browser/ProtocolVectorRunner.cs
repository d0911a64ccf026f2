using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Browser;

/// <summary>
/// Checks tests/vectors/protocol/protocol-v1.txt inside WebAssembly, so the browser's build of the protocol core
/// is held to the same bytes as every other build. Each "key = value" line is one vector and gets two kinds of
/// check: encode (the value is made again here from the recipe the file's generator follows, with the inputs
/// read from the file, and compared byte for byte) and, where the value is a message, decode (it decodes,
/// re-encodes to the same bytes, its signature verifies, its sealed body opens to the stated plaintext). A
/// line with no check counts as failed, so a new kind of vector cannot pass unseen.
/// </summary>
internal static class ProtocolVectorRunner
{
    private static readonly ISignatureVerifier Managed = new Ed25519SignatureVerifier();

    /// <summary>Runs every vector of <paramref name="text"/>.</summary>
    public static VectorReport Run(string text)
    {
        var report = new VectorReport();
        List<(string Section, string Key, string Value)> lines = Parse(text);
        Dictionary<string, Dictionary<string, string>> file = [];
        foreach ((string section, string key, string value) in lines)
        {
            if (!file.TryGetValue(section, out Dictionary<string, string>? values))
            {
                file[section] = values = [];
            }

            values[key] = value;
        }

        Dictionary<(string, string), string> made;
        Dictionary<(string, string), Func<string?>> decoders;
        try
        {
            (made, decoders) = Recipe(file);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or ProtocolException or InvalidOperationException or ArgumentException)
        {
            report.Failures.Add("the file lacks an input the recipe needs: " + e.Message);
            return report;
        }

        foreach ((string section, string key, string value) in lines)
        {
            string? why = null;
            if (!made.TryGetValue((section, key), out string? expected))
            {
                why = "no check for this vector";
            }
            else if (expected != value)
            {
                why = $"encoded here as {Short(expected)}, the file has {Short(value)}";
            }
            else if (decoders.TryGetValue((section, key), out Func<string?>? decode))
            {
                try
                {
                    why = decode();
                }
                catch (Exception e) when (e is FormatException or ProtocolException or IndexOutOfRangeException or ArgumentException or InvalidOperationException)
                {
                    why = "decoding threw: " + e.Message;
                }
            }

            if (why is null)
            {
                report.Passed++;
            }
            else
            {
                report.Failures.Add($"[{section}] {key}: {why}");
            }
        }

        return report;
    }

    /// <summary>
    /// The vector lines: (section name up to its colon, or the whole header when <paramref name="wholeTitles"/>, key,
    /// value); comments and blank lines skipped.
    /// </summary>
    public static List<(string Section, string Key, string Value)> Parse(string text, bool wholeTitles = false)
    {
        var lines = new List<(string, string, string)>();
        string section = "";
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r', ' ');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = wholeTitles ? line[1..^1] : line[1..^1].Split(':')[0];
                continue;
            }

            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (eq > 0)
            {
                lines.Add((section, line[..eq], line[(eq + 3)..]));
            }
        }

        return lines;
    }

    private static (Dictionary<(string, string), string> Made, Dictionary<(string, string), Func<string?>> Decoders) Recipe(Dictionary<string, Dictionary<string, string>> file)
    {
        var made = new Dictionary<(string, string), string>();
        var decoders = new Dictionary<(string, string), Func<string?>>();

        NodeIdentity alice = NodeIdentity.FromRootSecret(Bytes(file["identity alice"]["root"]));
        NodeIdentity bob = NodeIdentity.FromRootSecret(Bytes(file["identity bob"]["root"]));
        byte[] bobWallet = [.. Enumerable.Range(0xA0, Profile.WalletSize).Select(i => (byte)i)];
        var aliceProfile = Profile.Of(alice, "Alice", null);
        var bobProfile = Profile.Of(bob, "Bob", bobWallet);
        Identity(made, decoders, file, "identity alice", alice, aliceProfile, "Alice", null);
        Identity(made, decoders, file, "identity bob", bob, bobProfile, "Bob", bobWallet);

        var aliceChain = new LocalChain(alice, new ChainStore(new MemoryEntryStore()));
        var bobChain = new LocalChain(bob, new ChainStore(new MemoryEntryStore()));
        var reader = new ChainStore(new MemoryEntryStore(), Managed); // decodes the file's entries in order and verifies them
        Entry genesis = aliceChain.StartNew(aliceProfile, 100);
        bobChain.StartNew(bobProfile, 100);
        reader.AddContact(bobProfile);
        Entries(made, decoders, file, "alice entry 0", genesis, alice, reader);

        const string s1 = "alice entry 1";
        byte[] direct = DirectKey.Derive(alice, aliceProfile, bobProfile)!;
        string dmText = file[s1]["plaintext_text"];
        byte[] header = aliceChain.NextHeader(EntryKind.Text, BodySealing.Direct, NodeId.HintOf(bob.Id), 3600);
        Entry dm = aliceChain.Append(header, BodyCipher.Seal(direct, 1, header, Encoding.UTF8.GetBytes(dmText)));
        made[(s1, "x25519_shared")] = Hex(alice.Agree(bob.AgreementKey, 0)!);
        made[(s1, "direct_key")] = Hex(direct);
        made[(s1, "nonce")] = "0000000000000000" + "00000001";
        made[(s1, "plaintext_text")] = dmText;
        decoders[(s1, "x25519_shared")] = () => Same(bob.Agree(alice.AgreementKey, 0)!, file[s1]["x25519_shared"], "bob's side of the agreement");
        decoders[(s1, "direct_key")] = () => Opens(file[s1]["entry"], file[s1]["direct_key"], Encoding.UTF8.GetBytes(dmText));
        decoders[(s1, "plaintext_text")] = decoders[(s1, "direct_key")];
        Entries(made, decoders, file, s1, dm, alice, reader);

        const string s2 = "alice entry 2";
        byte[] channelSecret = Bytes(file[s2]["channel_secret"]);
        var channel = new ChannelKey("village", channelSecret);
        byte[] channelKey = channel.AuthorKey(alice.SigningKey);
        string postText = file[s2]["plaintext_text"];
        header = aliceChain.NextHeader(EntryKind.ChannelPost, BodySealing.Channel, channel.Hint, 3700);
        Entry post = aliceChain.Append(header, BodyCipher.Seal(channelKey, 2, header, Encoding.UTF8.GetBytes(postText)));
        made[(s2, "channel_secret")] = Hex(channelSecret);
        made[(s2, "channel_id")] = channel.Id.ToString("x8");
        made[(s2, "channel_share_text")] = channel.ToText();
        made[(s2, "author_channel_key")] = Hex(channelKey);
        made[(s2, "plaintext_text")] = postText;
        decoders[(s2, "channel_share_text")] = () =>
            ChannelKey.TryParse(file[s2]["channel_share_text"], out ChannelKey? parsed) != ProtocolError.None ? "the invite does not parse"
            : parsed!.Id.ToString("x8") != file[s2]["channel_id"] ? "the invite names another channel id"
            : Same(parsed.AuthorKey(alice.SigningKey), file[s2]["author_channel_key"], "the invite's author key");
        decoders[(s2, "author_channel_key")] = () => Opens(file[s2]["entry"], file[s2]["author_channel_key"], Encoding.UTF8.GetBytes(postText));
        decoders[(s2, "plaintext_text")] = decoders[(s2, "author_channel_key")];
        Entries(made, decoders, file, s2, post, alice, reader);

        const string s3 = "alice entry 3";
        Entry pub = aliceChain.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 3800, Encoding.UTF8.GetBytes(new string('~', 400)));
        Entries(made, decoders, file, s3, pub, alice, reader);
        Frame[] pieces = Fragmenter.Split(pub.Encoded, FrameLimits.LoRa, 3, false, NodeId.HintOf(alice.Id));
        for (int i = 0; i < pieces.Length; i++)
        {
            made[(s3, $"lora_fragment_{i}")] = Hex(FrameCodec.Encode(pieces[i], FrameLimits.LoRa));
        }

        Func<string?> reassembles = () => Reassembles(file[s3], pieces.Length);
        for (int i = 0; i < pieces.Length; i++)
        {
            decoders[(s3, $"lora_fragment_{i}")] = reassembles;
        }

        Entry checkpoint = aliceChain.Commit(EntryKind.Checkpoint, BodySealing.Clear, 0, 3900, EntryHash.Of(pub, alice.SigningKey));
        Entries(made, decoders, file, "alice entry 4", checkpoint, alice, reader);

        const string b1 = "bob entry 1";
        byte[] back = DirectKey.Derive(bob, bobProfile, aliceProfile)!;
        header = bobChain.NextHeader(EntryKind.DeliveryReceipt, BodySealing.Direct, NodeId.HintOf(alice.Id), 3610);
        byte[] receipt = new ReceiptBody([new SequenceRange(alice.Id, 1, 1)]).Encode();
        Entry delivered = bobChain.Append(header, BodyCipher.Seal(back, 1, header, receipt));
        made[(b1, "direct_key")] = Hex(back);
        made[(b1, "plaintext")] = Hex(receipt);
        decoders[(b1, "direct_key")] = () => Opens(file[b1]["entry"], file[b1]["direct_key"], Bytes(file[b1]["plaintext"]));
        decoders[(b1, "plaintext")] = () => ReceiptBody.TryDecode(Bytes(file[b1]["plaintext"]), alice.Id, out ReceiptBody? r) != ProtocolError.None ? "the receipt does not decode"
            : r!.Covers(1) && !r.Covers(2) ? null : "the receipt does not cover exactly alice's entry 1";
        // Bob's entry 0 is not in the file: the reader holds his profile as a contact, so entry 1 verifies with a gap.
        Entries(made, decoders, file, b1, delivered, bob, reader);

        var heads = new HeadsMessage(true, [new ChainHead(alice.Id, 0, 4, EntryHash.LinkOf(EntryHash.Of(checkpoint, alice.SigningKey)))]);
        made[("sync", "heads_frame")] = Hex(FrameCodec.Encode(new Frame(FrameType.Heads, 0, 0, false, 0, NodeId.HintOf(bob.Id), heads.Encode()), FrameLimits.LoRa));
        var want = new WantMessage([new SequenceRange(alice.Id, 2, 4)]);
        made[("sync", "want_frame")] = Hex(FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0, NodeId.HintOf(bob.Id), want.Encode()), FrameLimits.LoRa));
        var readable = new WantMessage([new SequenceRange(alice.Id, 2, 4)], true);
        made[("sync", "want_readable_frame")] = Hex(FrameCodec.Encode(new Frame(FrameType.Want, 0, 0, false, 0, NodeId.HintOf(bob.Id), readable.Encode()), FrameLimits.LoRa));
        decoders[("sync", "heads_frame")] = () => Payload(file["sync"]["heads_frame"], FrameType.Heads, p =>
            HeadsMessage.TryDecode(p, out HeadsMessage? h) != ProtocolError.None ? "the heads do not decode"
            : h!.Heads.Length == 1 && h.Heads[0].Author == alice.Id && h.Heads[0].High == 4 && h.RequestReply ? Same(h.Encode(), Hex(p), "re-encoded heads") : "the heads say something else");
        decoders[("sync", "want_frame")] = () => Payload(file["sync"]["want_frame"], FrameType.Want, p =>
            WantMessage.TryDecode(p, out WantMessage? m) != ProtocolError.None ? "the want does not decode"
            : m!.Ranges.Length == 1 && m.Ranges[0].From == 2 && m.Ranges[0].To == 4 && !m.ReadableOnly ? Same(m.Encode(), Hex(p), "re-encoded want") : "the want asks for something else");
        decoders[("sync", "want_readable_frame")] = () => Payload(file["sync"]["want_readable_frame"], FrameType.Want, p =>
            WantMessage.TryDecode(p, out WantMessage? m) != ProtocolError.None ? "the flagged want does not decode"
            : m!.Ranges.Length == 1 && m.Ranges[0].From == 2 && m.Ranges[0].To == 4 && m.ReadableOnly ? Same(m.Encode(), Hex(p), "re-encoded flagged want") : "the flagged want asks for something else");

        LinkVectors(made, decoders, file, alice, bob);
        Entry uneven = UnevenFragments(made, decoders, file, aliceChain, alice, reader);
        Resume(made, decoders, file, alice, reader, [genesis, dm, post, pub, checkpoint, uneven]);

        // The Ack and receipt request payload (docs/protocol.md §5.1.1, §7.1): author (4, big-endian) then the sequence as a varint.
        byte[] named = new EntryReference(alice.Id, dm.Sequence).Encode();
        made[("ack", "ack_frame")] = Hex(FrameCodec.Encode(new Frame(FrameType.Ack, 0, 0, false, NodeId.HintOf(alice.Id), NodeId.HintOf(bob.Id), named), FrameLimits.LoRa));
        decoders[("ack", "ack_frame")] = () => Payload(file["ack"]["ack_frame"], FrameType.Ack, p => Same(p, file["identity alice"]["node_id"] + "01", "the ack's author and sequence"));
        made[("receipt request", "receipt_request_frame")] = Hex(FrameCodec.Encode(new Frame(FrameType.ReceiptRequest, 0, 0, false, 0, NodeId.HintOf(alice.Id), named), FrameLimits.LoRa));
        decoders[("receipt request", "receipt_request_frame")] = () => Payload(file["receipt request"]["receipt_request_frame"], FrameType.ReceiptRequest,
            p => EntryReference.TryDecode(p, out EntryReference? r) != ProtocolError.None ? "the receipt request does not decode"
            : r!.Author == alice.Id && r.Sequence == dm.Sequence ? null : "the receipt request names another entry");
        return (made, decoders);
    }

    private static void Identity(Dictionary<(string, string), string> made, Dictionary<(string, string), Func<string?>> decoders, Dictionary<string, Dictionary<string, string>> file, string s, NodeIdentity id, Profile profile, string name, byte[]? wallet)
    {
        ContactCard card = ContactCard.Create(id, name, wallet);
        made[(s, "root")] = Hex(id.ExportRootSecret());
        made[(s, "ed25519_public")] = Hex(id.SigningKey);
        made[(s, "x25519_public")] = Hex(id.AgreementKey);
        made[(s, "node_id")] = id.Id.ToString("x8");
        made[(s, "profile")] = Hex(profile.Encode());
        made[(s, "contact_card")] = Hex(card.Encoded);
        made[(s, "contact_card_text")] = card.ToText();
        made[(s, "backup_code_text")] = BackupCode.Create(id);
        decoders[(s, "node_id")] = () => NodeId.FromSigningKey(Bytes(file[s]["ed25519_public"]), 0).ToString("x8") == file[s]["node_id"] ? null : "the id is not the one the key gives";
        decoders[(s, "contact_card")] = () =>
        {
            byte[] bytes = Bytes(file[s]["contact_card"]);
            return ContactCard.TryDecode(bytes, 0, bytes.Length, out ContactCard? c) != ProtocolError.None ? "the card does not decode or verify"
                : Same(c!.Profile.Encode(), file[s]["profile"], "the card's profile");
        };
        decoders[(s, "contact_card_text")] = () => ContactCard.TryParse(file[s]["contact_card_text"], out ContactCard? c) != ProtocolError.None ? "the card text does not parse or verify"
            : c!.Profile.Name != name ? "the card names someone else" : Same(c.Encoded, file[s]["contact_card"], "the card text's bytes");
        decoders[(s, "backup_code_text")] = () => BackupCode.TryRestore(file[s]["backup_code_text"], out NodeIdentity? restored) != ProtocolError.None ? "the backup code does not restore"
            : Same(restored!.SigningKey, file[s]["ed25519_public"], "the restored key");
    }

    /// <summary>entry, entry_hash and lora_frame of one entry: made by the chain here; decoded, verified and accepted in file order.</summary>
    private static void Entries(Dictionary<(string, string), string> made, Dictionary<(string, string), Func<string?>> decoders, Dictionary<string, Dictionary<string, string>> file, string s, Entry entry, NodeIdentity author, ChainStore reader)
    {
        made[(s, "entry")] = Hex(entry.Encoded);
        made[(s, "entry_hash")] = Hex(EntryHash.Of(entry, author.SigningKey));
        if (entry.Encoded.Length <= FrameLimits.LoRa - FrameLimits.HeaderSize)
        {
            Frame frame = Fragmenter.Split(entry.Encoded, FrameLimits.LoRa, 3, entry.Kind == EntryKind.Text, NodeId.HintOf(author.Id))[0];
            made[(s, "lora_frame")] = Hex(FrameCodec.Encode(frame, FrameLimits.LoRa));
            decoders[(s, "lora_frame")] = () => Payload(file[s]["lora_frame"], FrameType.Entry, p => Same(p, file[s]["entry"], "the frame's payload"));
        }

        // Decoded and accepted now, while the recipe runs in file order, so each entry's predecessor is held.
        byte[] bytes = Bytes(file[s]["entry"]);
        string? verdict = EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? decoded) is var error && error != ProtocolError.None ? $"the entry does not decode ({error})"
            : Hex(decoded!.Encoded) != Hex(bytes) ? "the decoded entry is not the same bytes"
            : Hex(EntryHash.Of(decoded, author.SigningKey)) != file[s]["entry_hash"] ? "its hash is not entry_hash"
            : reader.Accept(decoded) is var v && v is not (ChainVerdict.Accepted or ChainVerdict.Gap) ? $"the chain refuses it ({v})" : null;
        decoders[(s, "entry")] = () => verdict;
        decoders[(s, "entry_hash")] = () => verdict;
    }

    private static void LinkVectors(Dictionary<(string, string), string> made, Dictionary<(string, string), Func<string?>> decoders, Dictionary<string, Dictionary<string, string>> file, NodeIdentity alice, NodeIdentity bob)
    {
        const string s = "link proof";
        var (gateway, challengePayload, proof) = LinkParts(file, alice);
        made[(s, "gateway_node_id")] = gateway.Id.ToString("x8");
        made[(s, "challenge")] = Hex(challengePayload);
        made[(s, "challenge_frame")] = Hex(FrameCodec.Encode(new Frame(FrameType.Challenge, 0, 0, false, 0, NodeId.HintOf(gateway.Id), challengePayload), FrameLimits.LoRa));
        made[(s, "held_bitmap")] = "00000003";
        made[(s, "proof_hash")] = Hex(LinkProof.HashOf(challengePayload, alice.Id, 0b011));
        made[(s, "proof_frame")] = Hex(FrameCodec.Encode(new Frame(FrameType.Proof, 0, 0, false, NodeId.HintOf(gateway.Id), NodeId.HintOf(alice.Id), proof.Encode()), FrameLimits.LoRa));
        decoders[(s, "challenge_frame")] = () => Payload(file[s]["challenge_frame"], FrameType.Challenge, p =>
            LinkChallenge.TryDecode(p, 0, p.Length, out LinkChallenge? c) != ProtocolError.None ? "the challenge does not decode"
            : c!.Gateway.ToString("x8") == file[s]["gateway_node_id"] && c.Count == 3 ? Same(p, file[s]["challenge"], "the challenge frame's payload") : "the challenge says something else");
        decoders[(s, "proof_frame")] = () => Payload(file[s]["proof_frame"], FrameType.Proof, p =>
        {
            byte[] challenge = Bytes(file[s]["challenge"]);
            if (LinkProof.TryDecode(p, 0, p.Length, out LinkProof? decoded) != ProtocolError.None)
            {
                return "the proof does not decode";
            }

            byte[] otherGateway = (byte[])challenge.Clone();
            otherGateway[0] ^= 1;
            return Hex(LinkProof.HashOf(challenge, decoded!.Node, decoded.Held)) != file[s]["proof_hash"] ? "the proof's hash is not proof_hash"
                : decoded.Held.ToString("x8") != file[s]["held_bitmap"] ? "the proof holds other entries"
                : !decoded.Verify(Managed, alice.SigningKey, challenge) ? "the proof does not verify under alice's key"
                : decoded.Verify(Managed, bob.SigningKey, challenge) || decoded.Verify(Managed, alice.SigningKey, otherGateway) ? "the proof verifies where it must not" : null;
        });
    }

    /// <summary>Alice's entry 5: 982 bytes, five LoRa pieces of 197, 197, 197, 197 and 194 bytes (§5.2), one IP frame.</summary>
    private static Entry UnevenFragments(Dictionary<(string, string), string> made, Dictionary<(string, string), Func<string?>> decoders, Dictionary<string, Dictionary<string, string>> file, LocalChain aliceChain, NodeIdentity alice, ChainStore reader)
    {
        const string s = "alice entry 5";
        Entry uneven = aliceChain.Commit(EntryKind.PublicPost, BodySealing.Clear, 0, 4000, Encoding.UTF8.GetBytes(new string('~', 899)));
        Entries(made, decoders, file, s, uneven, alice, reader);
        Frame[] pieces = Fragmenter.Split(uneven.Encoded, FrameLimits.LoRa, 3, false, NodeId.HintOf(alice.Id));
        made[(s, "message_id")] = Fragment.MessageIdOf(uneven.Encoded).ToString("x8");
        made[(s, "fragment_sizes_text")] = string.Join(" ", pieces.Select(f => f.Payload.Length - Fragment.HeaderSize));
        decoders[(s, "message_id")] = () =>
        {
            byte[] entry = Bytes(file[s]["entry"]);
            var digest = new byte[MeshMessenger.Crypto.Sha256.HashSize];
            MeshMessenger.Crypto.Sha256.Hash(entry, 0, entry.Length, digest, 0);
            return Same(digest[..4], file[s]["message_id"], "the first 4 bytes of the entry's SHA-256");
        };
        Func<string?> reassembles = () => Reassembles(file[s], pieces.Length);
        for (int i = 0; i < pieces.Length; i++)
        {
            made[(s, $"lora_fragment_{i}")] = Hex(FrameCodec.Encode(pieces[i], FrameLimits.LoRa));
            decoders[(s, $"lora_fragment_{i}")] = reassembles;
        }

        made[(s, "ip_frame")] = Hex(FrameCodec.Encode(Fragmenter.Split(uneven.Encoded, FrameLimits.Ip, 3, false, NodeId.HintOf(alice.Id)).Single(), FrameLimits.Ip));
        decoders[(s, "ip_frame")] = () => Payload(file[s]["ip_frame"], FrameType.Entry, p => Same(p, file[s]["entry"], "the IP frame's payload"), FrameLimits.Ip);
        return uneven;
    }

    /// <summary>Alice's resume entry (§8.3): her chain 0..5 came back, an archive vouched for 5; the entry sits at 70 and links to 5.</summary>
    private static void Resume(Dictionary<(string, string), string> made, Dictionary<(string, string), Func<string?>> decoders, Dictionary<string, Dictionary<string, string>> file, NodeIdentity alice, ChainStore reader, Entry[] written)
    {
        var chains = new ChainStore(new MemoryEntryStore());
        var own = new LocalChain(alice, chains);
        own.BeginRestore();
        foreach (Entry back in written)
        {
            chains.Accept(back);
            own.NoteVerified(back);
        }

        own.NoteAdvertisedHead(5, 0x30, true);
        Entry? resume = own.TryFinishRestore() ? own.CommitResume(4100) : null;
        if (resume == null)
        {
            decoders[("alice entry 70", "entry")] = () => "the restore did not end with a resume entry";
            return;
        }

        Entries(made, decoders, file, "alice entry 70", resume, alice, reader);
    }

    private static (NodeIdentity Gateway, byte[] Challenge, LinkProof Proof) LinkParts(Dictionary<string, Dictionary<string, string>> file, NodeIdentity alice)
    {
        // The gateway's root is 32 bytes of 3 (the section title says so); the nonce is 0, 1, ... 15.
        NodeIdentity gateway = NodeIdentity.FromRootSecret([.. Enumerable.Repeat((byte)3, NodeIdentity.RootSecretSize)]);
        byte[] nonce = [.. Enumerable.Range(0, LinkChallenge.NonceSize).Select(i => (byte)i)];
        uint bob = NodeId.FromSigningKey(Bytes(file["identity bob"]["ed25519_public"]), 0);
        byte[] payload = new LinkChallenge(gateway.Id, nonce, [alice.Id, alice.Id, bob], [1, 2, 300]).Encode();
        return (gateway, payload, LinkProof.Answer(alice, payload, nonce, 0b011));
    }

    private static string? Reassembles(Dictionary<string, string> section, int count)
    {
        var reassembler = new Reassembler(1, 60_000);
        byte[]? whole = null;
        for (int i = 0; i < count; i++)
        {
            byte[] bytes = Bytes(section[$"lora_fragment_{i}"]);
            if (FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.LoRa, out Frame? frame) != ProtocolError.None || frame!.Type != FrameType.Fragment
                || Fragment.TryDecode(frame.Payload, out Fragment? fragment) != ProtocolError.None)
            {
                return $"fragment {i} does not decode";
            }

            reassembler.Offer(fragment!, 0, out whole);
        }

        return whole is null ? "the fragments do not reassemble" : Same(whole, section["entry"], "the reassembled entry");
    }

    private static string? Opens(string entryHex, string keyHex, byte[] plaintext)
    {
        byte[] bytes = Bytes(entryHex);
        if (EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? entry) != ProtocolError.None)
        {
            return "the entry does not decode";
        }

        byte[]? opened = BodyCipher.Open(Bytes(keyHex), entry!);
        return opened is null ? "the body does not open with that key" : Same(opened, Hex(plaintext), "the opened body");
    }

    private static string? Payload(string frameHex, FrameType type, Func<byte[], string?> check, int maxFrame = FrameLimits.LoRa)
    {
        byte[] bytes = Bytes(frameHex);
        if (FrameCodec.TryDecode(bytes, 0, bytes.Length, maxFrame, out Frame? frame) != ProtocolError.None)
        {
            return "the frame does not decode";
        }

        if (frame!.Type != type)
        {
            return $"the frame is a {frame.Type}, not a {type}";
        }

        return Hex(FrameCodec.Encode(frame, maxFrame)) != frameHex ? "the frame re-encodes to other bytes" : check(frame.Payload);
    }

    private static string? Same(byte[] actual, string expectedHex, string what) => Hex(actual) == expectedHex ? null : $"{what} is {Short(Hex(actual))}, expected {Short(expectedHex)}";

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Short(string s) => s.Length <= 24 ? s : s[..24] + "…";
}
