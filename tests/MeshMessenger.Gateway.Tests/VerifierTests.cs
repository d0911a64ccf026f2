using System.Text.Json;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The gateway's libsodium verifier gives the managed strict verifier's answer on every Wycheproof Ed25519 vector and refuses each strict-rule negative vector.</summary>
public sealed class VerifierTests
{
    [Fact]
    public void NSec_and_the_managed_verifier_agree_on_every_Wycheproof_vector()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "ed25519_test.json")));
        var nsec = new NSecVerifier();
        var managed = new Ed25519SignatureVerifier();
        int checkedCount = 0;
        var disagreements = new List<string>();
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            byte[] pk = Convert.FromHexString(group.GetProperty("publicKey").GetProperty("pk").GetString()!);
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                byte[] msg = Convert.FromHexString(test.GetProperty("msg").GetString()!);
                byte[] sig = Convert.FromHexString(test.GetProperty("sig").GetString()!);
                bool expected = test.GetProperty("result").GetString() == "valid";
                bool viaNSec = sig.Length == 64 && pk.Length == 32 && nsec.Verify(pk, msg, sig, 0);
                bool viaManaged = sig.Length == 64 && pk.Length == 32 && managed.Verify(pk, msg, sig, 0);
                if (viaNSec != viaManaged || viaNSec != expected)
                {
                    disagreements.Add($"tcId {test.GetProperty("tcId").GetInt32()}: expected {expected}, NSec {viaNSec}, managed {viaManaged}");
                }

                checkedCount++;
            }
        }

        Assert.Equal(doc.RootElement.GetProperty("numberOfTests").GetInt32(), checkedCount);
        Assert.Empty(disagreements);
    }

    [Fact]
    public void NSec_refuses_every_signature_that_breaks_one_strict_rule_as_the_managed_verifier_does()
    {
        // The "signature:" sections of negative-v1.txt (docs/protocol.md §3.3): S >= L, non-canonical R, small-order R,
        // small-order A, non-canonical A, each satisfying the equation a verifier without that rule checks.
        var cases = new List<(string Public, string Message, string Signature)>();
        Dictionary<string, string>? section = null;
        foreach (string line in File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "negative-v1.txt")).Split('\n').Select(l => l.TrimEnd('\r')).Append("["))
        {
            if (line.StartsWith('['))
            {
                if (section is not null && section["decoder_text"] == "signature")
                {
                    cases.Add((section["public"], section["message"], section["signature"]));
                }

                section = [];
            }
            else if (section is not null && line.IndexOf(" = ", StringComparison.Ordinal) is int eq and > 0)
            {
                section[line[..eq]] = line[(eq + 3)..];
            }
        }

        Assert.Equal(5, cases.Count);
        var nsec = new NSecVerifier();
        var managed = new Ed25519SignatureVerifier();
        foreach ((string pk, string msg, string sig) in cases)
        {
            Assert.False(nsec.Verify(Convert.FromHexString(pk), Convert.FromHexString(msg), Convert.FromHexString(sig), 0), $"NSec accepts {pk} {sig}");
            Assert.False(managed.Verify(Convert.FromHexString(pk), Convert.FromHexString(msg), Convert.FromHexString(sig), 0), $"managed accepts {pk} {sig}");
        }
    }
}
