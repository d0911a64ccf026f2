using System;
using System.Collections.Generic;
using System.IO;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Browser;

/// <summary>
/// How held entries are persisted by the page: records of a 2-byte big-endian entry length, the encoded
/// entry (docs/protocol.md §4) and its 32-byte entry hash. Records are self-delimiting, so blobs from several
/// calls concatenate into one that <see cref="Read"/> takes whole. The hash is kept so a reopened node
/// need not know every author's key to hold their entries again (a recipient holds entries of authors whose
/// profile it may not hold).
/// </summary>
internal static class EntryBlob
{
    /// <summary>Bytes of one record besides the entry.</summary>
    public const int Overhead = 2 + EntryHash.Size;

    /// <summary>The records of <paramref name="entries"/>, or null if there are none.</summary>
    public static byte[]? Write(IReadOnlyList<StoredEntry> entries)
    {
        if (entries.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        foreach (StoredEntry stored in entries)
        {
            byte[] encoded = stored.Entry.Encoded;
            buffer.WriteByte((byte)(encoded.Length >> 8));
            buffer.WriteByte((byte)encoded.Length);
            buffer.Write(encoded);
            buffer.Write(stored.Hash);
        }

        return buffer.ToArray();
    }

    /// <summary>Every record of <paramref name="blob"/>; a typed error for a record that is cut short or does not decode.</summary>
    public static List<StoredEntry> Read(byte[] blob)
    {
        var entries = new List<StoredEntry>();
        int at = 0;
        while (at < blob.Length)
        {
            if (blob.Length - at < Overhead)
            {
                throw new ProtocolException(ProtocolError.Truncated, $"the stored entries end in a cut record at byte {at}");
            }

            int length = (blob[at] << 8) | blob[at + 1];
            if (length > EntryCodec.MaxEncodedSize || blob.Length - at - Overhead < length)
            {
                throw new ProtocolException(ProtocolError.Truncated, $"the stored entry at byte {at} claims {length} bytes, more than is there or allowed");
            }

            ProtocolError error = EntryCodec.TryDecode(blob, at + 2, length, out Entry? entry);
            if (error != ProtocolError.None)
            {
                throw new ProtocolException(error, $"the stored entry at byte {at} does not decode ({error})");
            }

            entries.Add(new StoredEntry(entry!, blob.AsSpan(at + 2 + length, EntryHash.Size).ToArray()));
            at += Overhead + length;
        }

        return entries;
    }
}
