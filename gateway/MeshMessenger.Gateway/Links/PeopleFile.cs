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

    private string? _written;

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

    /// <summary>Writes the file atomically (a new file renamed over the old), mode 0600, unless nothing changed since the last write.</summary>
    public void Save(IEnumerable<PersonRecord> people)
    {
        string text = JsonSerializer.Serialize(people, Json);
        if (text == _written)
        {
            return; // most calls only read (a page refreshing its chats)
        }

        string temporary = Path + ".new";
        File.WriteAllText(temporary, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, Path, overwrite: true);
        _written = text;
    }
}
