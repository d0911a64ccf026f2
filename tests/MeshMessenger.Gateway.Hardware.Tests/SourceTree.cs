namespace MeshMessenger.Gateway.Hardware.Tests;

/// <summary>The repository's hardware/ folder, found from the test's output directory.</summary>
internal static class SourceTree
{
    public static string BoardsDirectory
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MeshMessenger.sln")))
                {
                    return Path.Combine(dir.FullName, "hardware", "boards");
                }
            }

            throw new InvalidOperationException("MeshMessenger.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
