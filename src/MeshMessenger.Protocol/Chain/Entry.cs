using System;

namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// One signed entry of an author's append-only log, as decoded from its canonical bytes
/// (<see cref="EntryCodec"/>). Immutable; <see cref="Encoded"/> is exactly what was signed plus the signature.
/// </summary>
public sealed class Entry
{
    internal Entry(EntryKind kind, BodySealing sealing, uint author, uint sequence, uint time, byte[] previous, byte hint, int bodyOffset, int bodyLength, byte[] encoded)
    {
        Kind = kind;
        Sealing = sealing;
        Author = author;
        Sequence = sequence;
        Time = time;
        Previous = previous;
        Hint = hint;
        BodyOffset = bodyOffset;
        BodyLength = bodyLength;
        Encoded = encoded;
    }

    /// <summary>What the entry is.</summary>
    public EntryKind Kind { get; }

    /// <summary>How the body is protected.</summary>
    public BodySealing Sealing { get; }

    /// <summary>The author's node id.</summary>
    public uint Author { get; }

    /// <summary>Position in the author's log, from 0.</summary>
    public uint Sequence { get; }

    /// <summary>Author's clock (<see cref="EntryTime"/>), a hint only.</summary>
    public uint Time { get; }

    /// <summary>First <see cref="EntryCodec.LinkSize"/> bytes of the previous entry's hash (zeros at sequence 0).</summary>
    public byte[] Previous { get; }

    /// <summary>Recipient hint (direct), channel hint (channel), or 0 (clear).</summary>
    public byte Hint { get; }

    /// <summary>
    /// Whether this entry is for the node whose hint is <paramref name="hint"/> (or another sharing it): sealed direct with
    /// that recipient hint. A channel post carries its channel's hint and a clear entry 0, either of which a node's own hint
    /// may equal (docs/protocol.md §3.1).
    /// </summary>
    public bool IsAddressedTo(byte hint) => Sealing == BodySealing.Direct && Hint == hint;

    /// <summary>Where the body starts in <see cref="Encoded"/>.</summary>
    public int BodyOffset { get; }

    /// <summary>Body length in bytes.</summary>
    public int BodyLength { get; }

    /// <summary>The canonical bytes: header, body, signature.</summary>
    public byte[] Encoded { get; }

    /// <summary>Bytes covered by the signature: everything before it.</summary>
    public int SignedLength => Encoded.Length - EntryCodec.SignatureSize;

    /// <summary>Length of the header (everything before the body); it is the associated data of sealed bodies.</summary>
    public int HeaderLength => BodyOffset;

    /// <summary>A copy of the body.</summary>
    public byte[] CopyBody()
    {
        var body = new byte[BodyLength];
        Array.Copy(Encoded, BodyOffset, body, 0, BodyLength);
        return body;
    }
}
