using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Frames;

/// <summary>
/// Puts fragmented entries back together despite loss, duplication and reordering, in bounded memory:
/// at most <see cref="Capacity"/> messages in progress, each at most <see cref="MaxBytesPerMessage"/> bytes
/// (<see cref="Chain.EntryCodec.MaxEncodedSize"/> of first-arrived pieces, <see cref="MaxAlternativeBytes"/> of
/// alternatives), each dropped after <see cref="TimeoutMilliseconds"/>.
/// When all slots are busy the oldest message is evicted. Recently completed ids are remembered so late
/// duplicates do not start a new message.
/// A message in progress is keyed by (message id, count), not by the id alone: each link splits with its own
/// frame size (docs/protocol.md §5.2), so one entry heard as LoRa pieces and as IP pieces (a gateway's one
/// reassembler serves every link) is two splits of the same bytes. Each is gathered on its own; the first to
/// complete yields the entry and the other is dropped.
/// Pieces are not signed, so anyone on the air can send other bytes under a message's id, count and index. A
/// piece contradicting the one held is kept as that index's alternative (at most one per index, at most
/// <see cref="MaxContestedIndexes"/> indexes, at most <see cref="MaxAlternativeBytes"/> bytes in all), and a
/// complete message yields only the combination of pieces, first-arrived first, whose SHA-256 starts with the
/// message id (docs/protocol.md §5.2): a junk piece can no longer spoil the genuine one.
/// </summary>
public sealed class Reassembler
{
    /// <summary>
    /// Indexes of one message that may hold an alternative piece: at most 2^3 = 8 combinations are hashed when it
    /// completes (docs/protocol.md §5.2).
    /// </summary>
    public const int MaxContestedIndexes = 3;

    /// <summary>
    /// Bytes of alternative pieces one message may hold: the largest genuine piece (an entry of at most
    /// <see cref="Chain.EntryCodec.MaxEncodedSize"/> bytes is at most 2 IP pieces of 1,024 bytes, or LoRa pieces of
    /// at most 245, so three of those fit too).
    /// </summary>
    public const int MaxAlternativeBytes = Chain.EntryCodec.MaxEncodedSize / 2;

    /// <summary>Bytes one message in progress may hold: its first-arrived pieces and its alternatives.</summary>
    public const int MaxBytesPerMessage = Chain.EntryCodec.MaxEncodedSize + MaxAlternativeBytes;

    private const int RecentSize = 32;

    private readonly Slot[] _slots;
    private readonly Sha256 _sha = new Sha256();
    private readonly byte[] _digest = new byte[Sha256.HashSize];
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

    /// <summary>Bytes held in pieces right now, alternatives included (never above Capacity × <see cref="MaxBytesPerMessage"/>).</summary>
    public int BufferedBytes
    {
        get
        {
            int n = 0;
            for (int i = 0; i < _slots.Length; i++)
            {
                n += _slots[i].InUse ? _slots[i].Bytes + _slots[i].AlternativeBytes : 0;
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
            return Contest(slot, fragment);
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

        int combination = Genuine(slot);
        if (combination < 0)
        {
            // No combination hashes to the id: junk pieces, or the genuine one was not kept (docs/protocol.md §5.2).
            // Nothing is remembered, so a genuine copy (a relay's, a sync answer) can still start the message again.
            slot.Clear();
            return ReassemblyStatus.Conflict;
        }

        entry = new byte[Length(slot, combination)];
        int offset = 0;
        for (int i = 0; i < slot.Count; i++)
        {
            byte[] piece = Piece(slot, i, combination);
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

    /// <summary>A piece at an index that already holds one: a copy, a kept alternative, or one past the limits.</summary>
    private static ReassemblyStatus Contest(Slot slot, Fragment fragment)
    {
        if (ByteArrays.Same(slot.Pieces[fragment.Index]!, fragment.Data))
        {
            return ReassemblyStatus.Duplicate;
        }

        for (int j = 0; j < slot.Contested; j++)
        {
            if (slot.ContestedIndex[j] == fragment.Index)
            {
                // One alternative per index: a third version is not kept.
                return ByteArrays.Same(slot.Alternatives[j]!, fragment.Data) ? ReassemblyStatus.Duplicate : ReassemblyStatus.AlternativeIgnored;
            }
        }

        if (slot.Contested == MaxContestedIndexes || slot.AlternativeBytes + fragment.Data.Length > MaxAlternativeBytes)
        {
            return ReassemblyStatus.AlternativeIgnored;
        }

        slot.ContestedIndex[slot.Contested] = fragment.Index;
        slot.Alternatives[slot.Contested] = fragment.Data;
        slot.Contested++;
        slot.AlternativeBytes += fragment.Data.Length;
        return ReassemblyStatus.AlternativeKept;
    }

    /// <summary>
    /// The first combination, in order 0, 1, ... 2^contested − 1, whose bytes hash to the message id, or −1. Bit j
    /// of a combination takes the alternative of the j-th contested index, so combination 0 is the first-arrived
    /// pieces. A combination longer than the largest entry is not an entry and is skipped unhashed.
    /// </summary>
    private int Genuine(Slot slot)
    {
        int combinations = 1 << slot.Contested;
        for (int combination = 0; combination < combinations; combination++)
        {
            if (Length(slot, combination) > Chain.EntryCodec.MaxEncodedSize)
            {
                continue;
            }

            for (int i = 0; i < slot.Count; i++)
            {
                byte[] piece = Piece(slot, i, combination);
                _sha.Update(piece, 0, piece.Length);
            }

            _sha.Finish(_digest, 0);
            if (CryptoBytes.LoadUInt32BigEndian(_digest, 0) == slot.MessageId)
            {
                return combination;
            }
        }

        return -1;
    }

    private static int Length(Slot slot, int combination)
    {
        int length = slot.Bytes;
        for (int j = 0; j < slot.Contested; j++)
        {
            if ((combination & (1 << j)) != 0)
            {
                length += slot.Alternatives[j]!.Length - slot.Pieces[slot.ContestedIndex[j]]!.Length;
            }
        }

        return length;
    }

    private static byte[] Piece(Slot slot, int index, int combination)
    {
        for (int j = 0; j < slot.Contested; j++)
        {
            if (slot.ContestedIndex[j] == index && (combination & (1 << j)) != 0)
            {
                return slot.Alternatives[j]!;
            }
        }

        return slot.Pieces[index]!;
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


    private sealed class Slot
    {
        public byte[]?[] Pieces = new byte[]?[Fragment.MaxCount];
        public int[] ContestedIndex = new int[MaxContestedIndexes];
        public byte[]?[] Alternatives = new byte[]?[MaxContestedIndexes];
        public int Contested;
        public int AlternativeBytes;
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
            Contested = 0;
            AlternativeBytes = 0;
            Started = now;
        }

        public void Clear()
        {
            InUse = false;
            for (int i = 0; i < Pieces.Length; i++)
            {
                Pieces[i] = null;
            }

            for (int j = 0; j < Alternatives.Length; j++)
            {
                Alternatives[j] = null;
            }

            Contested = 0;
            AlternativeBytes = 0;
        }
    }
}
