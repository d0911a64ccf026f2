using MeshMessenger.Firmware.Routing;

namespace MeshMessenger.Firmware.Receipts;

/// <summary>
/// An own delivery receipt remembered with the direct message it answers, so that a copy of that message which began
/// after the receipt left can have it sent once more (<see cref="Routing.RoutingPolicy.SendsLostReceiptAgain"/>).
/// </summary>
internal sealed class SentReceipt
{
    public SentReceipt(PacketInfo message, QueuedFrame receipt)
    {
        MessageKey = message.Key;
        MessageAuthor = message.Author;
        MessageSequence = message.Sequence;
        MessageCameDirected = message.Frame.NextHop != 0;
        Receipt = receipt;
        LeftAtMs = -1;
    }

    /// <summary>The duplicate key of the direct message the receipt answers.</summary>
    public long MessageKey { get; }

    /// <summary>The author of the direct message the receipt answers.</summary>
    public uint MessageAuthor { get; }

    /// <summary>The sequence number of the direct message the receipt answers.</summary>
    public uint MessageSequence { get; }

    /// <summary>True if the copy the receipt answered named a next hop: then a flooded copy is its author's late flood.</summary>
    public bool MessageCameDirected { get; }

    /// <summary>The receipt as first queued (its signed bytes are sent again unchanged).</summary>
    public QueuedFrame Receipt { get; }

    /// <summary>When its first transmission ended; -1 while it has not left.</summary>
    public long LeftAtMs { get; set; }

    /// <summary>True once it was sent once more for a later copy of the message: never again for one.</summary>
    public bool SentAgain { get; set; }

    /// <summary>True once it was sent once more for the author's receipt request: never again for one.</summary>
    public bool SentOnRequest { get; set; }
}
