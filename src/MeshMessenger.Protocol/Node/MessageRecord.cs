using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Protocol.Node;

/// <summary>A message as the user sees it: one readable entry, sent or received.</summary>
public sealed class MessageRecord
{
    /// <summary>Creates a record.</summary>
    public MessageRecord(uint author, uint sequence, EntryKind kind, uint peer, uint channel, string text, uint time, bool outgoing)
        : this(author, sequence, kind, peer, channel, text, time, outgoing, 0, null)
    {
    }

    /// <summary>Creates a record of a post with an attachment (<see cref="Wire.PostBody"/>).</summary>
    public MessageRecord(uint author, uint sequence, EntryKind kind, uint peer, uint channel, string text, uint time, bool outgoing, byte mediaType, byte[]? media)
    {
        MediaType = mediaType;
        Media = media;
        Author = author;
        Sequence = sequence;
        Kind = kind;
        Peer = peer;
        Channel = channel;
        Text = text;
        Time = time;
        Outgoing = outgoing;
    }

    /// <summary>Who wrote it.</summary>
    public uint Author { get; }

    /// <summary>Its sequence in the author's chain.</summary>
    public uint Sequence { get; }

    /// <summary>Text, channel post or public post.</summary>
    public EntryKind Kind { get; }

    /// <summary>The other party of a direct message (0 otherwise).</summary>
    public uint Peer { get; }

    /// <summary>The channel id of a channel post (0 otherwise).</summary>
    public uint Channel { get; }

    /// <summary>The text.</summary>
    public string Text { get; }

    /// <summary>Author's timestamp (<see cref="EntryTime"/>).</summary>
    public uint Time { get; }

    /// <summary>The attachment's media type (<see cref="Wire.PostBody.NoMedia"/> if none).</summary>
    public byte MediaType { get; }

    /// <summary>The attachment (a small photo), or null.</summary>
    public byte[]? Media { get; }

    /// <summary>True if this node wrote it.</summary>
    public bool Outgoing { get; }
}
