namespace MeshMessenger.Protocol.Receipts;

/// <summary>
/// Where a sent direct message is, as its author can tell. Each step needs its own evidence; "relayed"
/// (a neighbour was heard repeating it) is never shown as "delivered", the confusion of Meshtastic's
/// issues 8034 and 8464.
/// </summary>
public enum MessageState
{
    /// <summary>Transmitted by this node.</summary>
    Sent = 1,

    /// <summary>A neighbour was heard relaying it, or acknowledged it hop by hop.</summary>
    Relayed = 2,

    /// <summary>The recipient's signed delivery receipt arrived.</summary>
    Delivered = 3,

    /// <summary>The recipient's signed read receipt arrived.</summary>
    Read = 4,
}
