using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sync;

/// <summary>
/// A want that travels past the neighbours (docs/protocol.md §8.4): the payload of a
/// <see cref="Frames.FrameType.Want"/> frame whose hop start is above 0.
/// <code>
/// asker   4   node id of the node that asks (answers name no one else)
/// round   1   the asker's restore round, so a want asked again is not taken for a relayed copy of the first
/// count   1   1..4
/// ranges  count × (author 4, from varint, to varint), to ≥ from, at most 64 entries each
/// </code>
/// Only the conversation between the answerer and the asker is answered (<see cref="Answers"/>), so one entry is
/// answered by one node at most (the other party of a direct entry) and a small want cannot make many nodes send.
/// </summary>
public sealed class RelayedWant
{
    /// <summary>Most ranges per relayed want (a hop-0 want may carry <see cref="WantMessage.MaxRanges"/>).</summary>
    public const int MaxRanges = 4;

    /// <summary>Hop limit a relayed want starts with: one relay, so it reaches nodes two hops away.</summary>
    public const int HopLimit = 1;

    /// <summary>Entries one node sends at most in answer to one relayed want.</summary>
    public const int MaxAnswer = 16;

    /// <summary>Creates a relayed want.</summary>
    public RelayedWant(uint asker, int round, SequenceRange[] ranges)
    {
        Asker = asker;
        Round = round & 0xFF;
        Ranges = ranges;
    }

    /// <summary>The asker's restore round (0..255), which tells a repeated want from a relayed copy.</summary>
    public int Round { get; }

    /// <summary>The node that asks; answers are entries between it and the answerer.</summary>
    public uint Asker { get; }

    /// <summary>The ranges wanted.</summary>
    public SequenceRange[] Ranges { get; }

    /// <summary>Encodes the payload.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(4 + 2 + Ranges.Length * (4 + 2 * Varint.MaxSize));
        writer.WriteUInt32(Asker);
        writer.WriteByte(Round);
        writer.WriteByte(Ranges.Length);
        for (int i = 0; i < Ranges.Length; i++)
        {
            writer.WriteUInt32(Ranges[i].Author);
            Ranges[i].WriteBounds(writer);
        }

        return writer.ToArray();
    }

    /// <summary>Decodes a payload from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] payload, out RelayedWant? message)
    {
        message = null;
        var reader = new ByteReader(payload, 0, payload.Length);
        uint asker;
        int round = -1;
        if (!reader.TryReadUInt32(out asker) || (round = reader.ReadByte()) < 0)
        {
            return ProtocolError.Truncated;
        }

        SequenceRange[]? ranges;
        ProtocolError error = SequenceRange.TryReadList(reader, MaxRanges, true, 0, WantMessage.MaxRangeLength, out ranges);
        if (error == ProtocolError.None)
        {
            message = new RelayedWant(asker, round, ranges!);
        }

        return error;
    }

    /// <summary>
    /// Where the answer to a relayed want carried by <paramref name="frame"/> goes (docs/protocol.md §8.4): back
    /// through the neighbour the asker named (its relay, or the next hop of a want heard first-hand), which repeats
    /// it once; <paramref name="via"/> is 0 when the answerer (<paramref name="answererHint"/>) was named itself, as
    /// the asker is then its neighbour. Returns the hop limit of the answer: one relay through a named neighbour,
    /// else as many hops as the want took.
    /// </summary>
    public static int AnswerHops(Frames.Frame frame, byte answererHint, out byte via)
    {
        via = frame.HopsTaken > 0 ? frame.Relay : frame.NextHop;
        via = via == answererHint ? (byte)0 : via;
        return via != 0 ? HopLimit : frame.HopsTaken;
    }

    /// <summary>
    /// True if <paramref name="answerer"/> answers a relayed want of <paramref name="asker"/> with
    /// <paramref name="entry"/>: a direct entry one of them wrote to the other (by the recipient's hint).
    /// </summary>
    public static bool Answers(Entry entry, uint answerer, uint asker)
    {
        return answerer != asker
            && ((entry.Author == answerer && entry.IsAddressedTo(NodeId.HintOf(asker)))
                || (entry.Author == asker && entry.IsAddressedTo(NodeId.HintOf(answerer))));
    }
}
