namespace MeshMessenger.Gateway.PeopleMigration;

/// <summary>data/people.json cannot be read: too large, not JSON of the expected shape, or not readable. The message names the file.</summary>
public sealed class PeopleFileException(string path, string reason, Exception? inner = null) : Exception($"{path} is not a readable people file: {reason}", inner)
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;
}
