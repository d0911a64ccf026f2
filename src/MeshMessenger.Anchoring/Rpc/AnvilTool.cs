namespace MeshMessenger.Anchoring.Rpc;

/// <summary>
/// Where the local development chain is installed: anvil 1.7.1 from the npm package, under .tools/anvil in the
/// repository (tests/setup.sh) or under ~/.cache/meshmessenger/anvil (<see cref="LocalDevChain.EnsureInstalled"/>).
/// </summary>
public static class AnvilTool
{
    /// <summary>The path inside the repository.</summary>
    public static readonly string RelativePath = Path.Combine(".tools", "anvil", BinaryInPackage);

    /// <summary>The npm prefix in the user's cache that <see cref="LocalDevChain.EnsureInstalled"/> installs into.</summary>
    public static readonly string CacheFolder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "meshmessenger", "anvil");

    /// <summary>The path in the user's cache.</summary>
    public static readonly string InCache = Path.Combine(CacheFolder, BinaryInPackage);

    private const string BinaryInPackage = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    /// <summary>The anvil executable, looked for above the program's folder and the current folder, then in the cache; null if not installed.</summary>
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

        return File.Exists(InCache) ? InCache : null;
    }
}
