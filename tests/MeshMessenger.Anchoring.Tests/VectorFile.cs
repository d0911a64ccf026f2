namespace MeshMessenger.Anchoring.Tests;

/// <summary>Reads the vector files in tests/vectors/ethereum: '#' comments, "[section]" headers, "key: value" or "a | b" lines.</summary>
internal static class VectorFile
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "vectors", name);

    public static IEnumerable<string> Lines(string name) =>
        File.ReadLines(Path(name)).Where(l => !l.StartsWith('#') && l.Trim().Length > 0);

    public static Dictionary<string, Dictionary<string, string>> Sections(string name)
    {
        var sections = new Dictionary<string, Dictionary<string, string>> { [""] = [] };
        string current = "";
        foreach (string line in Lines(name))
        {
            if (line.StartsWith('['))
            {
                current = line.Trim('[', ']');
                sections[current] = [];
                continue;
            }

            int colon = line.IndexOf(':');
            sections[current][line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return sections;
    }

    public static (string Left, string Right) Pair(string line)
    {
        string[] parts = line.Split('|');
        return (parts[0].Trim(), parts[1].Trim());
    }
}
