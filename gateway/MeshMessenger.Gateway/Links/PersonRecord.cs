namespace MeshMessenger.Gateway.Links;

/// <summary>One person in <see cref="PeopleFile"/>: node ids as 8 hex digits, channels as their MMC1: invites, the access key as its SHA-256 in hex.</summary>
public sealed record PersonRecord(string Name, string BackupCode, List<string> Contacts, List<string> Channels, Dictionary<string, uint> ReadUpTo, string? AccessKeyHash);
