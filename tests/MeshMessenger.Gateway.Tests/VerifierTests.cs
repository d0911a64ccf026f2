using System.Text.Json;
using MeshMessenger.Gateway.Ingest;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Gateway.Tests;

/// <summary>The gateway's libsodium verifier gives the managed strict verifier's answer on every Wycheproof Ed25519 vector.</summary>
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
}
