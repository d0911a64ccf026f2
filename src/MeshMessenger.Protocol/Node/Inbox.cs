using System;
using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Receipts;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// The readable messages a node holds in memory, sent and received, in the order it learned them: at most
/// <see cref="NodeLimits.Messages"/> records, the oldest dropped from memory at the cap (the store keeps the entry).
/// </summary>
/// <remarks>
/// <see cref="MessageAdded"/> is raised exactly once for each record <see cref="Add"/> takes, after it is in the list:
/// for each message this node composes, for each newly stored entry it can open, and for own direct messages that a
/// peer's newly learned profile makes readable. A duplicate frame or a replayed entry is not stored again, so it raises
/// nothing. <see cref="MessengerNode.RebuildFromStore"/> (run when a node starts on a store that holds entries, when a
/// restore ends, and when a host calls it) clears the list and re-adds every record it can read, raising the event
/// again for each: a handler must be idempotent per (author, sequence), as for
/// <see cref="MessengerNode.PaymentEntryReceived"/>.
/// </remarks>
public sealed class Inbox : IEnumerable
{
    private readonly ArrayList _records = new ArrayList();
    private readonly int _capacity;

    /// <summary>Creates an inbox of at most <paramref name="capacity"/> records.</summary>
    public Inbox(int capacity)
    {
        _capacity = capacity;
    }

    /// <summary>Raised once for each record added (see the remarks for exactly when).</summary>
    public event MessageHandler? MessageAdded;

    /// <summary>Records held.</summary>
    public int Count => _records.Count;

    /// <summary>The cap on records held.</summary>
    public int Capacity => _capacity;

    /// <summary>The record at <paramref name="index"/> (0 is the oldest held).</summary>
    public MessageRecord At(int index)
    {
        return (MessageRecord)_records[index]!;
    }

    /// <summary>Adds a record, dropping the oldest at the cap, and raises <see cref="MessageAdded"/> for it.</summary>
    internal void Add(MessageRecord record)
    {
        if (_records.Count == _capacity)
        {
            _records.RemoveAt(0);
        }

        _records.Add(record);
        MessageHandler? handler = MessageAdded;
        if (handler != null)
        {
            handler(record);
        }
    }

    /// <summary>Empties the list (before a rebuild re-adds what the store holds); raises nothing.</summary>
    internal void Clear()
    {
        _records.Clear();
    }

    /// <summary>The records held, oldest first (<see cref="MessageRecord"/>); hosts read, only the node changes them.</summary>
    public IEnumerator GetEnumerator()
    {
        return _records.GetEnumerator();
    }

    /// <summary>True if a record of (<paramref name="author"/>, <paramref name="sequence"/>) is held.</summary>
    public bool Contains(uint author, uint sequence)
    {
        for (int i = 0; i < _records.Count; i++)
        {
            var m = (MessageRecord)_records[i]!;
            if (m.Author == author && m.Sequence == sequence)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The received messages of <paramref name="author"/> up to <paramref name="sequence"/>, as ranges for one read receipt.</summary>
    public SequenceRange[] ReadRun(uint author, uint sequence)
    {
        var list = new ArrayList();
        for (int i = 0; i < _records.Count; i++)
        {
            var m = (MessageRecord)_records[i]!;
            if (!m.Outgoing && m.Author == author && m.Kind == EntryKind.Text && m.Sequence <= sequence)
            {
                list.Add(m.Sequence);
            }
        }

        var sequences = new uint[list.Count];
        for (int i = 0; i < sequences.Length; i++)
        {
            sequences[i] = (uint)list[i]!;
        }

        // Messages arrive in order almost always; an insertion sort handles the rest (Array.Sort is outside the subset).
        for (int i = 1; i < sequences.Length; i++)
        {
            uint v = sequences[i];
            int j = i - 1;
            while (j >= 0 && sequences[j] > v)
            {
                sequences[j + 1] = sequences[j];
                j--;
            }

            sequences[j + 1] = v;
        }

        if (sequences.Length == 0)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "no message of " + NodeId.ToText(author) + " up to " + sequence + " to mark read");
        }

        uint[] tail = sequences;
        if (sequences.Length > ReceiptBody.MaxRanges)
        {
            tail = new uint[ReceiptBody.MaxRanges];
            Array.Copy(sequences, sequences.Length - ReceiptBody.MaxRanges, tail, 0, ReceiptBody.MaxRanges);
        }

        return ReceiptBody.RangesOf(author, tail);
    }
}
