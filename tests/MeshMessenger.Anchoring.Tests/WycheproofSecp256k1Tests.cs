using System.Security.Cryptography;
using System.Text.Json;
using MeshMessenger.Anchoring.Ethereum;
using Org.BouncyCastle.Math;

namespace MeshMessenger.Anchoring.Tests;

/// <summary>
/// Every Wycheproof ECDSA secp256k1/SHA-256 vector (copied from ../shared/vectors/wycheproof at commit
/// dac1dd47, Apache-2.0): valid signatures verify, invalid ones (bad DER, out-of-range r or s, wrong
/// points) are refused. The "_bitcoin" file also requires low s, as Ethereum does (EIP-2).
/// </summary>
public sealed class WycheproofSecp256k1Tests
{
    [Theory]
    [InlineData("ecdsa_secp256k1_sha256_test.json", false)]
    [InlineData("ecdsa_secp256k1_sha256_bitcoin_test.json", true)]
    public void Every_vector_gets_the_expected_answer(string file, bool requireLowS)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFile.Path(file)));
        int count = 0;
        var wrong = new List<string>();
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            byte[] publicKey = Convert.FromHexString(group.GetProperty("publicKey").GetProperty("uncompressed").GetString()!);
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                count++;
                byte[] hash = SHA256.HashData(Convert.FromHexString(test.GetProperty("msg").GetString()!));
                byte[] der = Convert.FromHexString(test.GetProperty("sig").GetString()!);
                bool ok = Secp256k1.TryDecodeDer(der, out BigInteger r, out BigInteger s) && Secp256k1.Verify(publicKey, hash, r, s, requireLowS);
                string result = test.GetProperty("result").GetString()!;
                if ((result == "valid" && !ok) || (result == "invalid" && ok))
                {
                    wrong.Add($"tcId {test.GetProperty("tcId").GetInt32()} ({result}): got {(ok ? "accepted" : "refused")}");
                }
            }
        }

        Assert.Equal(doc.RootElement.GetProperty("numberOfTests").GetInt32(), count);
        Assert.Empty(wrong);
    }
}
