using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshMessenger.Emulator.Scenarios;

/// <summary>
/// How scenario and sweep-plan files are read and written: JSON with comments and trailing commas, camelCase
/// fields, kebab-case enum names, and unknown fields refused so a typo is an error, not a silent default.
/// </summary>
internal static class ScenarioJson
{
    /// <summary>The serializer settings of every scenario-like file.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Reads <paramref name="path"/>; a missing, empty or malformed file is a <see cref="ScenarioException"/> naming it.</summary>
    public static T Read<T>(string path)
        where T : class
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException($"no file at {path}");
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{path}: {e.Message}");
        }

        return value ?? throw new ScenarioException($"{path} is empty");
    }
}
