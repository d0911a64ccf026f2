using System.Globalization;
using MeshMessenger.Gateway.Configuration;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Sealing;
using Microsoft.Extensions.Options;

namespace MeshMessenger.Gateway.PeopleMigration;

/// <summary>
/// The people of an earlier release's data/people.json, read once at start, waiting for their own browsers to
/// take their identities (docs/gateway.md §6, "Moving people to their browsers"). When a person's browser says it
/// holds the identity, the person is removed from the file (rewritten atomically and fsynced; deleted when nobody
/// is left) and from memory, so the gateway never serves that secret again. A file that cannot be read is
/// reported and left as it is; the gateway starts anyway.
/// </summary>
public sealed class PendingMigrations
{
    private readonly object _gate = new();
    private readonly PeopleFile _file;
    private readonly List<PendingPerson> _pending = [];
    private readonly Dictionary<uint, string> _cards = [];
    private readonly ILogger<PendingMigrations> _log;

    /// <summary>Reads data/people.json (and removes an unfinished write of it, which may hold secrets).</summary>
    public PendingMigrations(IOptions<GatewayOptions> options, ILogger<PendingMigrations> log)
    {
        _log = log;
        _file = new PeopleFile(Path.Combine(options.Value.DataDirectory, "people.json"));
        try
        {
            if (_file.RemoveLeftover())
            {
                log.LogWarning("{File}: an unfinished write of the people file was removed", _file.Leftover);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("{File} could not be removed: {Reason}", _file.Leftover, e.Message);
        }

        List<PersonRecord> records;
        try
        {
            records = _file.Load();
        }
        catch (PeopleFileException e)
        {
            log.LogError("{Problem}; nobody in it can be moved to their browser until it is fixed or removed", e.Message);
            return;
        }

        for (int i = 0; i < records.Count; i++)
        {
            if (Read(records[i]) is not { } person)
            {
                log.LogWarning("{File}: entry {Index} has no valid backup code; it is skipped and dropped when the file is next written", _file.Path, i);
                continue;
            }

            if (_pending.Any(p => p.Id == person.Id))
            {
                continue;
            }

            _pending.Add(person);
        }

        if (_pending.Count > 0)
        {
            log.LogInformation("{People} people of {File} wait for their browsers to take their identities", _pending.Count, _file.Path);
        }
    }

    /// <summary>The node ids of the people still waiting.</summary>
    public IReadOnlyList<uint> Ids
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending.Select(p => p.Id)];
            }
        }
    }

    /// <summary>The person with node id <paramref name="id"/> if they are still waiting, else null.</summary>
    public PendingPerson? Find(uint id)
    {
        lock (_gate)
        {
            return _pending.Find(p => p.Id == id);
        }
    }

    /// <summary>
    /// The contact card of someone who was in the file (made from their own identity when it was read; a card is
    /// public by design), kept after they moved, so the others' address books can still be handed over.
    /// </summary>
    public string? CardOf(uint id)
    {
        lock (_gate)
        {
            return _cards.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// The browser of <paramref name="id"/> holds their identity now: removes them from people.json durably, then
    /// from memory. False if they were not waiting.
    /// </summary>
    /// <exception cref="IOException">The file could not be rewritten; the person stays pending.</exception>
    public bool Complete(uint id)
    {
        lock (_gate)
        {
            PendingPerson? person = _pending.Find(p => p.Id == id);
            if (person is null)
            {
                return false;
            }

            try
            {
                _file.Rewrite([.. _pending.Where(p => p != person).Select(p => p.Record)]);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new IOException(e.Message, e);
            }

            _pending.Remove(person);
        }

        _log.LogInformation("{Id:x8} moved to their browser; their secret is removed from {File}", id, _file.Path);
        return true;
    }

    private PendingPerson? Read(PersonRecord record)
    {
        if (record.BackupCode is not { } code || BackupCode.TryRestore(code, out NodeIdentity? identity) != ProtocolError.None)
        {
            return null;
        }

        // Their own card, as the gateway served it publicly before; the name is cut to what a profile carries.
        ContactCard card = ContactCard.Create(identity!, (record.Name ?? "").Trim(), null);
        string name = card.Profile.Name;
        _cards[identity!.Id] = card.ToText();
        List<uint> contacts = [.. (record.Contacts ?? []).Select(ParseId).OfType<uint>().Distinct()];
        List<string> channels = [.. (record.Channels ?? []).Where(c => c is not null && ChannelKey.TryParse(c, out _) == ProtocolError.None)];
        byte[]? hash = record.AccessKeyHash is { Length: 64 } hex && hex.All(Uri.IsHexDigit) ? Convert.FromHexString(hex) : null;
        return new PendingPerson(identity!.Id, name, code.Trim(), contacts, channels, hash, record);
    }

    private static uint? ParseId(string? hex) =>
        hex is { Length: 8 } && uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint id) ? id : null;
}
