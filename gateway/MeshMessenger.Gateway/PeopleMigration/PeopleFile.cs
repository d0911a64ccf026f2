using System.Text.Json;

namespace MeshMessenger.Gateway.PeopleMigration;

/// <summary>
/// data/people.json, written by earlier releases that hosted people in the gateway: each person's name, backup
/// code (their secret), address book, channel invites, read marks and the hash of their browser's access key.
/// This release only reads it, and rewrites it without a person once that person's browser has taken their
/// identity (<see cref="PendingMigrations"/>); the file is deleted when nobody is left in it.
/// </summary>
public sealed class PeopleFile(string path)
{
    /// <summary>A larger file is refused unread: 64 people with long address books fit easily.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>An unfinished write of an earlier release or of <see cref="Rewrite"/>; it may hold secrets.</summary>
    public string Leftover => Path + ".new";

    /// <summary>The people in the file; none if it does not exist.</summary>
    /// <exception cref="PeopleFileException">The file exists but is too large, not a JSON array of people, or cannot be read.</exception>
    public List<PersonRecord> Load()
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxBytes)
            {
                throw new PeopleFileException(Path, $"{stream.Length} bytes, more than the {MaxBytes} a people file may have");
            }

            return [.. (JsonSerializer.Deserialize<List<PersonRecord?>>(stream, Json) ?? []).OfType<PersonRecord>()];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (JsonException e)
        {
            throw new PeopleFileException(Path, e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new PeopleFileException(Path, e.Message, e);
        }
    }

    /// <summary>
    /// Replaces the file by one holding only <paramref name="people"/>, durably: a new file (mode 0600) is written
    /// and fsynced, renamed over the old one, and the folder fsynced, so after a crash the file is either the old
    /// or the new one, never a mix (rename(2) is atomic, POSIX.1-2017). With nobody left the file is deleted.
    /// </summary>
    /// <exception cref="IOException">The file could not be written or deleted.</exception>
    public void Rewrite(IReadOnlyList<PersonRecord> people)
    {
        if (people.Count == 0)
        {
            DurableFiles.Delete(Path);
            return;
        }

        DurableFiles.WriteAtomically(Path, JsonSerializer.SerializeToUtf8Bytes(people, Json));
    }

    /// <summary>Deletes <see cref="Leftover"/> if it is there; true if it was.</summary>
    public bool RemoveLeftover()
    {
        if (!File.Exists(Leftover))
        {
            return false;
        }

        DurableFiles.Delete(Leftover);
        return true;
    }
}
