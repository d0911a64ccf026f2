namespace MeshMessenger.Crypto.Tests.Support;

/// <summary>
/// Reads the official test vectors kept in tests/vectors/rfc: '#' lines are comments, a case is a block of
/// "name = value" lines, blank lines separate cases. Values are hex, except names ending in "_ascii".
/// </summary>
internal sealed class RfcVectorFile
{
    private RfcVectorFile(IReadOnlyList<RfcVector> cases) => Cases = cases;

    public IReadOnlyList<RfcVector> Cases { get; }

    public static RfcVectorFile Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "vectors", "rfc", fileName);
        var cases = new List<RfcVector>();
        var current = new Dictionary<string, string>();
        foreach (string raw in File.ReadAllLines(path).Append(""))
        {
            string line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.Length == 0)
            {
                if (current.Count > 0)
                {
                    cases.Add(new RfcVector(current));
                    current = [];
                }

                continue;
            }

            int eq = line.IndexOf('=');
            current[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }

        return new RfcVectorFile(cases);
    }
}
