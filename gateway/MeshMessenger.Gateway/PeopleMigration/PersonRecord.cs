namespace MeshMessenger.Gateway.PeopleMigration;

/// <summary>
/// One person in <see cref="PeopleFile"/>, in the format earlier releases wrote when the gateway hosted people:
/// node ids as 8 hex digits, channels as their MMC1: invites, the access key as its SHA-256 in hex. Every field
/// may be missing from a damaged file, so each is nullable.
/// </summary>
public sealed record PersonRecord(string? Name, string? BackupCode, List<string>? Contacts, List<string>? Channels, Dictionary<string, uint>? ReadUpTo, string? AccessKeyHash);
