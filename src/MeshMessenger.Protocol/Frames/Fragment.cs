using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Frames;

/// <summary>
/// One piece of an entry too large for one frame:
/// <code>
/// message id  4   first 4 bytes of the entry's SHA-256, so every peer that fragments the same entry
///                 (the author, or a peer answering a sync) produces the same id and relays dedupe it
/// index       1   0-based
/// count       1   2..16
/// data        1+  a slice of the entry's bytes
/// </code>
/// </summary>
public sealed class Fragment
{
    /// <summary>Most fragments per entry (16 × 245 bytes on LoRa covers <see cref="Chain.EntryCodec.MaxEncodedSize"/>).</summary>
    public const int MaxCount = 16;

    /// <summary>Fragment header size.</summary>
    public const int HeaderSize = 6;

    /// <summary>Creates a fragment.</summary>
    public Fragment(uint messageId, int index, int count, byte[] data)
    {
        MessageId = messageId;
        Index = index;
        Count = count;
        Data = data;
    }

    /// <summary>Groups the pieces of one entry.</summary>
    public uint MessageId { get; }

    /// <summary>Position, from 0.</summary>
    public int Index { get; }

    /// <summary>Number of pieces.</summary>
    public int Count { get; }

    /// <summary>The slice.</summary>
    public byte[] Data { get; }

    /// <summary>The message id of an encoded entry.</summary>
    public static uint MessageIdOf(byte[] entry)
    {
        var digest = new byte[Sha256.HashSize];
        Sha256.Hash(entry, 0, entry.Length, digest, 0);
        return CryptoBytes.LoadUInt32BigEndian(digest, 0);
    }

    /// <summary>Encodes the fragment as a frame payload.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(HeaderSize + Data.Length);
        writer.WriteUInt32(MessageId);
        writer.WriteByte(Index);
        writer.WriteByte(Count);
        writer.WriteBytes(Data);
        return writer.Buffer;
    }

    /// <summary>Decodes a fragment payload from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] payload, out Fragment? fragment)
    {
        fragment = null;
        if (payload.Length <= HeaderSize)
        {
            return ProtocolError.Truncated;
        }

        int index = payload[4];
        int count = payload[5];
        if (count < 2 || count > MaxCount || index >= count)
        {
            return ProtocolError.InvalidField;
        }

        var data = new byte[payload.Length - HeaderSize];
        Array.Copy(payload, HeaderSize, data, 0, data.Length);
        fragment = new Fragment(CryptoBytes.LoadUInt32BigEndian(payload, 0), index, count, data);
        return ProtocolError.None;
    }
}
