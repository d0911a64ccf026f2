namespace MeshMessenger.Anchoring.Rpc;

/// <summary>Where tests/setup.sh puts the local development chain: anvil 1.7.1 from the npm package, under .tools/anvil in the repository.</summary>
public static class AnvilTool
{
    /// <summary>The path inside the repository.</summary>
    public static readonly string RelativePath = Path.Combine(".tools", "anvil", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

    /// <summary>The anvil executable, looked for above the program's folder and the current folder; null if not installed.</summary>
    public static string? Find()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
