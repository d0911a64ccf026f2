using System.Text.Json.Serialization;

namespace MeshMessenger.Cli.Host;

/// <summary>Source-generated JSON for <see cref="IdentityFile"/> (camelCase, indented).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IdentityFile))]
public sealed partial class IdentityFileJson : JsonSerializerContext;
