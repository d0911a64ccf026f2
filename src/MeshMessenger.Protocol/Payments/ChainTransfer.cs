namespace MeshMessenger.Protocol.Payments;

/// <summary>What one transaction paid, in a <see cref="ChainAnswerCodec"/> Transfer answer.</summary>
public sealed class ChainTransfer
{
    /// <summary>Most bytes of a recipient address.</summary>
    public const int MaxToBytes = 32;

    /// <summary>Creates a transfer; refuses an oversize recipient, a token that is not 20 bytes, a non-canonical amount.</summary>
    public ChainTransfer(byte[] to, byte[]? token, byte[] amount, uint block, bool final)
    {
        if (to == null || to.Length > MaxToBytes || (token != null && token.Length != ChainRequestBody.TokenSize) || !ChainAmount.IsCanonical(amount))
        {
            throw new ProtocolException(ProtocolError.InvalidField, "a transfer names a recipient of at most 32 bytes, no token or a 20-byte one, and a canonical amount");
        }

        To = to;
        Token = token;
        Amount = amount;
        Block = block;
        Final = final;
    }

    /// <summary>The recipient's address bytes (EVM 20; UTXO version and program).</summary>
    public byte[] To { get; }

    /// <summary>The ERC-20 token contract, or null for the chain's own coin.</summary>
    public byte[]? Token { get; }

    /// <summary>The amount in base units (<see cref="ChainAmount"/>).</summary>
    public byte[] Amount { get; }

    /// <summary>The block that holds the transaction (0 = pending).</summary>
    public uint Block { get; }

    /// <summary>True once the gateway considers the transaction final.</summary>
    public bool Final { get; }
}
