using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sealing;

/// <summary>
/// The key of direct messages from one author to one recipient:
/// HKDF-SHA-256(salt "MeshMessenger direct v1", IKM X25519(a, B), info author key || recipient key).
/// Directional (the author's key comes first), so the two directions of a conversation never share a
/// key and therefore never share a nonce. Both ends compute the same value; so does the author after a
/// wipe, which is how a restored device reads its own sent messages again.
/// Static-static: no forward secrecy, because an ephemeral key would cost 32 of a LoRa frame's 255 bytes
/// (docs/protocol.md, "Sealing").
/// </summary>
public static class DirectKey
{
    private static readonly byte[] Salt = Utf8Text.GetBytes("MeshMessenger direct v1");

    /// <summary>
    /// Derives the key for messages written by <paramref name="author"/> to <paramref name="recipient"/>,
    /// computed by <paramref name="self"/>, which is one of the two. Null if the peer's agreement key is
    /// of low order.
    /// </summary>
    public static byte[]? Derive(NodeIdentity self, Profile author, Profile recipient)
    {
        Profile peer = author.NodeId == self.Id && CryptoBytes.ConstantTimeEquals(author.SigningKey, 0, self.SigningKey, 0, 32) ? recipient : author;
        byte[]? shared = self.Agree(peer.AgreementKey, 0);
        if (shared == null)
        {
            return null;
        }

        var info = new byte[64];
        Array.Copy(author.SigningKey, 0, info, 0, 32);
        Array.Copy(recipient.SigningKey, 0, info, 32, 32);
        var key = new byte[32];
        HkdfSha256.DeriveKey(Salt, 0, Salt.Length, shared, 0, shared.Length, info, 0, info.Length, key, 0, key.Length);
        CryptoBytes.Wipe(shared, 0, shared.Length);
        return key;
    }
}
