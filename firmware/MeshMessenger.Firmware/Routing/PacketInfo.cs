using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Firmware.Routing;

/// <summary>
/// What a relay reads from a frame without verifying or decrypting it: the 4-byte frame header and, for
/// entry frames, the clear entry header (author, sequence, kind, hint). Parsed from untrusted bytes.
/// </summary>
public sealed class PacketInfo
{
    private PacketInfo()
    {
    }

    /// <summary>The decoded frame.</summary>
    public Frame Frame { get; private set; } = null!;

    /// <summary>Duplicate key: author and sequence for entries, message id and index for fragments, a hash otherwise.</summary>
    public long Key { get; private set; }

    /// <summary>Author of the entry (0 for fragments after the first, and for sync frames).</summary>
    public uint Author { get; private set; }

    /// <summary>Entry sequence number.</summary>
    public uint Sequence { get; private set; }

    /// <summary>True for a direct (one-recipient) entry.</summary>
    public bool IsDirect { get; private set; }

    /// <summary>Recipient hint of a direct entry.</summary>
    public byte DestinationHint { get; private set; }

    /// <summary>True if the frame carries a delivery or read receipt (the entry kind in its clear header).</summary>
    public bool IsReceipt { get; private set; }

    /// <summary>True if the frame carries a delivery receipt (not a read receipt).</summary>
    public bool IsDeliveryReceipt { get; private set; }

    /// <summary>True if the frame carries an entry or a fragment (relayable traffic).</summary>
    public bool IsTraffic => Frame.Type == FrameType.Entry || Frame.Type == FrameType.Fragment;

    /// <summary>A want with a hop start above 0: relayed once, answered by whoever it names (docs/protocol.md §8.4).</summary>
    public bool IsRelayedWant => Frame.Type == FrameType.Want && Frame.HopStart > 0;

    /// <summary>Reads a frame; returns the error for untrusted bytes that are not a frame. Never throws.</summary>
    public static ProtocolError TryRead(byte[] bytes, int maxFrameSize, out PacketInfo? info)
    {
        info = null;
        Frame? frame;
        ProtocolError error = FrameCodec.TryDecode(bytes, 0, bytes.Length, maxFrameSize, out frame);
        if (error != ProtocolError.None)
        {
            return error;
        }

        var p = new PacketInfo();
        p.Frame = frame!;
        byte[] payload = frame!.Payload;
        if (frame.Type == FrameType.Entry)
        {
            if (!p.TryReadEntryHeader(payload, 0))
            {
                return ProtocolError.Truncated;
            }

            // The hop start is part of the key: an answer to a relayed want (hop start 1, docs/protocol.md §8.4) is a new
            // transmission of an entry the relays may have heard live, and its named relay must still repeat it.
            p.Key = (((long)p.Author << 32) | p.Sequence) ^ ((long)frame.HopStart << 60);
        }
        else if (frame.Type == FrameType.Fragment && payload.Length > Fragment.HeaderSize)
        {
            p.MessageId = ((uint)payload[0] << 24) | ((uint)payload[1] << 16) | ((uint)payload[2] << 8) | payload[3];
            p.FragmentIndex = payload[4];
            p.Key = (1L << 62) | ((long)p.MessageId << 8) | (long)p.FragmentIndex;
        }
        else
        {
            p.Key = KeyOfPayload(payload);
        }

        info = p;
        return ProtocolError.None;
    }

    /// <summary>
    /// For the first fragment of an entry (<see cref="FragmentIndex"/> 0), the entry's clear header its data begins with
    /// (<see cref="Fragmenter"/> cuts the entry in order): a <see cref="PacketInfo"/> with the entry's author, sequence,
    /// direct flag, recipient hint and receipt flag, keyed like the fragment. False for any other frame or a first
    /// fragment too short to hold the header. Relays never use it: it is how a sender maps its own pieces to their entry.
    /// </summary>
    public bool TryReadFragmentedEntry(out PacketInfo? entry)
    {
        entry = null;
        if (Frame.Type != FrameType.Fragment || FragmentIndex != 0 || Frame.Payload.Length <= Fragment.HeaderSize)
        {
            return false;
        }

        var p = new PacketInfo();
        p.Frame = Frame;
        p.Key = Key;
        p.MessageId = MessageId;
        if (!p.TryReadEntryHeader(Frame.Payload, Fragment.HeaderSize))
        {
            return false;
        }

        entry = p;
        return true;
    }

    /// <summary>Fragments only: the id grouping the pieces of one entry.</summary>
    public uint MessageId { get; private set; }

    /// <summary>Fragments only: the piece's position, from 0.</summary>
    public int FragmentIndex { get; private set; }

    // Only the clear header: kind byte, author, sequence varint, then time, link and hint (docs/protocol.md §3.1).
    private bool TryReadEntryHeader(byte[] payload, int offset)
    {
        var reader = new ByteReader(payload, offset, payload.Length - offset);
        int kindByte = reader.ReadByte();
        uint author;
        uint sequence;
        uint time;
        if (kindByte < 0 || !reader.TryReadUInt32(out author) || !reader.TryReadVarint(out sequence) || !reader.TryReadUInt32(out time) || !reader.Skip(EntryCodec.LinkSize))
        {
            return false;
        }

        int hint = reader.ReadByte();
        if (hint < 0)
        {
            return false;
        }

        Author = author;
        Sequence = sequence;
        IsDirect = (kindByte >> 6) == (int)BodySealing.Direct;
        DestinationHint = (byte)hint;
        int kind = kindByte & 0x3F;
        IsDeliveryReceipt = kind == (int)EntryKind.DeliveryReceipt;
        IsReceipt = IsDeliveryReceipt || kind == (int)EntryKind.ReadReceipt;
        return true;
    }

    /// <summary>The duplicate key of a frame that is neither an entry nor a fragment (heads, want, ack, receipt request): its payload's checksum.</summary>
    public static long KeyOfPayload(byte[] payload)
    {
        return (2L << 60) | Checksum(payload);
    }

    private static long Checksum(byte[] payload)
    {
        // FNV-1a, 32 bits over the payload, which relays leave unchanged: stops reprocessing an identical copy and
        // relaying a relayed want twice.
        uint h = 2166136261;
        for (int i = 0; i < payload.Length; i++)
        {
            h = (h ^ payload[i]) * 16777619;
        }

        return h;
    }
}
