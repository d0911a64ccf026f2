using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Payments;

/// <summary>
/// The body of a tip entry (kind 11, in the clear; docs/protocol.md, "Payments"): a public note that a payment
/// on a chain rewards a post.
/// <code>
/// post_author    4        big-endian node id
/// post_sequence  varint
/// post_hash      8        first 8 bytes of the post entry's hash
/// recipient      ChainAddress
/// token          1 + 0|20 ERC-20 contract, or none
/// amount         1 + ≤32  base units, big-endian, canonical
/// txid           32
/// </code>
/// </summary>
public sealed class TipBody
{
    /// <summary>Bytes of the post hash prefix.</summary>
    public const int PostHashPrefixSize = 8;

    /// <summary>Largest encoding.</summary>
    public const int MaxSize = 4 + Varint.MaxSize + PostHashPrefixSize + ChainAddress.MaxEncodedSize + 1 + ChainRequestBody.TokenSize + 1 + ChainAmount.MaxBytes + ChainRequestBody.TxIdSize;

    /// <summary>Creates a tip; refuses fields of the wrong size and a non-canonical amount.</summary>
    public TipBody(uint postAuthor, uint postSequence, byte[] postHashPrefix, ChainAddress recipient, byte[]? token, byte[] amount, byte[] txId)
    {
        if (postHashPrefix == null || postHashPrefix.Length != PostHashPrefixSize || recipient == null
            || (token != null && token.Length != ChainRequestBody.TokenSize) || !ChainAmount.IsCanonical(amount)
            || txId == null || txId.Length != ChainRequestBody.TxIdSize)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "a tip names an 8-byte post hash prefix, a recipient, no token or a 20-byte one, a canonical amount and a 32-byte txid");
        }

        PostAuthor = postAuthor;
        PostSequence = postSequence;
        PostHashPrefix = postHashPrefix;
        Recipient = recipient;
        Token = token;
        Amount = amount;
        TxId = txId;
    }

    /// <summary>Author of the tipped post.</summary>
    public uint PostAuthor { get; }

    /// <summary>Sequence of the tipped post in its author's chain.</summary>
    public uint PostSequence { get; }

    /// <summary>First 8 bytes of the tipped post's entry hash.</summary>
    public byte[] PostHashPrefix { get; }

    /// <summary>Where the payment went.</summary>
    public ChainAddress Recipient { get; }

    /// <summary>The ERC-20 token contract, or null for the chain's own coin.</summary>
    public byte[]? Token { get; }

    /// <summary>The amount in base units (<see cref="ChainAmount"/>).</summary>
    public byte[] Amount { get; }

    /// <summary>The payment's transaction id.</summary>
    public byte[] TxId { get; }

    /// <summary>Encodes the body.</summary>
    public byte[] Encode()
    {
        var writer = new ByteWriter(MaxSize);
        writer.WriteUInt32(PostAuthor);
        writer.WriteVarint(PostSequence);
        writer.WriteBytes(PostHashPrefix);
        Recipient.Write(writer);
        ChainAnswerCodec.WriteToken(writer, Token);
        ChainAmount.Write(writer, Amount);
        writer.WriteBytes(TxId);
        return writer.ToArray();
    }

    /// <summary>Decodes a body from untrusted bytes; never throws.</summary>
    public static ProtocolError TryDecode(byte[] data, out TipBody? tip)
    {
        tip = null;
        var reader = new ByteReader(data, 0, data.Length);
        if (!reader.TryReadUInt32(out uint author) || !reader.TryReadVarint(out uint sequence))
        {
            return ProtocolError.Truncated;
        }

        byte[]? prefix = reader.ReadBytes(PostHashPrefixSize);
        if (prefix == null)
        {
            return ProtocolError.Truncated;
        }

        ChainAddress? recipient;
        ProtocolError error = ChainAddress.TryRead(reader, out recipient);
        byte[]? token = null;
        byte[]? amount = null;
        if (error == ProtocolError.None)
        {
            error = ChainAnswerCodec.TryReadToken(reader, out token);
        }

        if (error == ProtocolError.None)
        {
            error = ChainAmount.TryRead(reader, out amount);
        }

        if (error != ProtocolError.None)
        {
            return error;
        }

        byte[]? txId = reader.ReadBytes(ChainRequestBody.TxIdSize);
        if (txId == null)
        {
            return ProtocolError.Truncated;
        }

        if (reader.Remaining != 0)
        {
            return ProtocolError.TrailingBytes;
        }

        tip = new TipBody(author, sequence, prefix, recipient!, token, amount!, txId);
        return ProtocolError.None;
    }
}
