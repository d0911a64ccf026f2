using System;
using System.Collections.Generic;
using System.IO;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Browser;

/// <summary>
/// Ed25519 checks done by the browser's WebCrypto (W3C Secure Curves in WebCrypto, Ed25519 of RFC 8032 §5.1.7),
/// which is native code and about a hundred times faster than the managed verifier running in WebAssembly. The
/// page asks which signatures a batch of frames will need (<see cref="Pending"/>), verifies them with
/// crypto.subtle.verify, and hands back those that held (<see cref="Add"/>); the chain store then finds each one
/// here instead of verifying it again. Only exact (key, hash, signature) matches count, each once, and anything
/// not found (a WebCrypto "no", a fragment, an unknown key) falls through to the managed, strict verifier, so
/// nothing is accepted that one of the two did not verify.
/// </summary>
internal sealed class WebCryptoPreverified : ISignatureVerifier
{
    /// <summary>Records kept at most; beyond it the set is cleared (a miss only costs a managed verification).</summary>
    public const int Capacity = 8192;

    /// <summary>Bytes of one (key, hash, signature) record.</summary>
    public const int RecordSize = 32 + EntryHash.Size + EntryCodec.SignatureSize;

    private readonly ISignatureVerifier _managed = new Ed25519SignatureVerifier();
    private readonly HashSet<string> _verified = new(StringComparer.Ordinal);

    /// <summary>Signatures verified here by WebCrypto and found by the chain store (figures for the README).</summary>
    public int Hits { get; private set; }

    /// <summary>Signatures the managed verifier had to check.</summary>
    public int Misses { get; private set; }

    /// <inheritdoc />
    public bool Verify(byte[] publicKey, byte[] hash, byte[] signature, int signatureOffset)
    {
        // WebCrypto (BoringSSL in chromium) checks S < L and the cofactorless equation but accepts small-order and
        // non-canonical keys and small-order R, which the protocol refuses (docs/protocol.md §3.3; the "signature:"
        // cases of tests/vectors/protocol/negative-v1.txt): its yes counts only with the strict encodings.
        if (_verified.Remove(Key(publicKey, 0, hash, 0, signature, signatureOffset)) && Ed25519.HasStrictEncodings(publicKey, 0, signature, signatureOffset))
        {
            Hits++;
            return true;
        }

        Misses++;
        return _managed.Verify(publicKey, hash, signature, signatureOffset);
    }

    /// <summary>Records signatures WebCrypto verified: concatenated records of key, hash and signature.</summary>
    public void Add(byte[] records)
    {
        if (records.Length % RecordSize != 0)
        {
            throw new ArgumentException($"verified signatures come in records of {RecordSize} bytes");
        }

        if (_verified.Count + (records.Length / RecordSize) > Capacity)
        {
            _verified.Clear();
        }

        for (int at = 0; at < records.Length; at += RecordSize)
        {
            _verified.Add(Key(records, at, records, at + 32, records, at + 32 + EntryHash.Size));
        }
    }

    /// <summary>
    /// The (key, hash, signature) records that whole entries in <paramref name="frames"/> (each a 2-byte length and
    /// a frame) will need verified, for authors whose key <paramref name="node"/> knows or whose genesis carries it.
    /// Untrusted bytes: what does not decode is skipped here and refused later by the node.
    /// </summary>
    public static byte[] Pending(Protocol.Node.MessengerNode node, byte[] frames)
    {
        using var records = new MemoryStream();
        for (int at = 0; at + 2 <= frames.Length;)
        {
            int length = (frames[at] << 8) | frames[at + 1];
            if (at + 2 + length > frames.Length)
            {
                break;
            }

            if (FrameCodec.TryDecode(frames, at + 2, length, FrameLimits.Ip, out Frame? frame) == ProtocolError.None && frame!.Type == FrameType.Entry
                && EntryCodec.TryDecode(frame.Payload, 0, frame.Payload.Length, out Entry? entry) == ProtocolError.None)
            {
                byte[]? key = node.Chains.ProfileOf(entry!.Author)?.SigningKey ?? GenesisKey(entry);
                if (key is not null)
                {
                    records.Write(key);
                    records.Write(EntryHash.Of(entry, key));
                    records.Write(entry.Encoded, entry.SignedLength, EntryCodec.SignatureSize);
                }
            }

            at += 2 + length;
        }

        return records.ToArray();
    }

    /// <summary>A genesis entry carries its author's profile, whose key signs it (docs/protocol.md §4.1).</summary>
    private static byte[]? GenesisKey(Entry entry)
    {
        if (entry.Kind != EntryKind.Profile || entry.Sequence != 0)
        {
            return null;
        }

        var reader = new Protocol.Wire.ByteReader(entry.Encoded, entry.BodyOffset, entry.BodyLength);
        return Profile.TryRead(reader, out Profile? profile) == ProtocolError.None && profile!.NodeId == entry.Author ? profile.SigningKey : null;
    }

    private static string Key(byte[] key, int keyOffset, byte[] hash, int hashOffset, byte[] signature, int signatureOffset)
    {
        var all = new byte[RecordSize];
        Buffer.BlockCopy(key, keyOffset, all, 0, 32);
        Buffer.BlockCopy(hash, hashOffset, all, 32, EntryHash.Size);
        Buffer.BlockCopy(signature, signatureOffset, all, 32 + EntryHash.Size, EntryCodec.SignatureSize);
        return Convert.ToBase64String(all);
    }
}
