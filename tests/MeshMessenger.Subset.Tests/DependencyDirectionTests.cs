using System.Xml.Linq;

namespace MeshMessenger.Subset.Tests;

/// <summary>Host projects may depend on subset projects, never the reverse (docs/nanoframework-subset.md).</summary>
public sealed class DependencyDirectionTests
{
    [Fact]
    public void Subset_projects_reference_only_subset_projects_and_no_packages()
    {
        var problems = new List<string>();
        foreach (string project in SubsetProjects.All())
        {
            XDocument xml = XDocument.Load(project);
            foreach (XElement package in xml.Descendants("PackageReference"))
            {
                problems.Add($"{project}: package {package.Attribute("Include")?.Value} (subset code must build against nanoFramework's mscorlib alone)");
            }

            foreach (XElement reference in xml.Descendants("ProjectReference"))
            {
                string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value));
                if (!File.Exists(target) || !SubsetProjects.IsSubset(target))
                {
                    problems.Add($"{project}: references host project {target}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void The_crypto_library_is_a_subset_project_and_the_cli_is_not()
    {
        IReadOnlyList<string> subset = SubsetProjects.All();
        Assert.Contains(subset, p => p.EndsWith("MeshMessenger.Crypto.csproj", StringComparison.Ordinal));
        Assert.DoesNotContain(subset, p => p.EndsWith("MeshMessenger.Cli.csproj", StringComparison.Ordinal));
    }
}
