using MeshMessenger.Protocol.Collections;

namespace MeshMessenger.Protocol.Receipts;

/// <summary>
/// The author's view of its sent direct messages, keyed by sequence number. States only move forward
/// (<see cref="MessageState"/>), and receipts count only if they come from the message's recipient.
/// At most a fixed number of messages are tracked; tracking one more forgets the one with the lowest sequence
/// number (the oldest, since a chain's sequence numbers only grow).
/// </summary>
public sealed class DeliveryTracker
{
    /// <summary>Messages tracked by default (a device).</summary>
    public const int DefaultCapacity = 128;

    private readonly KeyedTable _messages;

    /// <summary>A tracker of at most <see cref="DefaultCapacity"/> messages.</summary>
    public DeliveryTracker()
        : this(DefaultCapacity)
    {
    }

    /// <summary>A tracker of at most <paramref name="capacity"/> messages.</summary>
    public DeliveryTracker(int capacity)
    {
        _messages = new KeyedTable(capacity);
    }

    /// <summary>The most messages tracked.</summary>
    public int Capacity => _messages.Capacity;

    /// <summary>Messages tracked.</summary>
    public int Count => _messages.Count;

    /// <summary>Starts tracking a sent message.</summary>
    public void Sent(uint sequence, uint recipient)
    {
        if (_messages.Contains(sequence))
        {
            return;
        }

        if (_messages.Count == _messages.Capacity)
        {
            ForgetOldest();
        }

        _messages.Set(sequence, new Tracked(recipient));
    }

    /// <summary>The state of a message, or 0 if it is not tracked.</summary>
    public MessageState StateOf(uint sequence)
    {
        var tracked = (Tracked?)_messages.Get(sequence);
        return tracked == null ? 0 : tracked.State;
    }

    /// <summary>The recipient of a tracked message, or 0.</summary>
    public uint RecipientOf(uint sequence)
    {
        var tracked = (Tracked?)_messages.Get(sequence);
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
        for (int i = 0; i < _messages.Count; i++)
        {
            uint sequence = _messages.KeyAt(i);
            if (receipt.Covers(sequence) && Advance(sequence, from, state, true))
            {
                advanced++;
            }
        }

        return advanced;
    }

    private void ForgetOldest()
    {
        uint oldest = uint.MaxValue;
        for (int i = 0; i < _messages.Count; i++)
        {
            uint sequence = _messages.KeyAt(i);
            oldest = sequence < oldest ? sequence : oldest;
        }

        _messages.Remove(oldest);
    }

    private bool Advance(uint sequence, uint from, MessageState state, bool mustBeRecipient)
    {
        var tracked = (Tracked?)_messages.Get(sequence);
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
