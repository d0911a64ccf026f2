using System.Collections.Immutable;
using System.Reflection;
using MeshMessenger.SubsetAnalyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MeshMessenger.Subset.Tests;

/// <summary>
/// Runs the two subset checks exactly as a subset build does: our <see cref="SubsetSyntaxAnalyzer"/> and the real
/// BannedApiAnalyzer from its NuGet package, with the repository's BannedSymbols.txt.
/// </summary>
internal static class SubsetAnalysis
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> Analyzers = new(() =>
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "bannedapi");
        var banned = Directory.GetFiles(folder, "*.dll")
            .Select(Assembly.LoadFrom)
            .SelectMany(LoadableTypes)
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToList();
        if (banned.Count == 0)
        {
            throw new InvalidOperationException($"no BannedApiAnalyzer found in {folder}");
        }

        return [new SubsetSyntaxAnalyzer(), .. banned];
    });

    /// <summary>The package's code-fix types need Roslyn's Workspaces, which tests do not load; the analyzers do not.</summary>
    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t != null)!;
        }
    }

    public static string BannedSymbolsPath => Path.Combine(AppContext.BaseDirectory, "BannedSymbols.txt");

    /// <summary>Analyzer diagnostics (compiler errors excluded: fixtures may not compile on purpose).</summary>
    public static IReadOnlyList<Diagnostic> Analyze(IEnumerable<(string Path, string Text)> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree[] trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToArray();
        var compilation = CSharpCompilation.Create(
            "SubsetCheck",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        var options = new AnalyzerOptions([new FileText(BannedSymbolsPath)]);
        return compilation.WithAnalyzers(Analyzers.Value, options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToList();
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }
}
