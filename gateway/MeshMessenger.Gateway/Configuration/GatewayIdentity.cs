using System.Security.Cryptography;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Gateway.Configuration;

/// <summary>
/// The gateway's own identity (it will sign sync requests, proofs and anchor batches). Kept as a key file
/// holding one backup code (docs/protocol.md §2.5), the same text `meshmsg keygen` prints. With
/// Gateway:IdentityFile unset, the gateway creates data/gateway.key on first start (mode 0600); a file that
/// is named but missing or unreadable stops start-up, because silently making a new identity would orphan
/// everything the old one signed.
/// </summary>
public static class GatewayIdentity
{
    /// <summary>Loads the configured key file, or creates the default one.</summary>
    public static NodeIdentity LoadOrCreate(GatewayOptions o)
    {
        if (!string.IsNullOrEmpty(o.IdentityFile))
        {
            if (!File.Exists(o.IdentityFile))
            {
                throw new ConfigurationException([$"Gateway:IdentityFile: '{o.IdentityFile}' does not exist; create it with `meshmsg keygen` and put the backup code in it, or leave the setting empty to let the gateway make data/gateway.key"]);
            }

            return Read(o.IdentityFile, "Gateway:IdentityFile");
        }

        string path = Path.Combine(o.DataDirectory, "gateway.key");
        if (File.Exists(path))
        {
            return Read(path, "Gateway:DataDirectory");
        }

        Directory.CreateDirectory(o.DataDirectory);
        NodeIdentity identity = NodeIdentity.FromRootSecret(RandomNumberGenerator.GetBytes(NodeIdentity.RootSecretSize));
        File.WriteAllText(path, BackupCode.Create(identity) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return identity;
    }

    private static NodeIdentity Read(string path, string setting)
    {
        string code = File.ReadAllText(path).Trim();
        ProtocolError error = BackupCode.TryRestore(code, out NodeIdentity? identity);
        if (error != ProtocolError.None)
        {
            throw new ConfigurationException([$"{setting}: '{path}' does not hold a valid backup code ({error})"]);
        }

        return identity!;
    }
}
