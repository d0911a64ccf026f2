using Microsoft.CodeAnalysis;

namespace MeshMessenger.Subset.Tests;

/// <summary>Each rule rejects its fixture; the allowed fixture passes; the real subset sources pass.</summary>
public sealed class SubsetRuleTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(RepoPaths.Fixtures, "*.cs", SearchOption.AllDirectories).Order())
        {
            data.Add(Path.GetRelativePath(RepoPaths.Fixtures, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_gets_the_diagnostic_it_declares(string fixture)
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Fixtures, fixture));
        string[] expect = text[..text.IndexOf('\n')].Replace("// expect:", "").Trim().Split(' ', 2);

        IReadOnlyList<Diagnostic> diagnostics = SubsetAnalysis.Analyze([(fixture, text)]);

        string report = string.Join("\n", diagnostics.Select(d => d.ToString()));
        if (expect[0] == "none")
        {
            Assert.True(diagnostics.Count == 0, report);
            return;
        }

        // A banned-API fixture names its BannedSymbols.txt entry; the diagnostic must carry that entry's reason.
        string? reason = expect.Length > 1 ? BannedReasons()[expect[1]] : null;
        bool found = diagnostics.Any(d => d.Id == expect[0] && (reason == null || d.GetMessage().Contains(reason, StringComparison.Ordinal)));
        Assert.True(found, $"{fixture}: expected {string.Join(' ', expect)}, got:\n{report}");
    }

    [Fact]
    public void Every_rule_of_both_checks_has_a_fixture()
    {
        var headers = Directory.GetFiles(RepoPaths.Fixtures, "*.cs", SearchOption.AllDirectories)
            .Select(f => File.ReadLines(f).First().Replace("// expect:", "").Trim())
            .ToList();
        foreach (DiagnosticDescriptor rule in new MeshMessenger.SubsetAnalyzers.SubsetSyntaxAnalyzer().SupportedDiagnostics)
        {
            Assert.Contains(rule.Id, headers);
        }

        // Overloads of one banned method share a fixture: compare method entries by name.
        static string Key(string id) => id.Split('(')[0].Split("``")[0];
        var covered = headers.Where(h => h.StartsWith("RS0030 ", StringComparison.Ordinal)).Select(h => Key(h[7..])).ToHashSet();
        foreach (string id in BannedReasons().Keys)
        {
            Assert.True(covered.Contains(Key(id)), $"no fixture exercises {id}");
        }
    }

    private static Dictionary<string, string> BannedReasons() =>
        File.ReadLines(SubsetAnalysis.BannedSymbolsPath)
            .Where(l => l.Length > 0)
            .ToDictionary(l => l[..l.IndexOf(';')], l => l[(l.IndexOf(';') + 1)..]);

    [Fact]
    public void Every_subset_project_passes_both_checks()
    {
        IReadOnlyList<string> projects = SubsetProjects.All();
        Assert.NotEmpty(projects);
        foreach (string project in projects)
        {
            string folder = Path.GetDirectoryName(project)!;
            var sources = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                .Select(f => (f, File.ReadAllText(f)))
                .ToList();
            IReadOnlyList<Diagnostic> diagnostics = SubsetAnalysis.Analyze(sources);
            Assert.True(diagnostics.Count == 0, $"{project}:\n{string.Join("\n", diagnostics)}");
        }
    }
}
