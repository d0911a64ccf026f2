using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace MeshMessenger.Subset.Tests;

/// <summary>
/// Reads the assemblies that nanoframework/ compiles against nanoFramework's own mscorlib. Generic code can still
/// compile there (the compiler emits generic metadata whatever the base library), and only the device's runtime,
/// which has no generics in 1.x, would catch it; so any generic definition or instantiation fails here, as does any
/// reference to an assembly other than mscorlib and our own nano-built assemblies (a package the device build does
/// not have).
/// </summary>
public sealed class NanoAssemblyTests
{
    private static readonly string NanoRoot = Path.Combine(RepoPaths.Root, "nanoframework");

    // What a nano-built assembly may reference: the device's base library and its sibling nano builds.
    private static readonly HashSet<string> Allowed = new HashSet<string>(
        Directory.GetFiles(NanoRoot, "*.Nano.csproj", SearchOption.AllDirectories)
            .Select(p => XDocument.Load(p).Descendants("AssemblyName").Single().Value.Trim())
            .Append("mscorlib"),
        StringComparer.Ordinal);

    public static TheoryData<string> NanoProjects()
    {
        var data = new TheoryData<string>();
        foreach (string project in Directory.GetFiles(NanoRoot, "*.Nano.csproj", SearchOption.AllDirectories).Order())
        {
            data.Add(Path.GetFileNameWithoutExtension(project));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NanoProjects))]
    public void The_nano_build_has_no_generics_and_references_only_mscorlib(string nanoProject)
    {
        string[] assemblies = BuiltAssemblies(nanoProject);
        Assert.True(
            assemblies.Length > 0,
            $"{nanoProject} has not been built: run `dotnet build nanoframework/{nanoProject} -c Release` "
            + "(or build MeshMessenger.sln, as CI does) before these tests.");
        foreach (string assembly in assemblies)
        {
            Assert.Equal(Array.Empty<string>(), Violations(assembly));
        }
    }

    [Fact]
    public void The_check_finds_generics_and_foreign_references_in_an_ordinary_assembly()
    {
        // This test assembly uses List<T>, generic methods and references System.Runtime: the check must say so.
        string[] found = Violations(typeof(NanoAssemblyTests).Assembly.Location);
        Assert.Contains(found, v => v.StartsWith("GenericParam", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("MethodSpec", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("TypeSpec", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("AssemblyRef", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_subset_project_has_a_nano_twin_that_compiles_its_sources()
    {
        var subsets = SubsetProjects.AllProjects()
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "nanoframework" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(SubsetProjects.IsSubset)
            .ToList();
        Assert.Contains(subsets, p => p.EndsWith("MeshMessenger.Protocol.csproj", StringComparison.Ordinal));
        foreach (string subset in subsets)
        {
            string name = Path.GetFileNameWithoutExtension(subset);
            string twin = Path.Combine(NanoRoot, name + ".Nano", name + ".Nano.csproj");
            Assert.True(File.Exists(twin), $"{subset} is a subset project without nanoframework/{name}.Nano/{name}.Nano.csproj; add one (see nanoframework/README.md).");

            string folder = Path.GetRelativePath(RepoPaths.Root, Path.GetDirectoryName(subset)!).Replace('\\', '/');
            XDocument doc = XDocument.Load(twin);
            var includes = doc.Descendants("Compile").Select(c => (string?)c.Attribute("Include") ?? string.Empty).ToList();
            Assert.True(
                includes.Contains("$(RepoRoot)" + folder + "/**/*.cs"),
                $"{twin} must compile $(RepoRoot){folder}/**/*.cs; it compiles [{string.Join(", ", includes)}].");
            Assert.Equal(name, doc.Descendants("AssemblyName").Select(e => e.Value.Trim()).SingleOrDefault());
        }
    }

    private static string[] BuiltAssemblies(string nanoProject)
    {
        string project = Path.Combine(NanoRoot, nanoProject, nanoProject + ".csproj");
        string name = XDocument.Load(project).Descendants("AssemblyName").Single().Value.Trim();
        return new[] { "Release", "Debug" }
            .Select(c => Path.Combine(NanoRoot, nanoProject, "bin", c, "netstandard2.0", name + ".dll"))
            .Where(File.Exists)
            .ToArray();
    }

    /// <summary>Every row that the nanoFramework 1.x runtime could not load, named by its table.</summary>
    private static string[] Violations(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var found = new List<string>();
        int genericParams = reader.GetTableRowCount(TableIndex.GenericParam);
        if (genericParams > 0)
        {
            found.Add($"GenericParam: {genericParams} rows");
        }

        int methodSpecs = reader.GetTableRowCount(TableIndex.MethodSpec);
        if (methodSpecs > 0)
        {
            found.Add($"MethodSpec: {methodSpecs} rows");
        }

        for (int row = 1; row <= reader.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            TypeSpecification spec = reader.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row));
            BlobReader blob = reader.GetBlobReader(spec.Signature);
            if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
            {
                found.Add($"TypeSpec {row}: a generic instantiation");
            }
        }

        foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
        {
            string name = reader.GetString(reader.GetAssemblyReference(handle).Name);
            if (!Allowed.Contains(name))
            {
                found.Add($"AssemblyRef: {name}");
            }
        }

        return found.ToArray();
    }
}
