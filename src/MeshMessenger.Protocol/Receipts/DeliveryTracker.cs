using System.Collections;

namespace MeshMessenger.Protocol.Receipts;

/// <summary>
/// The author's view of its sent direct messages, keyed by sequence number. States only move forward
/// (<see cref="MessageState"/>), and receipts count only if they come from the message's recipient.
/// </summary>
public sealed class DeliveryTracker
{
    private readonly Hashtable _messages = new Hashtable();

    /// <summary>Messages tracked.</summary>
    public int Count => _messages.Count;

    /// <summary>Starts tracking a sent message.</summary>
    public void Sent(uint sequence, uint recipient)
    {
        if (_messages[sequence] == null)
        {
            _messages[sequence] = new Tracked(recipient);
        }
    }

    /// <summary>The state of a message, or 0 if it is not tracked.</summary>
    public MessageState StateOf(uint sequence)
    {
        var tracked = (Tracked?)_messages[sequence];
        return tracked == null ? 0 : tracked.State;
    }

    /// <summary>The recipient of a tracked message, or 0.</summary>
    public uint RecipientOf(uint sequence)
    {
        var tracked = (Tracked?)_messages[sequence];
        return tracked == null ? 0 : tracked.Recipient;
    }

    /// <summary>A neighbour repeated or acknowledged the message.</summary>
    public bool Relayed(uint sequence)
    {
        return Advance(sequence, 0, MessageState.Relayed, false);
    }

    /// <summary>
    /// Applies a verified receipt written by <paramref name="from"/>; returns how many messages advanced.
    /// A receipt from anyone but a message's recipient changes nothing.
    /// </summary>
    public int ApplyReceipt(uint from, ReceiptBody receipt, MessageState state)
    {
        int advanced = 0;
        foreach (object key in _messages.Keys)
        {
            uint sequence = (uint)key;
            if (receipt.Covers(sequence) && Advance(sequence, from, state, true))
            {
                advanced++;
            }
        }

        return advanced;
    }

    private bool Advance(uint sequence, uint from, MessageState state, bool mustBeRecipient)
    {
        var tracked = (Tracked?)_messages[sequence];
        if (tracked == null || (mustBeRecipient && tracked.Recipient != from) || tracked.State >= state)
        {
            return false;
        }

        tracked.State = state;
        return true;
    }

    private sealed class Tracked
    {
        public Tracked(uint recipient)
        {
            Recipient = recipient;
            State = MessageState.Sent;
        }

        public uint Recipient { get; }

        public MessageState State { get; set; }
    }
}
