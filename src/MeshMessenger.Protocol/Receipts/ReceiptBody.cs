using System.Collections;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Receipts;

/// <summary>
/// The plaintext of a delivery or read receipt: which of the recipient's entries it covers, as ranges,
/// so one receipt can acknowledge many messages.
/// <code>
/// count   1        1..16 ranges
/// ranges  count × (from varint, to varint), to ≥ from
/// </code>
/// The author of those entries is the receipt's recipient, so it is not repeated.
/// </summary>
public sealed class ReceiptBody
{
    /// <summary>Most ranges per receipt.</summary>
    public const int MaxRanges = 16;

    /// <summary>Creates a receipt over ranges of one author's sequence numbers.</summary>
    public ReceiptBody(SequenceRange[] ranges)
    {
        if (ranges.Length < 1 || ranges.Length > MaxRanges)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "a receipt covers 1 to " + MaxRanges + " ranges");
        }

        Ranges = ranges;
    }

    /// <summary>The ranges covered.</summary>
    public SequenceRange[] Ranges { get; }

    /// <summary>True if the receipt covers <paramref name="sequence"/>.</summary>
    public bool Covers(uint sequence)
    {
        for (int i = 0; i < Ranges.Length; i++)
        {
            if (Ranges[i].Contains(sequence))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Encodes the body.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(1 + Ranges.Length * 2 * Varint.MaxSize);
        writer.WriteByte(Ranges.Length);
        for (int i = 0; i < Ranges.Length; i++)
        {
            Ranges[i].WriteBounds(writer);
        }

        return writer.ToArray();
    }

    /// <summary>Decodes a body from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] data, uint author, out ReceiptBody? body)
    {
        body = null;
        SequenceRange[]? ranges;
        ProtocolError error = SequenceRange.TryReadList(new ByteReader(data, 0, data.Length), MaxRanges, false, author, uint.MaxValue + 1L, out ranges);
        if (error == ProtocolError.None)
        {
            body = new ReceiptBody(ranges!);
        }

        return error;
    }

    /// <summary>Collapses sorted, distinct sequence numbers into ranges (at most <see cref="MaxRanges"/>; the rest are left for another receipt).</summary>
    public static SequenceRange[] RangesOf(uint author, uint[] sortedSequences)
    {
        var list = new ArrayList();
        int i = 0;
        while (i < sortedSequences.Length && list.Count < MaxRanges)
        {
            uint from = sortedSequences[i];
            uint to = from;
            while (i + 1 < sortedSequences.Length && sortedSequences[i + 1] == to + 1)
            {
                to++;
                i++;
            }

            list.Add(new SequenceRange(author, from, to));
            i++;
        }

        var result = new SequenceRange[list.Count];
        list.CopyTo(result);
        return result;
    }
}
