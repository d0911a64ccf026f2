using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Protocol.Node;

/// <summary>A message as the user sees it: one readable entry, sent or received.</summary>
public sealed class MessageRecord
{
    /// <summary>Creates a record.</summary>
    public MessageRecord(uint author, uint sequence, EntryKind kind, uint peer, uint channel, string text, uint time, bool outgoing)
    {
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

    /// <summary>True if this node wrote it.</summary>
    public bool Outgoing { get; }
}
