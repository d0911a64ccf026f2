using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Tests.Support;
using MeshMessenger.Tests.Shared;

namespace MeshMessenger.Protocol.Tests;

public sealed class ProtocolVectorTests
{
    private static readonly string FilePath = GeneratedVectors.StoredPath("protocol/protocol-v1.txt");

    [Fact]
    public void Stored_vectors_match_what_the_encoder_produces_today()
    {
        GeneratedVectors.AssertStored("protocol/protocol-v1.txt", ProtocolVectorSet.Generate());
    }

    [Fact]
    public void Stored_vectors_verify_and_open_independently_of_the_generator()
    {
        var s = GeneratedVectors.Sections(File.ReadAllText(FilePath));
        byte[] alicePk = Convert.FromHexString(s["identity alice"]["ed25519_public"]);
        Assert.Equal(s["identity alice"]["node_id"], NodeId.FromSigningKey(alicePk, 0).ToString("x8"));
        Assert.Equal(ProtocolError.None, ContactCard.TryParse(s["identity bob"]["contact_card_text"], out ContactCard? bobCard));
        Assert.Equal("Bob", bobCard!.Profile.Name);
        Assert.Equal(ProtocolError.None, BackupCode.TryRestore(s["identity alice"]["backup_code_text"], out NodeIdentity? restored));
        Assert.Equal(alicePk, restored!.SigningKey);

        var dmSection = s["alice entry 1"];
        byte[] frameBytes = Convert.FromHexString(dmSection["lora_frame"]);
        Assert.Equal(FrameLimits.LoRa, frameBytes.Length);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(frameBytes, 0, frameBytes.Length, FrameLimits.LoRa, out Frame? frame));
        Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(frame!.Payload, 0, frame.Payload.Length, out Entry? dm));
        Assert.Equal(dmSection["entry_hash"], Convert.ToHexStringLower(EntryHash.Of(dm!, alicePk)));
        Assert.True(EntryHash.Verify(dm!, alicePk, EntryHash.Of(dm!, alicePk)));
        byte[]? plain = BodyCipher.Open(Convert.FromHexString(dmSection["direct_key"]), dm!);
        Assert.Equal(dmSection["plaintext_text"], System.Text.Encoding.UTF8.GetString(plain!));
        Assert.True(plain!.Length >= 150, "the vector DM should show a full 150-byte text in one frame");

        var chains = new ChainStore(new MemoryEntryStore());
        foreach (string name in new[] { "alice entry 0", "alice entry 1", "alice entry 2", "alice entry 3", "alice entry 4", "alice entry 5" })
        {
            byte[] bytes = Convert.FromHexString(s[name]["entry"]);
            Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? e));
            Assert.Equal(ChainVerdict.Accepted, chains.Accept(e!));
        }
    }

    [Fact]
    public void Stored_link_proof_vector_decodes_and_verifies_under_alice_s_key_for_that_challenge_only()
    {
        var s = GeneratedVectors.Sections(File.ReadAllText(FilePath));
        var v = s["link proof"];
        byte[] alicePk = Convert.FromHexString(s["identity alice"]["ed25519_public"]);
        byte[] bobPk = Convert.FromHexString(s["identity bob"]["ed25519_public"]);
        byte[] challengeFrame = Convert.FromHexString(v["challenge_frame"]);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(challengeFrame, 0, challengeFrame.Length, FrameLimits.LoRa, out Frame? cf));
        Assert.Equal(FrameType.Challenge, cf!.Type);
        Assert.Equal(0, cf.HopLimit);
        Assert.Equal(ProtocolError.None, LinkChallenge.TryDecode(cf.Payload, 0, cf.Payload.Length, out LinkChallenge? challenge));
        Assert.Equal(v["gateway_node_id"], challenge!.Gateway.ToString("x8"));
        Assert.Equal(3, challenge.Count);
        Assert.Equal(v["challenge"], Convert.ToHexStringLower(cf.Payload));

        byte[] proofFrame = Convert.FromHexString(v["proof_frame"]);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(proofFrame, 0, proofFrame.Length, FrameLimits.LoRa, out Frame? pf));
        Assert.Equal(FrameType.Proof, pf!.Type);
        Assert.Equal(ProtocolError.None, LinkProof.TryDecode(pf.Payload, 0, pf.Payload.Length, out LinkProof? proof));
        Assert.Equal(v["proof_hash"], Convert.ToHexStringLower(LinkProof.HashOf(cf.Payload, proof!.Node, proof.Held)));
        Assert.True(proof.Holds(0) && proof.Holds(1) && !proof.Holds(2));
        var verifier = new Platform.Ed25519SignatureVerifier();
        Assert.True(proof.Verify(verifier, alicePk, cf.Payload));
        Assert.False(proof.Verify(verifier, bobPk, cf.Payload));
        byte[] otherGateway = (byte[])cf.Payload.Clone();
        otherGateway[0] ^= 1;
        Assert.False(proof.Verify(verifier, alicePk, otherGateway));
    }

    [Fact]
    public void Stored_uneven_fragments_have_the_stated_sizes_and_id_and_reassemble_to_the_entry()
    {
        var v = GeneratedVectors.Sections(File.ReadAllText(FilePath))["alice entry 5"];
        byte[] entry = Convert.FromHexString(v["entry"]);
        Assert.Equal(982, entry.Length);
        Assert.Equal(v["message_id"], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(entry)[..4]));
        var reassembler = new Reassembler(1, 60_000);
        byte[]? whole = null;
        var sizes = new List<int>();
        for (int i = 0; v.TryGetValue($"lora_fragment_{i}", out string? hex); i++)
        {
            byte[] bytes = Convert.FromHexString(hex);
            Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(bytes, 0, bytes.Length, FrameLimits.LoRa, out Frame? frame));
            Assert.Equal(ProtocolError.None, Fragment.TryDecode(frame!.Payload, out Fragment? piece));
            Assert.Equal(v["message_id"], piece!.MessageId.ToString("x8"));
            sizes.Add(piece.Data.Length);
            reassembler.Offer(piece, 0, out byte[]? done);
            whole ??= done;
        }

        Assert.Equal([197, 197, 197, 197, 194], sizes);
        Assert.Equal(v["fragment_sizes_text"], string.Join(" ", sizes));
        Assert.Equal(entry, whole);

        // On an IP link the same entry fits one frame.
        byte[] ip = Convert.FromHexString(v["ip_frame"]);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(ip, 0, ip.Length, FrameLimits.Ip, out Frame? ipFrame));
        Assert.Equal(FrameType.Entry, ipFrame!.Type);
        Assert.Equal(entry, ipFrame.Payload);
    }

    [Fact]
    public void Stored_ack_frame_moves_alice_s_message_to_relayed_and_nothing_else()
    {
        var s = GeneratedVectors.Sections(File.ReadAllText(FilePath));
        byte[] ack = Convert.FromHexString(s["ack"]["ack_frame"]);
        Assert.Equal(ProtocolError.None, FrameCodec.TryDecode(ack, 0, ack.Length, FrameLimits.LoRa, out Frame? frame));
        Assert.Equal(FrameType.Ack, frame!.Type);
        Assert.Equal(s["identity alice"]["node_id"] + "01", Convert.ToHexStringLower(frame.Payload));

        var clock = new TestClock();
        Node.MessengerNode alice = TestLink.Node(1, "alice", clock);
        Node.MessengerNode bob = TestLink.Node(2, "bob", clock);
        Assert.True(alice.AddContact(ContactCard.Create(Identities.Fixed(2), "Bob", null)));
        uint sequence = alice.SendText(bob.Id, "hello");
        Assert.Equal(1u, sequence);
        Assert.Equal(Receipts.MessageState.Sent, alice.Tracker.StateOf(1));

        // Bob's node takes the Ack about someone else's entry and changes nothing; alice's node marks Relayed.
        Assert.Equal(ProtocolError.None, bob.Receive(ack, 0, ack.Length));
        Assert.Equal(ProtocolError.None, alice.Receive(ack, 0, ack.Length));
        Assert.Equal(Receipts.MessageState.Relayed, alice.Tracker.StateOf(1));
        Assert.Equal(s["ack"]["ack_frame"], Convert.ToHexStringLower(FrameCodec.Encode(new Frame(FrameType.Ack, 0, 0, false, NodeId.HintOf(alice.Id), NodeId.HintOf(bob.Id), new EntryReference(alice.Id, 1).Encode()), FrameLimits.LoRa)));
    }
}
