namespace MeshMessenger.Protocol.Payments;

/// <summary>What a gateway reports back in a <see cref="ChainStatusBody"/>, and what its payload holds.</summary>
public enum ChainStatusKind
{
    /// <summary>The node accepted the transaction; payload: the 32-byte transaction id.</summary>
    Accepted = 1,

    /// <summary>The transaction is in a block; payload: txid 32, block varint, confirmations varint.</summary>
    Included = 2,

    /// <summary>The transaction is final; payload: txid 32, block varint.</summary>
    Final = 3,

    /// <summary>The node refused; payload: its UTF-8 reason, at most 200 bytes.</summary>
    Failed = 4,

    /// <summary>The answer to a read; payload encoded per request kind (<see cref="ChainAnswerCodec"/>).</summary>
    Answer = 5,

    /// <summary>The transaction is neither in the mempool nor on chain and re-broadcast was refused; payload: the txid.</summary>
    Dropped = 6,

    /// <summary>The gateway does not serve that chain, or its node is down; payload: UTF-8 reason, at most 200 bytes.</summary>
    Unavailable = 7,
}
