using System.Security.Cryptography;
using System.Text;

namespace MeshMessenger.Gateway.PeopleMigration;

/// <summary>
/// A person an earlier release hosted, whose identity waits to be taken by their own browser. The gateway hosts
/// no node for them and accepts no writes as them; it only hands their secret, once asked with their access key,
/// to that browser.
/// </summary>
public sealed class PendingPerson
{
    internal PendingPerson(uint id, string name, string backupCode, IReadOnlyList<uint> contacts, IReadOnlyList<string> channels, byte[]? accessKeyHash, PersonRecord record)
    {
        Id = id;
        Name = name;
        BackupCode = backupCode;
        Contacts = contacts;
        Channels = channels;
        AccessKeyHash = accessKeyHash;
        Record = record;
    }

    /// <summary>The node id (derived from the backup code).</summary>
    public uint Id { get; }

    /// <summary>The name they joined with.</summary>
    public string Name { get; }

    /// <summary>Their secret: the backup code of their identity.</summary>
    public string BackupCode { get; }

    /// <summary>Their address book, as node ids.</summary>
    public IReadOnlyList<uint> Contacts { get; }

    /// <summary>The channels they were in, as MMC1: invites.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>SHA-256 of their browser's access key, or null when the file held none (then no browser gets the secret).</summary>
    private byte[]? AccessKeyHash { get; }

    /// <summary>Their entry in people.json as it was read, written back unchanged while they are pending.</summary>
    internal PersonRecord Record { get; }

    /// <summary>Whether <paramref name="key"/> (the cookie their browser holds) is their access key; compared in fixed time.</summary>
    public bool Admits(string? key) =>
        AccessKeyHash is not null && key is not null
        && CryptographicOperations.FixedTimeEquals(AccessKeyHash, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
