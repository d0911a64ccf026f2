using System.Xml.Linq;

namespace MeshMessenger.Subset.Tests;

/// <summary>Finds the projects marked &lt;NanoSubset&gt;true&lt;/NanoSubset&gt; in the product folders.</summary>
internal static class SubsetProjects
{
    public static IReadOnlyList<string> All() =>
        AllProjects().Where(IsSubset).ToList();

    public static IEnumerable<string> AllProjects() =>
        new[] { "src", "firmware", "gateway" }
            .Select(f => Path.Combine(RepoPaths.Root, f))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.GetFiles(f, "*.csproj", SearchOption.AllDirectories))
            .Order();

    public static bool IsSubset(string project) =>
        XDocument.Load(project).Descendants("NanoSubset").Any(e => e.Value.Trim() == "true");
}
