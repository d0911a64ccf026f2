using System;
using MeshMessenger.Device.Platform;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Device.Storage;

/// <summary>
/// An <see cref="IEntryStore"/> on flash: an append-only log of <see cref="FlashRecord"/>s with a sorted in-RAM index
/// of (author, sequence) → file position. Entries stay on flash; RAM holds 12 bytes per entry in fixed arrays.
/// <para>
/// Two files, <c>NAME.a</c> and <c>NAME.b</c>; the live one starts with a header record (generation g) followed by a
/// sealed record (g): a file counts only when both are intact. Reopening scans the live file and stops at the first
/// record that is not intact (a torn write); if anything follows it, the store compacts at once, so no append ever
/// lands after garbage. Compaction copies the indexed records into the other file under generation g+1, seals it, and
/// only then deletes the old one: power lost before the seal leaves the old file in charge, after it the new one.
/// </para>
/// <para>
/// Caps: <see cref="Capacity"/> entries and <see cref="MaxLogBytes"/> bytes of log (the constructor's, or
/// <see cref="DefaultCapacity"/> and <see cref="DefaultMaxLogBytes"/>). Live bytes stay at most half the byte cap, so
/// the log compacts before it passes the cap and the copy always fits: the store's two files never hold more than
/// 1.5 × <see cref="MaxLogBytes"/> together. A new (author, sequence) that would pass either cap makes room: the lowest
/// sequence of the author holding the most entries (2 or more) leaves the index (its bytes become dead and go at the
/// next compaction), counted in <see cref="EvictedAtCapacity"/>. When every author holds one entry, the lowest author
/// other than the device's own (<see cref="OwnAuthor"/>) loses its only entry: another author's head can go, the
/// device's own newest entry never does, since a head it no longer stores is a sequence number it would reuse after a
/// restart (a fork of its own chain). Refusing instead would stop a full device from storing its own new entries.
/// Reopening replays the log through the same rules, so it rebuilds the same index.
/// </para>
/// </summary>
public sealed class FlashEntryStore : IEntryStore
{
    /// <summary>Default cap: 2,048 entries, 24 KB of index (two arrays of 8- and 4-byte slots).</summary>
    public const int DefaultCapacity = 2048;

    /// <summary>
    /// Default byte cap: 128 KiB. nanoFramework's 4 MB ESP32 layout gives the LittleFS "config" partition (drive I:) 256 KiB
    /// (nf-interpreter targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv: <c>config, data, littlefs, 0x3C0000, 0x40000</c>),
    /// shared with network settings and certificates. At 128 KiB the store peaks at 192 KiB during a compaction, which
    /// leaves 64 KiB for the bundle slots, LittleFS metadata blocks and the firmware's own configuration.
    /// </summary>
    public const int DefaultMaxLogBytes = 128 * 1024;

    /// <summary>The log compacts itself once it is at least this long and over half of it is dead (replaced or torn) bytes.</summary>
    public const int CompactionThresholdBytes = 65536;

    internal const byte HeaderType = 1;
    internal const byte EntryType = 2;
    internal const byte SealType = 3;

    private const int HashSize = 32;

    private readonly IFlashStorage _flash;
    private readonly string[] _files;
    private readonly ulong[] _keys;
    private readonly int[] _positions;
    private readonly byte[] _buffer = new byte[FlashRecord.MaxPayload + FlashRecord.Overhead];
    private int _count;
    private int _active;
    private uint _generation;
    private int _length;
    private int _liveBytes;
    private bool _dirtyTail;
    private int _replayDead;
    private readonly byte[] _head = new byte[4];
    private readonly int _maxLogBytes;

    /// <summary>Opens (or creates) the store <paramref name="name"/> with the default caps and no own author.</summary>
    public FlashEntryStore(IFlashStorage flash, string name)
        : this(flash, name, DefaultCapacity, 0, DefaultMaxLogBytes)
    {
    }

    /// <summary>Opens (or creates) the store <paramref name="name"/> holding at most <paramref name="capacity"/> entries.</summary>
    public FlashEntryStore(IFlashStorage flash, string name, int capacity)
        : this(flash, name, capacity, 0, DefaultMaxLogBytes)
    {
    }

    /// <summary>
    /// Opens (or creates) the store <paramref name="name"/> holding at most <paramref name="capacity"/> entries in a log of
    /// at most <paramref name="maxLogBytes"/> bytes; eviction never drops the newest entry of <paramref name="ownAuthor"/>
    /// (the device's own node id; 0 for none).
    /// </summary>
    public FlashEntryStore(IFlashStorage flash, string name, int capacity, uint ownAuthor, int maxLogBytes)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException("capacity");
        }

        if (maxLogBytes < 4 * (FlashRecord.MaxPayload + FlashRecord.Overhead))
        {
            throw new ArgumentOutOfRangeException("maxLogBytes"); // room for two largest records beside the markers in half of it
        }

        _flash = flash;
        _maxLogBytes = maxLogBytes;
        OwnAuthor = ownAuthor;
        _files = new string[] { name + ".a", name + ".b" };
        _keys = new ulong[capacity];
        _positions = new int[capacity];
        Status = Open();
    }

    /// <summary>What opening found.</summary>
    public FlashStoreStatus Status { get; }

    /// <summary>The author whose newest entry is never evicted (the device's own node id), or 0.</summary>
    public uint OwnAuthor { get; }

    /// <summary>The cap on the live file's length in bytes; live bytes stay at most half of it.</summary>
    public int MaxLogBytes => _maxLogBytes;

    /// <summary>Puts refused because no entry could make room (only the device's own head was left to evict).</summary>
    public int Refused { get; private set; }

    /// <summary>The cap on entries.</summary>
    public int Capacity => _keys.Length;

    /// <inheritdoc />
    public int Count => _count;

    /// <summary>Entries dropped from the index to make room for newer ones (since opening, replay included).</summary>
    public int EvictedAtCapacity { get; private set; }

    /// <summary>Puts whose write failed (storage error); the entry is not held and the next put compacts first.</summary>
    public int WriteFailures { get; private set; }

    /// <summary>Compactions run since opening.</summary>
    public int Compactions { get; private set; }

    /// <summary>The live file's generation.</summary>
    public uint Generation => _generation;

    /// <summary>The live file's name.</summary>
    public string ActiveFile => _files[_active];

    /// <summary>The live file's length in bytes.</summary>
    public int FileLength => _length;

    /// <inheritdoc />
    public StoredEntry? Get(uint author, uint sequence)
    {
        int slot = Find(Key(author, sequence));
        if (slot < 0)
        {
            return null;
        }

        byte type;
        int length = FlashRecord.TryRead(_flash, _files[_active], _positions[slot], _length, _buffer, out type);
        if (length == 0 || type != EntryType)
        {
            return null; // the flash changed under us; report "not held" rather than a wrong entry
        }

        int payload = FlashRecord.PayloadLength(_buffer);
        Entry? entry;
        if (payload <= HashSize || EntryCodec.TryDecode(_buffer, 4 + HashSize, payload - HashSize, out entry) != ProtocolError.None || entry == null
            || entry.Author != author || entry.Sequence != sequence)
        {
            return null; // never another key's entry, whatever happened to the index
        }

        var hash = new byte[HashSize];
        Array.Copy(_buffer, 4, hash, 0, HashSize);
        return new StoredEntry(entry, hash);
    }

    /// <inheritdoc />
    public void Put(StoredEntry stored)
    {
        ulong key = Key(stored.Entry.Author, stored.Entry.Sequence);
        int slot = Find(key);
        int encodedLength = stored.Entry.Encoded.Length;
        if (stored.Hash.Length != HashSize || HashSize + encodedLength > FlashRecord.MaxPayload)
        {
            return;
        }

        int recordLength = HashSize + encodedLength + FlashRecord.Overhead;
        while (slot < 0 && (_count == _keys.Length || _liveBytes + recordLength > _maxLogBytes / 2))
        {
            int evictedPosition = EvictOne(key);
            if (evictedPosition < 0)
            {
                Refused++; // only the device's own head is left, and this entry is not newer than it
                return;
            }

            _liveBytes -= RecordLength(evictedPosition);
        }

        try
        {
            if (_dirtyTail || ShouldCompact() || _length + recordLength > _maxLogBytes)
            {
                Compact();
            }

            Array.Copy(stored.Hash, 0, _buffer, 4, HashSize);
            Array.Copy(stored.Entry.Encoded, 0, _buffer, 4 + HashSize, encodedLength);
            int total = FlashRecord.Seal(_buffer, EntryType, HashSize + encodedLength);
            _flash.Append(_files[_active], _buffer, 0, total);
            int position = _length;
            _length += total;
            if (slot >= 0)
            {
                _positions[slot] = position; // the older copy becomes dead bytes
            }
            else
            {
                Insert(key, position);
                _liveBytes += total;
            }
        }
        catch (Exception)
        {
            // A failed append may have left a prefix on flash; the next put compacts past it first.
            WriteFailures++;
            _dirtyTail = true;
            _length = SafeLength(_files[_active]);
        }
    }

    /// <inheritdoc />
    public bool TryGetRange(uint author, out uint low, out uint high)
    {
        int first = LowerBound(Key(author, 0));
        if (first >= _count || (uint)(_keys[first] >> 32) != author)
        {
            low = 0;
            high = 0;
            return false;
        }

        int last = LowerBound(Key(author, 0xFFFFFFFF));
        if (last >= _count || _keys[last] != Key(author, 0xFFFFFFFF))
        {
            last--;
        }

        low = (uint)_keys[first];
        high = (uint)_keys[last];
        return true;
    }

    /// <inheritdoc />
    public uint[] Authors()
    {
        int distinct = 0;
        for (int i = 0; i < _count; i++)
        {
            if (i == 0 || (_keys[i] >> 32) != (_keys[i - 1] >> 32))
            {
                distinct++;
            }
        }

        var result = new uint[distinct];
        int at = 0;
        for (int i = 0; i < _count; i++)
        {
            if (i == 0 || (_keys[i] >> 32) != (_keys[i - 1] >> 32))
            {
                result[at++] = (uint)(_keys[i] >> 32);
            }
        }

        return result;
    }

    /// <summary>
    /// Rewrites the indexed records into the other file under the next generation, seals it, and switches to it. Power
    /// lost at any byte of this leaves either the old file (new one unsealed) or the new one (sealed) in charge.
    /// </summary>
    public void Compact()
    {
        int target = 1 - _active;
        string targetName = _files[target];
        uint next = _generation + 1;
        _flash.Delete(targetName);
        int length = AppendMarker(targetName, HeaderType, next);
        var positions = new int[_keys.Length];
        var keys = new ulong[_keys.Length];
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            byte type;
            int total = FlashRecord.TryRead(_flash, _files[_active], _positions[i], _length, _buffer, out type);
            if (total == 0 || type != EntryType)
            {
                continue; // unreadable now: dropped, sync will bring it back
            }

            _flash.Append(targetName, _buffer, 0, total);
            keys[kept] = _keys[i];
            positions[kept] = length;
            kept++;
            length += total;
        }

        length += AppendMarker(targetName, SealType, next);

        // Sealed: the new file is in charge from here, whatever happens next.
        _flash.Delete(_files[_active]);
        for (int i = 0; i < kept; i++)
        {
            _keys[i] = keys[i];
            _positions[i] = positions[i];
        }

        _count = kept;
        _active = target;
        _generation = next;
        _length = length;
        _liveBytes = length;
        _dirtyTail = false;
        Compactions++;
    }

    private FlashStoreStatus Open()
    {
        uint genA;
        uint genB;
        int endA;
        int endB;
        bool validA = ReadHead(0, out genA, out endA);
        bool validB = ReadHead(1, out genB, out endB);
        bool existsA = SafeLength(_files[0]) >= 0;
        bool existsB = SafeLength(_files[1]) >= 0;
        if (!validA && !validB)
        {
            _active = 0;
            _generation = 0;
            _flash.Delete(_files[1]);
            _flash.Delete(_files[0]);
            _length = AppendMarker(_files[0], HeaderType, 0);
            _length += AppendMarker(_files[0], SealType, 0);
            _liveBytes = _length;
            return existsA || existsB ? FlashStoreStatus.UnreadableDiscarded : FlashStoreStatus.Created;
        }

        // Both sealed: a compaction finished but had not yet deleted its source; the newer generation wins.
        _active = validA && (!validB || unchecked((int)(genA - genB)) > 0) ? 0 : 1;
        _generation = _active == 0 ? genA : genB;
        int start = _active == 0 ? endA : endB;
        bool otherExisted = _active == 0 ? existsB : existsA;
        bool otherWasUnsealed = _active == 0 ? !validB : !validA;
        _flash.Delete(_files[1 - _active]);

        string name = _files[_active];
        int fileLength = SafeLength(name);
        int position = start;
        while (true)
        {
            byte type;
            int total = FlashRecord.TryRead(_flash, name, position, fileLength, _buffer, out type);
            bool good = total > 0 && (type == SealType ? FlashRecord.GetUInt32(_buffer, 4) == _generation : type == EntryType && IndexRecord(position));
            if (!good)
            {
                break;
            }

            position += total;
        }

        _length = fileLength;
        _liveBytes = position - _replayDead; // replaced and evicted records are dead, as they were before the restart
        if (position < fileLength)
        {
            _length = position;
            try
            {
                Compact(); // rewrite without the torn tail so appends never follow garbage
            }
            catch (Exception)
            {
                _dirtyTail = true; // flash refused the copy: open anyway; the next put tries again before appending
                WriteFailures++;
            }

            return FlashStoreStatus.TornTailDiscarded;
        }

        return otherExisted && otherWasUnsealed ? FlashStoreStatus.UnfinishedCompactionDiscarded : FlashStoreStatus.Intact;
    }

    private bool IndexRecord(int position)
    {
        int payload = FlashRecord.PayloadLength(_buffer);
        Entry? entry;
        if (payload <= HashSize || EntryCodec.TryDecode(_buffer, 4 + HashSize, payload - HashSize, out entry) != ProtocolError.None || entry == null)
        {
            return false; // CRC-intact but not an entry: treat as the end of the good log
        }

        ulong key = Key(entry.Author, entry.Sequence);
        int slot = Find(key);
        if (slot >= 0)
        {
            _replayDead += RecordLength(_positions[slot]);
            _positions[slot] = position;
        }
        else
        {
            // The rules Put applied when this record was written. Live bytes before it: everything before it that is not dead.
            int total = RecordLength(position);
            while (_count == _keys.Length || position - _replayDead + total > _maxLogBytes / 2)
            {
                int evicted = EvictOne(key);
                if (evicted < 0)
                {
                    break; // written under other caps or another own author: keep it if a slot is free
                }

                _replayDead += RecordLength(evicted);
            }

            if (_count == _keys.Length)
            {
                _replayDead += total;
                return true;
            }

            Insert(key, position);
        }

        return true;
    }

    // The total length of the (already verified) record at position, from its length field alone.
    private int RecordLength(int position)
    {
        return _flash.Read(_files[_active], position, _head, 0, 4) == 4 ? (_head[2] | (_head[3] << 8)) + FlashRecord.Overhead : 0;
    }

    // Valid when the header and a seal of the same generation are intact; end = just after the header.
    private bool ReadHead(int file, out uint generation, out int end)
    {
        generation = 0;
        end = 0;
        string name = _files[file];
        int fileLength = SafeLength(name);
        if (fileLength < 0)
        {
            return false;
        }

        byte type;
        int header = FlashRecord.TryRead(_flash, name, 0, fileLength, _buffer, out type);
        if (header == 0 || type != HeaderType || FlashRecord.PayloadLength(_buffer) != 4)
        {
            return false;
        }

        generation = FlashRecord.GetUInt32(_buffer, 4);

        // The seal follows the copied records; scan forward to it (records before it were written by the compaction).
        int position = header;
        end = header;
        while (true)
        {
            int total = FlashRecord.TryRead(_flash, name, position, fileLength, _buffer, out type);
            if (total == 0)
            {
                return false;
            }

            position += total;
            if (type == SealType)
            {
                return FlashRecord.PayloadLength(_buffer) == 4 && FlashRecord.GetUInt32(_buffer, 4) == generation;
            }

            if (type != EntryType)
            {
                return false;
            }
        }
    }

    private int AppendMarker(string name, byte type, uint generation)
    {
        FlashRecord.PutUInt32(_buffer, 4, generation);
        int total = FlashRecord.Seal(_buffer, type, 4);
        _flash.Append(name, _buffer, 0, total);
        return total;
    }

    private bool ShouldCompact()
    {
        return _length >= CompactionThresholdBytes && _length - _liveBytes > _length / 2;
    }

    private int SafeLength(string name)
    {
        try
        {
            return _flash.Length(name);
        }
        catch (Exception)
        {
            return -1;
        }
    }

    private static ulong Key(uint author, uint sequence)
    {
        return ((ulong)author << 32) | sequence;
    }

    private int Find(ulong key)
    {
        int at = LowerBound(key);
        return at < _count && _keys[at] == key ? at : -1;
    }

    private int LowerBound(ulong key)
    {
        int low = 0;
        int high = _count;
        while (low < high)
        {
            int mid = (low + high) >> 1;
            if (_keys[mid] < key)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    // Removes one entry to make room for incoming and returns that record's position, or -1 if none may go. The lowest
    // sequence of the author with the most indexed entries (the lowest author id on a tie, so a replay makes the same
    // choice) when that is 2 or more: every author keeps its newest entry. When every author holds one, the lowest author
    // other than the device's own loses its head; the own head goes only for a newer own entry.
    private int EvictOne(ulong incoming)
    {
        int bestStart = 0;
        int bestRun = 0;
        int start = 0;
        for (int i = 1; i <= _count; i++)
        {
            if (i == _count || (_keys[i] >> 32) != (_keys[start] >> 32))
            {
                if (i - start > bestRun)
                {
                    bestRun = i - start;
                    bestStart = start;
                }

                start = i;
            }
        }

        if (_count == 0)
        {
            return -1;
        }

        if (bestRun < 2 && OwnAuthor != 0 && (uint)(_keys[bestStart] >> 32) == OwnAuthor)
        {
            // Every run is 1 and the lowest is our own: take the next author, or our own only for a newer own entry.
            if (bestStart + 1 < _count)
            {
                bestStart++;
            }
            else if ((uint)(incoming >> 32) != OwnAuthor || incoming < _keys[bestStart])
            {
                return -1;
            }
        }

        int position = _positions[bestStart];
        for (int i = bestStart; i < _count - 1; i++)
        {
            _keys[i] = _keys[i + 1];
            _positions[i] = _positions[i + 1];
        }

        _count--;
        EvictedAtCapacity++;
        return position;
    }

    private void Insert(ulong key, int position)
    {
        int at = LowerBound(key);
        for (int i = _count; i > at; i--)
        {
            _keys[i] = _keys[i - 1];
            _positions[i] = _positions[i - 1];
        }

        _keys[at] = key;
        _positions[at] = position;
        _count++;
    }
}
