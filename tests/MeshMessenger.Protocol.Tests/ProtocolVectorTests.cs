using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Links;
using MeshMessenger.Protocol.Sealing;
using MeshMessenger.Protocol.Tests.Support;

namespace MeshMessenger.Protocol.Tests;

public sealed class ProtocolVectorTests
{
    private static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "vectors", "protocol", "protocol-v1.txt");

    private static Dictionary<string, Dictionary<string, string>> Sections(string text)
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                current = [];
                result[line[1..^1].Split(':')[0]] = current;
                continue;
            }

            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            current![line[..eq]] = line[(eq + 3)..];
        }

        return result;
    }

    [Fact]
    public void Stored_vectors_match_what_the_encoder_produces_today()
    {
        string generated = ProtocolVectorSet.Generate();
        if (Environment.GetEnvironmentVariable("MM_WRITE_VECTORS") == "1")
        {
            string repoFile = Path.Combine(RepoRoot(), "tests", "vectors", "protocol", "protocol-v1.txt");
            File.WriteAllText(repoFile, generated);
            File.WriteAllText(FilePath, generated);
        }

        Assert.True(File.Exists(FilePath), "missing " + FilePath);
        string stored = File.ReadAllText(FilePath).Replace("\r\n", "\n");
        Assert.True(stored == generated, "the wire format changed: review the diff of tests/vectors/protocol/protocol-v1.txt after regenerating with MM_WRITE_VECTORS=1");
    }

    [Fact]
    public void Stored_vectors_verify_and_open_independently_of_the_generator()
    {
        var s = Sections(File.ReadAllText(FilePath));
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
        foreach (string name in new[] { "alice entry 0", "alice entry 1", "alice entry 2", "alice entry 3", "alice entry 4" })
        {
            byte[] bytes = Convert.FromHexString(s[name]["entry"]);
            Assert.Equal(ProtocolError.None, EntryCodec.TryDecode(bytes, 0, bytes.Length, out Entry? e));
            Assert.Equal(ChainVerdict.Accepted, chains.Accept(e!));
        }
    }

    [Fact]
    public void Stored_link_proof_vector_decodes_and_verifies_under_alice_s_key_for_that_challenge_only()
    {
        var s = Sections(File.ReadAllText(FilePath));
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

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MeshMessenger.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
