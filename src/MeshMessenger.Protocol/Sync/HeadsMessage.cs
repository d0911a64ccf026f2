using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sync;

/// <summary>
/// A <see cref="Frames.FrameType.Heads"/> payload: the chains a node holds.
/// <code>
/// flags   1   bit 0: please answer with your heads; bit 1: the heads listed are questions (the sender
///             holds nothing of these chains, low/high/link are 0) to be answered first; bit 2: the sender is an
///             archive (it keeps every chain it hears: a gateway); other bits 0
/// count   1   0..
/// heads   count × (author 4, low varint, high varint, head link 8)
/// </code>
/// Heads are exchanged between neighbours only (hop limit 0); a node with more chains than fit one frame
/// sends several, starting from a rotating offset so every chain is advertised in turn.
/// </summary>
public sealed class HeadsMessage
{
    private const int FlagRequest = 1;
    private const int FlagQuery = 2;
    private const int FlagArchive = 4;
    private const int KnownFlags = FlagRequest | FlagQuery | FlagArchive;

    /// <summary>Creates a heads message.</summary>
    public HeadsMessage(bool requestReply, ChainHead[] heads)
        : this(requestReply, false, heads)
    {
    }

    /// <summary>Creates a heads message; with <paramref name="query"/> the heads are questions, not holdings.</summary>
    public HeadsMessage(bool requestReply, bool query, ChainHead[] heads)
        : this(requestReply, query, false, heads)
    {
    }

    /// <summary>Creates a heads message; <paramref name="archive"/> says the sender keeps every chain it hears (docs/protocol.md §8.1).</summary>
    public HeadsMessage(bool requestReply, bool query, bool archive, ChainHead[] heads)
    {
        RequestReply = requestReply;
        Query = query;
        Archive = archive;
        Heads = heads;
    }

    /// <summary>The sender keeps every chain it hears (a gateway or archive): its heads vouch for a restoring node's own head (docs/protocol.md §8.3).</summary>
    public bool Archive { get; }

    /// <summary>The listed heads are chains the sender asks about (it holds nothing of them).</summary>
    public bool Query { get; }

    /// <summary>The sender wants the receiver's heads in return.</summary>
    public bool RequestReply { get; }

    /// <summary>The heads.</summary>
    public ChainHead[] Heads { get; }

    /// <summary>Largest encoding of one head.</summary>
    public const int MaxHeadSize = 4 + Varint.MaxSize + Varint.MaxSize + EntryCodec.LinkSize;

    /// <summary>How many heads always fit a payload of <paramref name="payloadSize"/> bytes.</summary>
    public static int Fit(int payloadSize)
    {
        return (payloadSize - 2) / MaxHeadSize;
    }

    /// <summary>Encodes the payload.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(2 + Heads.Length * MaxHeadSize);
        writer.WriteByte((RequestReply ? FlagRequest : 0) | (Query ? FlagQuery : 0) | (Archive ? FlagArchive : 0));
        writer.WriteByte(Heads.Length);
        for (int i = 0; i < Heads.Length; i++)
        {
            writer.WriteUInt32(Heads[i].Author);
            writer.WriteVarint(Heads[i].Low);
            writer.WriteVarint(Heads[i].High);
            writer.WriteBytes(Heads[i].HeadLink);
        }

        return writer.ToArray();
    }

    /// <summary>Decodes a payload from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] payload, out HeadsMessage? message)
    {
        message = null;
        var reader = new ByteReader(payload, 0, payload.Length);
        int flags = reader.ReadByte();
        int count = reader.ReadByte();
        if (flags < 0 || count < 0)
        {
            return ProtocolError.Truncated;
        }

        if ((flags & ~KnownFlags) != 0 || count * (4 + 1 + 1 + EntryCodec.LinkSize) > reader.Remaining)
        {
            return (flags & ~KnownFlags) != 0 ? ProtocolError.InvalidField : ProtocolError.Truncated;
        }

        var heads = new ChainHead[count];
        for (int i = 0; i < count; i++)
        {
            uint author;
            uint low;
            uint high;
            if (!reader.TryReadUInt32(out author) || !reader.TryReadVarint(out low) || !reader.TryReadVarint(out high))
            {
                return ProtocolError.Truncated;
            }

            byte[]? link = reader.ReadBytes(EntryCodec.LinkSize);
            if (link == null)
            {
                return ProtocolError.Truncated;
            }

            if (high < low)
            {
                return ProtocolError.InvalidField;
            }

            heads[i] = new ChainHead(author, low, high, link);
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        message = new HeadsMessage((flags & FlagRequest) != 0, (flags & FlagQuery) != 0, (flags & FlagArchive) != 0, heads);
        return ProtocolError.None;
    }
}
