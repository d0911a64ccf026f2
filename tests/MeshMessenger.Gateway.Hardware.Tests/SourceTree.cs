namespace MeshMessenger.Gateway.Hardware.Tests;

/// <summary>The repository's folders, found from the test's output directory.</summary>
internal static class SourceTree
{
    public static string BoardsDirectory => Path.Combine(Root, "hardware", "boards");

    /// <summary>The repository's root folder (where MeshMessenger.sln is).</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MeshMessenger.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("MeshMessenger.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
