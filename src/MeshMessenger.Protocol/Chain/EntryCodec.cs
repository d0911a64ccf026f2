using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// The one place that encodes and decodes entries (docs/protocol.md, "Entry"):
/// <code>
/// kind byte   1   sealing (bits 7-6) | kind (bits 5-0)
/// author      4   node id, big-endian
/// sequence    1-5 LEB128 varint, shortest form
/// time        4   seconds since 2025-01-01 (0 = unknown), big-endian
/// previous    8   first 8 bytes of the previous entry's hash (zeros at sequence 0)
/// hint        1   recipient / channel hint, 0 for clear entries
/// body        n   plaintext or ciphertext + 16-byte tag
/// signature  64   Ed25519 over the entry hash (<see cref="EntryHash"/>)
/// </code>
/// Nothing is optional and every field has one encoding, so equal entries have equal bytes.
/// </summary>
public static class EntryCodec
{
    /// <summary>Ed25519 signature size.</summary>
    public const int SignatureSize = Ed25519.SignatureSize;

    /// <summary>Bytes of the previous entry's hash kept in the link.</summary>
    public const int LinkSize = 8;

    /// <summary>Largest entry, all fields included; bounds reassembly and storage per entry.</summary>
    public const int MaxEncodedSize = 2048;

    /// <summary>Size of the fixed fields around the varint sequence: kind, author, time, previous, hint.</summary>
    private const int FixedHeaderSize = 1 + 4 + 4 + LinkSize + 1;

    /// <summary>Header size for a sequence number.</summary>
    public static int HeaderSize(uint sequence)
    {
        return FixedHeaderSize + Varint.SizeOf(sequence);
    }

    /// <summary>Largest body that fits an entry of at most <paramref name="maxEncoded"/> bytes.</summary>
    public static int MaxBodySize(uint sequence, int maxEncoded)
    {
        return maxEncoded - HeaderSize(sequence) - SignatureSize;
    }

    /// <summary>Encodes the header; it is also the associated data of a sealed body.</summary>
    public static byte[] EncodeHeader(EntryKind kind, BodySealing sealing, uint author, uint sequence, uint time, byte[] previous, byte hint)
    {
        if (previous == null || previous.Length != LinkSize)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "the previous-entry link is " + LinkSize + " bytes");
        }

        var writer = new ByteWriter(HeaderSize(sequence));
        writer.WriteByte(((int)sealing << 6) | (int)kind);
        writer.WriteUInt32(author);
        writer.WriteVarint(sequence);
        writer.WriteUInt32(time);
        writer.WriteBytes(previous);
        writer.WriteByte(hint);
        return writer.Buffer;
    }

    /// <summary>
    /// Signs header || body with <paramref name="author"/>'s key and returns the decoded entry.
    /// Throws <see cref="ProtocolException"/> if the result breaks a rule of the format.
    /// </summary>
    public static Entry Sign(NodeIdentity author, byte[] header, byte[] body)
    {
        int length = header.Length + body.Length + SignatureSize;
        if (length > MaxEncodedSize)
        {
            throw new ProtocolException(ProtocolError.TooLarge, "an entry is at most " + MaxEncodedSize + " bytes; this one would be " + length);
        }

        var encoded = new byte[length];
        Array.Copy(header, encoded, header.Length);
        Array.Copy(body, 0, encoded, header.Length, body.Length);
        byte[] hash = EntryHash.Compute(author.SigningKey, encoded, 0, header.Length + body.Length);
        byte[] signature = author.Sign(hash, 0, hash.Length);
        Array.Copy(signature, 0, encoded, header.Length + body.Length, SignatureSize);

        Entry? entry;
        ProtocolError error = TryDecode(encoded, 0, encoded.Length, out entry);
        if (error != ProtocolError.None)
        {
            throw new ProtocolException(error, "the entry breaks a format rule: " + error);
        }

        return entry!;
    }

    /// <summary>
    /// Decodes an entry from untrusted bytes and checks every rule that needs no key: sizes, canonical
    /// varint, kind and sealing pairs, sequence 0 is a profile with a zero link, clear entries have hint 0.
    /// Never throws; the signature is checked by <see cref="EntryHash.Verify"/> once the author's key is known.
    /// </summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, out Entry? entry)
    {
        entry = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            return ProtocolError.Truncated;
        }

        if (count > MaxEncodedSize)
        {
            return ProtocolError.TooLarge;
        }

        var reader = new ByteReader(data, offset, count);
        int kindByte = reader.ReadByte();
        uint author;
        uint sequence;
        uint time;
        if (kindByte < 0 || !reader.TryReadUInt32(out author))
        {
            return ProtocolError.Truncated;
        }

        if (!reader.TryReadVarint(out sequence))
        {
            return reader.Remaining >= Varint.MaxSize ? ProtocolError.InvalidField : ProtocolError.Truncated;
        }

        if (!reader.TryReadUInt32(out time))
        {
            return ProtocolError.Truncated;
        }

        byte[]? previous = reader.ReadBytes(LinkSize);
        int hint = reader.ReadByte();
        if (previous == null || hint < 0)
        {
            return ProtocolError.Truncated;
        }

        int bodyOffset = reader.Position - offset;
        int bodyLength = reader.Remaining - SignatureSize;
        if (bodyLength < 0)
        {
            return ProtocolError.Truncated;
        }

        var kind = (EntryKind)(kindByte & 0x3F);
        var sealing = (BodySealing)(kindByte >> 6);
        ProtocolError rule = CheckRules(kind, sealing, sequence, previous, hint, bodyLength);
        if (rule == ProtocolError.None && kind == EntryKind.Resume)
        {
            rule = CheckResume(data, offset + bodyOffset, bodyLength, sequence, previous);
        }

        if (rule != ProtocolError.None)
        {
            return rule;
        }

        var encoded = new byte[count];
        Array.Copy(data, offset, encoded, 0, count);
        entry = new Entry(kind, sealing, author, sequence, time, previous, (byte)hint, bodyOffset, bodyLength, encoded);
        return ProtocolError.None;
    }

    private static ProtocolError CheckRules(EntryKind kind, BodySealing sealing, uint sequence, byte[] previous, int hint, int bodyLength)
    {
        if ((int)sealing > (int)BodySealing.Channel || kind < EntryKind.Text || kind > EntryKind.Resume)
        {
            return ProtocolError.UnknownType;
        }

        if (sealing != RequiredSealing(kind) && kind != EntryKind.BlobFragment)
        {
            return ProtocolError.InvalidField;
        }

        if (sealing == BodySealing.Clear && hint != 0)
        {
            return ProtocolError.InvalidField;
        }

        if (sealing != BodySealing.Clear && bodyLength < ChaCha20Poly1305.TagSize)
        {
            return ProtocolError.Truncated;
        }

        bool zeroLink = true;
        for (int i = 0; i < LinkSize; i++)
        {
            zeroLink &= previous[i] == 0;
        }

        // The genesis entry introduces the author's keys, so peers can verify everything after it.
        if (sequence == 0 && (kind != EntryKind.Profile || !zeroLink))
        {
            return ProtocolError.InvalidField;
        }

        if (kind == EntryKind.Checkpoint && (sequence == 0 || bodyLength != Sha256.HashSize))
        {
            return ProtocolError.InvalidField;
        }

        return ProtocolError.None;
    }

    // A resume entry (docs/protocol.md §3.2, §8.3): the body is the canonical varint of the sequence it links to, then
    // that entry's full hash, nothing after; it skips at least one sequence (else the entry before it is its link), and
    // its 8-byte link is the first 8 bytes of the hash it carries, so the two cannot name different entries.
    private static ProtocolError CheckResume(byte[] data, int body, int bodyLength, uint sequence, byte[] previous)
    {
        uint from;
        int hashAt = Varint.TryRead(data, body, body + bodyLength, out from);
        if (hashAt < 0 || body + bodyLength - hashAt != Sha256.HashSize || sequence < 2 || from >= sequence - 1)
        {
            return ProtocolError.InvalidField;
        }

        for (int i = 0; i < LinkSize; i++)
        {
            if (data[hashAt + i] != previous[i])
            {
                return ProtocolError.InvalidField;
            }
        }

        return ProtocolError.None;
    }

    /// <summary>
    /// The sequence <paramref name="entry"/> links to: the one it names for a <see cref="EntryKind.Resume"/>, else the one
    /// before it. Not meaningful at sequence 0, which links to nothing.
    /// </summary>
    public static uint LinkedSequence(Entry entry)
    {
        if (entry.Kind != EntryKind.Resume)
        {
            return entry.Sequence - 1;
        }

        uint from;
        Varint.TryRead(entry.Encoded, entry.BodyOffset, entry.BodyOffset + entry.BodyLength, out from); // checked on decode
        return from;
    }

    /// <summary>Where the full 32-byte hash of the linked entry starts in <paramref name="entry"/>'s bytes, or -1 if it carries none.</summary>
    public static int FullLinkOffset(Entry entry)
    {
        if (entry.Kind == EntryKind.Checkpoint)
        {
            return entry.BodyOffset;
        }

        return entry.Kind == EntryKind.Resume ? entry.BodyOffset + Varint.SizeOf(LinkedSequence(entry)) : -1;
    }

    /// <summary>The body of a resume entry linking to own entry <paramref name="from"/> whose hash is <paramref name="hash"/>.</summary>
    public static byte[] ResumeBody(uint from, byte[] hash)
    {
        var body = new byte[Varint.SizeOf(from) + Sha256.HashSize];
        int at = Varint.Write(from, body, 0);
        Array.Copy(hash, 0, body, at, Sha256.HashSize);
        return body;
    }

    /// <summary>The sealing a kind must use (blob fragments may use any).</summary>
    public static BodySealing RequiredSealing(EntryKind kind)
    {
        switch (kind)
        {
            case EntryKind.Text:
            case EntryKind.DeliveryReceipt:
            case EntryKind.ReadReceipt:
            case EntryKind.ChainRequest:
            case EntryKind.ChainStatus:
                return BodySealing.Direct;
            case EntryKind.ChannelPost:
                return BodySealing.Channel;
            default:
                return BodySealing.Clear;
        }
    }
}
