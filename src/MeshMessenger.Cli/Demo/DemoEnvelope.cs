using System.Security.Cryptography;
using ChaCha20Poly1305 = MeshMessenger.Crypto.ChaCha20Poly1305;
using System.Text;
using MeshMessenger.Crypto;

namespace MeshMessenger.Cli.Demo;

/// <summary>
/// The demo's sealed, signed direct message, built only from the managed subset primitives:
/// <code>version(1) | sender node id(8) | nonce(12) | ChaCha20-Poly1305(ciphertext || tag 16) | Ed25519 signature(64)</code>
/// The AEAD key is HKDF-SHA-256 (RFC 5869) over the X25519 (RFC 7748) shared secret of the two agreement keys,
/// bound to both public keys through the info string; the header is the AEAD's associated data and the signature
/// covers every byte before it, so any relay can check authorship without being able to read the text.
/// The protocol core (docs/protocol.md) replaces this format with the real wire format.
/// </summary>
public static class DemoEnvelope
{
    public const byte Version = 1;
    public const int HeaderSize = 1 + 8 + ChaCha20Poly1305.NonceSize;
    public const int Overhead = HeaderSize + ChaCha20Poly1305.TagSize + Ed25519.SignatureSize;

    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("meshmsg-demo-v1");

    public static byte[] Seal(DemoIdentity sender, byte[] recipientAgreementPublicKey, byte[] plaintext)
    {
        var envelope = new byte[Overhead + plaintext.Length];
        envelope[0] = Version;
        sender.NodeId.CopyTo(envelope, 1);
        RandomNumberGenerator.Fill(envelope.AsSpan(9, ChaCha20Poly1305.NonceSize));

        byte[]? key = DeriveKey(sender.AgreementPrivateKey, recipientAgreementPublicKey, sender.AgreementPublicKey, recipientAgreementPublicKey)
            ?? throw new CryptographicException("the recipient's agreement key is a low-order point");
        var aead = new ChaCha20Poly1305(key, 0);
        aead.Encrypt(envelope, 9, ChaCha20Poly1305.NonceSize, plaintext, 0, plaintext.Length, envelope, 0, HeaderSize, envelope, HeaderSize);
        aead.Wipe();

        int signedLength = envelope.Length - Ed25519.SignatureSize;
        Ed25519.Sign(sender.SigningSeed, 0, sender.SigningPublicKey, 0, envelope, 0, signedLength, envelope, signedLength);
        return envelope;
    }

    public static DemoOpenResult Open(DemoIdentity recipient, byte[] senderSigningPublicKey, byte[] senderAgreementPublicKey, byte[] envelope)
    {
        if (envelope.Length < Overhead || envelope[0] != Version)
        {
            return new DemoOpenResult(DemoOpenStatus.Malformed, null);
        }

        int signedLength = envelope.Length - Ed25519.SignatureSize;
        if (!Ed25519.Verify(senderSigningPublicKey, 0, envelope, 0, signedLength, envelope, signedLength))
        {
            return new DemoOpenResult(DemoOpenStatus.BadSignature, null);
        }

        byte[]? key = DeriveKey(recipient.AgreementPrivateKey, senderAgreementPublicKey, senderAgreementPublicKey, recipient.AgreementPublicKey);
        if (key is null)
        {
            return new DemoOpenResult(DemoOpenStatus.CannotDecrypt, null);
        }

        var aead = new ChaCha20Poly1305(key, 0);
        var plaintext = new byte[signedLength - HeaderSize - ChaCha20Poly1305.TagSize];
        bool opened = aead.Decrypt(envelope, 9, ChaCha20Poly1305.NonceSize, envelope, HeaderSize, signedLength - HeaderSize, envelope, 0, HeaderSize, plaintext, 0);
        aead.Wipe();
        return opened ? new DemoOpenResult(DemoOpenStatus.Opened, plaintext) : new DemoOpenResult(DemoOpenStatus.CannotDecrypt, null);
    }

    private static byte[]? DeriveKey(byte[] ownPrivate, byte[] peerPublic, byte[] senderPublic, byte[] recipientPublic)
    {
        var shared = new byte[X25519.KeySize];
        if (!X25519.ScalarMult(ownPrivate, 0, peerPublic, 0, shared, 0))
        {
            return null;
        }

        byte[] info = [.. senderPublic, .. recipientPublic];
        var key = new byte[ChaCha20Poly1305.KeySize];
        HkdfSha256.DeriveKey(Salt, 0, Salt.Length, shared, 0, shared.Length, info, 0, info.Length, key, 0, key.Length);
        CryptoBytes.Wipe(shared, 0, shared.Length);
        return key;
    }
}
