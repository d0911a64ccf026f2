using System;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Links;

/// <summary>
/// A gateway asks the device at one address to prove it holds a node's signing key, and to say which of
/// the listed entries it now holds (docs/protocol.md §5.4). Sent with hop limit 0, never relayed.
/// <code>
/// gateway node id 4 | nonce 16 | count 1 (0..32) | count × (author 4 | sequence varint)
/// </code>
/// </summary>
public sealed class LinkChallenge
{
    /// <summary>Nonce size: 128 random bits, so a nonce is never reused by chance.</summary>
    public const int NonceSize = 16;

    /// <summary>Entries one challenge lists at most (one bit each in the proof's 32-bit map).</summary>
    public const int MaxItems = 32;

    /// <summary>Encoded size with no entries listed.</summary>
    public const int EmptySize = 4 + NonceSize + 1;

    /// <summary>Creates a challenge; <paramref name="authors"/> and <paramref name="sequences"/> are parallel, at most <see cref="MaxItems"/>.</summary>
    public LinkChallenge(uint gateway, byte[] nonce, uint[] authors, uint[] sequences)
    {
        if (nonce == null || nonce.Length != NonceSize)
        {
            throw new ArgumentException("the nonce is 16 bytes", nameof(nonce));
        }

        if (authors == null || sequences == null || authors.Length != sequences.Length || authors.Length > MaxItems)
        {
            throw new ArgumentException("at most 32 (author, sequence) pairs", nameof(authors));
        }

        Gateway = gateway;
        Nonce = nonce;
        Authors = authors;
        Sequences = sequences;
    }

    /// <summary>Node id of the challenging gateway.</summary>
    public uint Gateway { get; }

    /// <summary>The random nonce; single use.</summary>
    public byte[] Nonce { get; }

    /// <summary>Authors of the listed entries.</summary>
    public uint[] Authors { get; }

    /// <summary>Sequence numbers of the listed entries, parallel to <see cref="Authors"/>.</summary>
    public uint[] Sequences { get; }

    /// <summary>Entries listed.</summary>
    public int Count => Authors.Length;

    /// <summary>The wire form (the frame payload the proof's signature binds).</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(EmptySize + (9 * Authors.Length));
        writer.WriteUInt32(Gateway);
        writer.WriteBytes(Nonce);
        writer.WriteByte(Authors.Length);
        for (int i = 0; i < Authors.Length; i++)
        {
            writer.WriteUInt32(Authors[i]);
            writer.WriteVarint(Sequences[i]);
        }

        return writer.ToArray();
    }

    /// <summary>Decodes untrusted bytes; never throws. Refuses a count above 32 before allocating for it.</summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, out LinkChallenge? challenge)
    {
        challenge = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            return ProtocolError.Truncated;
        }

        var reader = new ByteReader(data, offset, count);
        uint gateway;
        if (!reader.TryReadUInt32(out gateway))
        {
            return ProtocolError.Truncated;
        }

        byte[]? nonce = reader.ReadBytes(NonceSize);
        int items = reader.ReadByte();
        if (nonce == null || items < 0)
        {
            return ProtocolError.Truncated;
        }

        if (items > MaxItems)
        {
            return ProtocolError.InvalidField;
        }

        if (reader.Remaining < 5 * items)
        {
            return ProtocolError.Truncated;
        }

        var authors = new uint[items];
        var sequences = new uint[items];
        for (int i = 0; i < items; i++)
        {
            if (!reader.TryReadUInt32(out authors[i]) || !reader.TryReadVarint(out sequences[i]))
            {
                return ProtocolError.Truncated;
            }
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        challenge = new LinkChallenge(gateway, nonce, authors, sequences);
        return ProtocolError.None;
    }
}
