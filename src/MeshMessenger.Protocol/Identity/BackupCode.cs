using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Identity;

/// <summary>
/// The backup of an identity: the 32-byte root secret and a 2-byte checksum, base32 in groups of four,
/// for example "ABCD-EFGH-...". A mistyped character fails the checksum with odds of 1 in 65,536 of
/// slipping through. Restoring it gives back both keys; the chain itself comes back from neighbours.
/// </summary>
public static class BackupCode
{
    private static readonly byte[] Domain = System.Text.Encoding.UTF8.GetBytes("MeshMessenger backup v1");

    /// <summary>The backup code of an identity.</summary>
    public static string Create(NodeIdentity identity)
    {
        byte[] root = identity.ExportRootSecret();
        var data = new byte[NodeIdentity.RootSecretSize + 2];
        Array.Copy(root, data, root.Length);
        byte[] check = Checksum(root);
        data[32] = check[0];
        data[33] = check[1];
        string plain = Base32.Encode(data, 0, data.Length);
        string grouped = string.Empty;
        for (int i = 0; i < plain.Length; i += 4)
        {
            grouped += (i == 0 ? string.Empty : "-") + plain.Substring(i, Math.Min(4, plain.Length - i));
        }

        CryptoBytes.Wipe(root, 0, root.Length);
        return grouped;
    }

    /// <summary>Restores an identity from its backup code; never throws on bad input.</summary>
    public static ProtocolError TryRestore(string code, out NodeIdentity? identity)
    {
        identity = null;
        byte[]? data = Base32.Decode(code.Trim(), NodeIdentity.RootSecretSize + 2);
        if (data == null || data.Length != NodeIdentity.RootSecretSize + 2)
        {
            return ProtocolError.InvalidField;
        }

        var root = new byte[NodeIdentity.RootSecretSize];
        Array.Copy(data, root, root.Length);
        byte[] check = Checksum(root);
        if (check[0] != data[32] || check[1] != data[33])
        {
            return ProtocolError.BadChecksum;
        }

        identity = NodeIdentity.FromRootSecret(root);
        return ProtocolError.None;
    }

    private static byte[] Checksum(byte[] root)
    {
        var sha = new Sha256();
        sha.Update(Domain, 0, Domain.Length);
        sha.Update(root, 0, root.Length);
        var digest = new byte[Sha256.HashSize];
        sha.Finish(digest, 0);
        return digest;
    }
}
