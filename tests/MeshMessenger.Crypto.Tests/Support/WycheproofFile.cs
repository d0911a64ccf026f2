using System.Text.Json;

namespace MeshMessenger.Crypto.Tests.Support;

/// <summary>
/// Loads a Project Wycheproof test file (testvectors_v1 format, C2SP/wycheproof doc/files.md) copied into
/// tests/vectors/wycheproof from ../shared/vectors. Each case carries its group's fields so that a test
/// can read key sizes, public keys and tag sizes from one object.
/// </summary>
internal sealed class WycheproofFile
{
    private WycheproofFile(string algorithm, int numberOfTests, IReadOnlyList<WycheproofCase> cases)
    {
        Algorithm = algorithm;
        NumberOfTests = numberOfTests;
        Cases = cases;
    }

    public string Algorithm { get; }

    /// <summary>The count the file declares; tests assert that they ran exactly this many.</summary>
    public int NumberOfTests { get; }

    public IReadOnlyList<WycheproofCase> Cases { get; }

    public static WycheproofFile Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "vectors", "wycheproof", fileName);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = document.RootElement;
        var cases = new List<WycheproofCase>();
        foreach (JsonElement group in root.GetProperty("testGroups").EnumerateArray())
        {
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                cases.Add(new WycheproofCase(group.Clone(), test.Clone()));
            }
        }

        return new WycheproofFile(
            root.GetProperty("algorithm").GetString() ?? "",
            root.GetProperty("numberOfTests").GetInt32(),
            cases);
    }
}
