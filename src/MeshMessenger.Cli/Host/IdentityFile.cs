using System.Text.Json;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Cli.Host;

/// <summary>
/// The identity file written by <c>meshmsg keygen</c>: JSON with the display name, the node id (for
/// people) and the backup (the secret): the 24-word recovery phrase that also opens the wallet (BIP-39), or an
/// older backup code, which still loads. Written with mode 0600 on Unix.
/// </summary>
public sealed class IdentityFile
{
    /// <summary>Default file name, in the current directory.</summary>
    public const string DefaultPath = "meshmsg-identity.json";

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Node id text ("!xxxxxxxx"), for people reading the file; checked against the key on load.</summary>
    public required string NodeId { get; init; }

    /// <summary>The root secret as a 24-word recovery phrase (files from earlier releases hold a backup code; both load).</summary>
    public required string BackupCode { get; init; }

    /// <summary>Writes the file; refuses to replace one unless <paramref name="force"/>.</summary>
    public void Save(string path, bool force)
    {
        if (File.Exists(path) && !force)
        {
            throw new IdentityFileException($"{path} already exists; pass --force to replace it (the identity in it would be lost unless you kept its recovery phrase)");
        }

        string json = JsonSerializer.Serialize(this, IdentityFileJson.Default.IdentityFile);
        File.WriteAllText(path, json + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Reads and checks a file, returning the identity it holds.</summary>
    public static (IdentityFile File, NodeIdentity Identity) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new IdentityFileException($"no identity file at {path}; create one with `meshmsg keygen --name NAME`");
        }

        IdentityFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllText(path), IdentityFileJson.Default.IdentityFile);
        }
        catch (JsonException e)
        {
            throw new IdentityFileException($"{path} is not a valid identity file: {e.Message}");
        }

        if (file is null)
        {
            throw new IdentityFileException($"{path} is empty");
        }

        ProtocolError error = Protocol.Identity.BackupCode.TryRestore(file.BackupCode, out NodeIdentity? identity);
        if (error != ProtocolError.None)
        {
            throw new IdentityFileException($"{path}: the backup code is unreadable ({error})");
        }

        if (Protocol.Identity.NodeId.ToText(identity!.Id) != file.NodeId)
        {
            throw new IdentityFileException($"{path}: node id {file.NodeId} does not match the key ({Protocol.Identity.NodeId.ToText(identity.Id)})");
        }

        return (file, identity);
    }

    /// <summary>The file for an identity.</summary>
    public static IdentityFile For(NodeIdentity identity, string name) => new()
    {
        Name = name,
        NodeId = Protocol.Identity.NodeId.ToText(identity.Id),
        BackupCode = RecoveryPhrase.FromIdentity(identity).Text,
    };
}
