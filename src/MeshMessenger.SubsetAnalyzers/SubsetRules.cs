using Microsoft.CodeAnalysis;

namespace MeshMessenger.SubsetAnalyzers;

/// <summary>
/// The language features nanoFramework 1.x cannot run, one diagnostic each. The ids are stable: docs and
/// fixtures refer to them (docs/nanoframework-subset.md).
/// </summary>
internal static class SubsetRules
{
    private const string Category = "NanoFrameworkSubset";
    private const string HelpLink = "docs/nanoframework-subset.md";

    public static readonly DiagnosticDescriptor GenericDeclaration = Rule(
        "MMS001", "Generic declaration", "'{0}' declares type parameters; nanoFramework 1.x has no generics: write a concrete type (for collections, a fixed-capacity array-backed one)");

    public static readonly DiagnosticDescriptor GenericUse = Rule(
        "MMS002", "Generic type or method used", "'{0}' is generic; nanoFramework 1.x has no generics: use arrays, byte[] with offset and length, or a concrete type");

    public static readonly DiagnosticDescriptor Record = Rule(
        "MMS003", "Record", "Records need IEquatable<T>, which nanoFramework lacks: declare a class or struct");

    public static readonly DiagnosticDescriptor Tuple = Rule(
        "MMS004", "Tuple", "Tuples need ValueTuple, which nanoFramework lacks: declare a small struct or use out parameters");

    public static readonly DiagnosticDescriptor Async = Rule(
        "MMS005", "async or await", "nanoFramework has no Task or async state machines: write a synchronous state machine driven by the caller");

    public static readonly DiagnosticDescriptor NullableValueType = Rule(
        "MMS006", "Nullable value type", "'{0}' needs Nullable<T>, which nanoFramework 1.x lacks: use a sentinel value or a bool flag");

    public static readonly DiagnosticDescriptor MultidimensionalArray = Rule(
        "MMS007", "Multidimensional array", "nanoFramework has no multidimensional arrays: use a jagged array or index a flat one");

    public static readonly DiagnosticDescriptor StackAlloc = Rule(
        "MMS008", "stackalloc", "stackalloc needs Span<T> or pointers, neither of which nanoFramework 1.x has: use a preallocated byte[]");

    public static readonly DiagnosticDescriptor Unsafe = Rule(
        "MMS009", "Unsafe code", "nanoFramework's interpreter does not run unsafe code or pointers: use arrays and indices");

    public static readonly DiagnosticDescriptor QuerySyntax = Rule(
        "MMS010", "LINQ query", "LINQ query syntax needs System.Linq and generics, absent on nanoFramework: write the loop");

    public static readonly DiagnosticDescriptor DefaultInterfaceMember = Rule(
        "MMS011", "Default interface member", "'{0}' has a body in an interface; nanoFramework's runtime does not support default interface members: implement it in the classes");

    public static readonly DiagnosticDescriptor Dynamic = Rule(
        "MMS012", "dynamic", "dynamic needs the DLR, absent on nanoFramework: use a concrete type");

    private static DiagnosticDescriptor Rule(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Subset projects (<NanoSubset>true</NanoSubset>) must also compile and run on nanoFramework 1.x.",
            helpLinkUri: HelpLink);
}
