namespace MeshMessenger.Tests.Shared;

/// <summary>
/// The vector files a generator writes (tests/vectors/protocol/*.txt): "# comment", "[section]" or "[section: note]"
/// headers, "key = value" lines. A test regenerates each file and requires it byte for byte; MM_WRITE_VECTORS=1
/// rewrites it after an intended format change, so the diff can be reviewed.
/// </summary>
internal static class GeneratedVectors
{
    /// <summary>The copy of tests/vectors/<paramref name="relativePath"/> next to the test assembly.</summary>
    public static string StoredPath(string relativePath) => Path.Combine(AppContext.BaseDirectory, "vectors", relativePath);

    /// <summary>Requires the stored file to equal <paramref name="generated"/>; with MM_WRITE_VECTORS=1 writes it first (repository and output copies).</summary>
    public static void AssertStored(string relativePath, string generated)
    {
        string stored = StoredPath(relativePath);
        if (Environment.GetEnvironmentVariable("MM_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(Path.Combine(RepoRoot(), "tests", "vectors", relativePath), generated);
            File.WriteAllText(stored, generated);
        }

        Assert.True(File.Exists(stored), "missing " + stored + ": run with MM_WRITE_VECTORS=1 once");
        Assert.True(
            File.ReadAllText(stored).Replace("\r\n", "\n") == generated,
            "the encoding changed: review the diff of tests/vectors/" + relativePath + " after regenerating with MM_WRITE_VECTORS=1");
    }

    /// <summary>The file's sections by name (the header up to its first ':'), each a map of key to value.</summary>
    public static Dictionary<string, Dictionary<string, string>> Sections(string text)
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

    private static string RepoRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "MeshMessenger.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("MeshMessenger.sln not found above " + AppContext.BaseDirectory);
        }

        return dir;
    }
}
