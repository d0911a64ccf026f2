using System.Text.Json;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// The people who joined through the web app, kept in data/people.json so that they are still themselves after a
/// restart: name, backup code (their secret, so the file is readable by its owner only), address book, channel
/// invites and how far they have read.
/// </summary>
public sealed class PeopleFile(string path)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>The saved people; none if the file does not exist or cannot be read (the reason is returned).</summary>
    public (List<PersonRecord> People, string? Problem) Load()
    {
        if (!File.Exists(Path))
        {
            return ([], null);
        }

        try
        {
            return (JsonSerializer.Deserialize<List<PersonRecord>>(File.ReadAllText(Path), Json) ?? [], null);
        }
        catch (JsonException e)
        {
            return ([], $"{Path} is not a people file: {e.Message}");
        }
    }

    /// <summary>Writes the file atomically (a new file renamed over the old), mode 0600.</summary>
    public void Save(IEnumerable<PersonRecord> people)
    {
        string temporary = Path + ".new";
        File.WriteAllText(temporary, JsonSerializer.Serialize(people, Json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
