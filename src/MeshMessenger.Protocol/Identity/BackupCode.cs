using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Identity;

/// <summary>
/// The backup of an identity: the 32-byte root secret and a 2-byte checksum, base32 in groups of four,
/// for example "ABCD-EFGH-...". A mistyped character fails the checksum with odds of 1 in 65,536 of
/// slipping through. Restoring it gives back both keys; the chain itself comes back from neighbours.
/// <see cref="TryRestore"/> also takes the same root as a 24-word BIP-39 phrase (<see cref="RecoveryPhrase"/>).
/// </summary>
public static class BackupCode
{
    private static readonly byte[] Domain = Utf8Text.GetBytes("MeshMessenger backup v1");

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
            grouped += (i == 0 ? string.Empty : "-") + plain.Substring(i, plain.Length - i < 4 ? plain.Length - i : 4);
        }

        CryptoBytes.Wipe(root, 0, root.Length);
        return grouped;
    }

    /// <summary>
    /// Restores an identity from its backup code or from its 24-word recovery phrase; never throws on bad input.
    /// Text that is not a base32 code of the right length is read as a phrase: an unknown word, a wrong number of
    /// words or a 12-to-21-word wallet phrase (no identity) give <see cref="ProtocolError.InvalidField"/>, a phrase
    /// failing its BIP-39 checksum <see cref="ProtocolError.BadChecksum"/>. <see cref="RecoveryPhrase.TryParse"/>
    /// says which word is wrong.
    /// </summary>
    public static ProtocolError TryRestore(string code, out NodeIdentity? identity)
    {
        identity = null;
        if (code == null)
        {
            return ProtocolError.InvalidField;
        }

        byte[]? data = Base32.Decode(code.Trim(), NodeIdentity.RootSecretSize + 2);
        if (data == null || data.Length != NodeIdentity.RootSecretSize + 2)
        {
            return TryRestorePhrase(code, out identity);
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

    private static ProtocolError TryRestorePhrase(string text, out NodeIdentity? identity)
    {
        identity = null;
        RecoveryPhraseError error = RecoveryPhrase.TryParse(text, out RecoveryPhrase? phrase, out _);
        if (error == RecoveryPhraseError.BadChecksum)
        {
            return ProtocolError.BadChecksum;
        }

        if (error != RecoveryPhraseError.None || phrase == null || !phrase.IsIdentity)
        {
            return ProtocolError.InvalidField;
        }

        identity = phrase.ToIdentity();
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
