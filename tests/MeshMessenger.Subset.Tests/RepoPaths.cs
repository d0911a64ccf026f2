namespace MeshMessenger.Subset.Tests;

internal static class RepoPaths
{
    /// <summary>The repository root: the folder above the test binaries that holds MeshMessenger.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MeshMessenger.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MeshMessenger.sln not found above " + AppContext.BaseDirectory);
    }
}
