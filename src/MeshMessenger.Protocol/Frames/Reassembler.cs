using System;

namespace MeshMessenger.Protocol.Frames;

/// <summary>
/// Puts fragmented entries back together despite loss, duplication and reordering, in bounded memory:
/// at most <see cref="Capacity"/> messages in progress, each at most
/// <see cref="Chain.EntryCodec.MaxEncodedSize"/> bytes, each dropped after <see cref="TimeoutMilliseconds"/>.
/// When all slots are busy the oldest message is evicted. Recently completed ids are remembered so late
/// duplicates do not start a new message.
/// A message in progress is keyed by (message id, count), not by the id alone: each link splits with its own
/// frame size (docs/protocol.md §5.2), so one entry heard as LoRa pieces and as IP pieces (a gateway's one
/// reassembler serves every link) is two splits of the same bytes. Each is gathered on its own; the first to
/// complete yields the entry and the other is dropped.
/// </summary>
public sealed class Reassembler
{
    private const int RecentSize = 32;

    private readonly Slot[] _slots;
    private readonly uint[] _recent = new uint[RecentSize];
    private int _recentCount;
    private int _recentNext;

    /// <summary>Creates a reassembler.</summary>
    public Reassembler(int capacity, long timeoutMilliseconds)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }

        _slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i] = new Slot();
        }

        TimeoutMilliseconds = timeoutMilliseconds;
    }

    /// <summary>Messages that can be in progress at once.</summary>
    public int Capacity => _slots.Length;

    /// <summary>How long an incomplete message is kept after its first piece.</summary>
    public long TimeoutMilliseconds { get; }

    /// <summary>Messages dropped because they timed out.</summary>
    public int TimedOut { get; private set; }

    /// <summary>Messages dropped to make room.</summary>
    public int Evicted { get; private set; }

    /// <summary>Messages in progress.</summary>
    public int InProgress
    {
        get
        {
            int n = 0;
            for (int i = 0; i < _slots.Length; i++)
            {
                n += _slots[i].InUse ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>Bytes held in pieces right now (never above Capacity × the largest entry).</summary>
    public int BufferedBytes
    {
        get
        {
            int n = 0;
            for (int i = 0; i < _slots.Length; i++)
            {
                n += _slots[i].InUse ? _slots[i].Bytes : 0;
            }

            return n;
        }
    }

    /// <summary>Offers a piece. On <see cref="ReassemblyStatus.Completed"/>, <paramref name="entry"/> holds the whole entry.</summary>
    public ReassemblyStatus Offer(Fragment fragment, long nowMilliseconds, out byte[]? entry)
    {
        entry = null;
        Expire(nowMilliseconds);
        for (int i = 0; i < _recentCount; i++)
        {
            if (_recent[i] == fragment.MessageId)
            {
                return ReassemblyStatus.AlreadyCompleted;
            }
        }

        Slot slot = Find(fragment.MessageId, fragment.Count) ?? Claim(fragment, nowMilliseconds);
        byte[]? held = slot.Pieces[fragment.Index];
        if (held != null)
        {
            if (SameBytes(held, fragment.Data))
            {
                return ReassemblyStatus.Duplicate;
            }

            slot.Clear();
            return ReassemblyStatus.Conflict;
        }

        if (slot.Bytes + fragment.Data.Length > Chain.EntryCodec.MaxEncodedSize)
        {
            slot.Clear();
            return ReassemblyStatus.TooLarge;
        }

        slot.Pieces[fragment.Index] = fragment.Data;
        slot.Bytes += fragment.Data.Length;
        slot.Received++;
        if (slot.Received < slot.Count)
        {
            return ReassemblyStatus.Stored;
        }

        entry = new byte[slot.Bytes];
        int offset = 0;
        for (int i = 0; i < slot.Count; i++)
        {
            byte[] piece = slot.Pieces[i]!;
            Array.Copy(piece, 0, entry, offset, piece.Length);
            offset += piece.Length;
        }

        Remember(slot.MessageId);
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].InUse && _slots[i].MessageId == slot.MessageId)
            {
                _slots[i].Clear(); // this split, and any other split of the same entry still in progress
            }
        }

        return ReassemblyStatus.Completed;
    }

    /// <summary>Drops messages whose first piece is older than the timeout.</summary>
    public void Expire(long nowMilliseconds)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].InUse && nowMilliseconds - _slots[i].Started > TimeoutMilliseconds)
            {
                _slots[i].Clear();
                TimedOut++;
            }
        }
    }

    private Slot? Find(uint messageId, int count)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].InUse && _slots[i].MessageId == messageId && _slots[i].Count == count)
            {
                return _slots[i];
            }
        }

        return null;
    }

    private Slot Claim(Fragment fragment, long now)
    {
        Slot? free = null;
        Slot oldest = _slots[0];
        for (int i = 0; i < _slots.Length; i++)
        {
            if (!_slots[i].InUse)
            {
                free = _slots[i];
                break;
            }

            if (_slots[i].Started < oldest.Started)
            {
                oldest = _slots[i];
            }
        }

        if (free == null)
        {
            oldest.Clear();
            Evicted++;
            free = oldest;
        }

        free.Start(fragment.MessageId, fragment.Count, now);
        return free;
    }

    private void Remember(uint messageId)
    {
        _recent[_recentNext] = messageId;
        _recentNext = (_recentNext + 1) % RecentSize;
        if (_recentCount < RecentSize)
        {
            _recentCount++;
        }
    }

    private static bool SameBytes(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Slot
    {
        public byte[]?[] Pieces = new byte[]?[Fragment.MaxCount];
        public bool InUse;
        public uint MessageId;
        public int Count;
        public int Received;
        public int Bytes;
        public long Started;

        public void Start(uint messageId, int count, long now)
        {
            InUse = true;
            MessageId = messageId;
            Count = count;
            Received = 0;
            Bytes = 0;
            Started = now;
        }

        public void Clear()
        {
            InUse = false;
            for (int i = 0; i < Pieces.Length; i++)
            {
                Pieces[i] = null;
            }
        }
    }
}
