using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Collections;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sync;

/// <summary>
/// What an archive (<c>SyncAllChains</c>) pulls of the entries it missed on air (docs/protocol.md §8.5): every chain
/// starts at sequence 0, so a held run that starts later, or has a hole, shows entries that exist and are not held.
/// One want at a time, paced by the host, for the first such range of the next author in turn, addressed to the
/// neighbour that carried that author's entries (the author itself once heard first-hand: it holds its whole chain; then every
/// other want goes to the last other neighbour that carried it, as the unsigned relay byte can be spoofed).
/// Bounded: at most <see cref="MaxAuthors"/> authors remembered (a new author, when full, takes the place of the one
/// whose entry was noted longest ago among those that already had their turn, so the table follows who is on air now
/// and a flood of new authors cannot push one out before it is looked at), <see cref="MaxRangeLength"/> entries a
/// want, and an author is asked <see cref="MaxAsks"/> times until a new entry of it is heard.
/// </summary>
public sealed class ArchivePull
{
    /// <summary>Entries asked in one want, so its answer stays a few frames on air.</summary>
    public const int MaxRangeLength = 8;

    /// <summary>Wants for one author without a new entry of it heard: a range nobody in reach holds is not asked forever.</summary>
    public const int MaxAsks = 4;

    /// <summary>Authors whose carrying neighbour is remembered; past it the least recently noted author that had its turn is forgotten.</summary>
    public const int MaxAuthors = 256;

    private readonly KeyedTable _sources = new KeyedTable(MaxAuthors);
    private int _cursor;
    private long _notes; // NoteEntry calls so far: each source keeps the count at its last note, its recency

    /// <summary>Authors remembered.</summary>
    public int Count => _sources.Count;

    /// <summary>
    /// An entry of <paramref name="author"/> arrived in a frame sent by <paramref name="relay"/>: that neighbour (or the
    /// author, heard first-hand) is asked for the author's missing entries, and the author may be asked again. A new
    /// author when <see cref="MaxAuthors"/> are remembered replaces the one noted longest ago among those that had their
    /// turn in <see cref="Next"/>; if none has yet, the author remembered last (so authors remembered before it keep
    /// their place until their turn, however many new authors arrive between two pulls).
    /// </summary>
    public void NoteEntry(uint author, byte relay)
    {
        _notes++;
        var source = _sources.Get(author) as Source;
        bool firstHand = relay == NodeId.HintOf(author);
        if (source == null)
        {
            if (_sources.Count == MaxAuthors)
            {
                ForgetOldest();
            }

            var added = new Source(relay, firstHand, _notes);
            added.AddedAt = _notes;
            added.Relay = firstHand ? (byte)0 : relay;
            _sources.Set(author, added);
            return;
        }

        source.NotedAt = _notes;

        if (firstHand || !source.FirstHand)
        {
            source.Via = relay;
            source.FirstHand = firstHand || source.FirstHand;
        }

        if (!firstHand)
        {
            source.Relay = relay;
        }

        source.Asks = 0;
    }

    /// <summary>
    /// The next range to ask for, or false if no remembered author's held run has a hole or a missing start (or all
    /// were asked <see cref="MaxAsks"/> times); <paramref name="via"/> is the neighbour to ask. Looks at each author once
    /// per call, from a cursor that moves on, probing at most <see cref="SyncPlanner.MaxHoleProbe"/> sequences each.
    /// </summary>
    public bool Next(IEntryStore store, out SequenceRange range, out byte via)
    {
        range = new SequenceRange(0, 0, 0);
        via = 0;
        int count = _sources.Count;
        for (int i = 0; i < count; i++)
        {
            int index = (_cursor + i) % count;
            var source = (Source)_sources.ValueAt(index);
            uint author = _sources.KeyAt(index);
            source.HadTurn = true;
            uint from;
            uint to;
            if (source.Asks >= MaxAsks || !Missing(store, author, out from, out to))
            {
                continue;
            }

            if (to - from >= MaxRangeLength)
            {
                to = from + MaxRangeLength - 1;
            }

            // The relay byte is not signed: one copy sent as if by the author (a spoofer, or the author once heard at the
            // edge of range) marks it first-hand for good, so every other ask goes to the neighbour that last carried it.
            via = source.FirstHand && source.Relay != 0 && source.Asks % 2 == 1 ? source.Relay : source.Via;
            source.Asks++;
            _cursor = index + 1;
            range = new SequenceRange(author, from, to);
            return true;
        }

        return false;
    }

    // Frees one place (a linear scan of at most MaxAuthors, paid only by a new author when the table is full): the
    // author whose entry was noted longest ago among those Next already looked at; if none, the author remembered last.
    // So a flood of new authors (identities cost nothing) churns only places that had their turn, or the one place taken
    // last, and never pushes out an author still waiting for its turn behind it. Its held run stays in the store; it is
    // remembered again once heard again.
    private void ForgetOldest()
    {
        int oldest = -1;
        bool hadTurn = false;
        long at = 0;
        for (int i = 0; i < _sources.Count; i++)
        {
            var source = (Source)_sources.ValueAt(i);
            bool better = oldest < 0
                || (source.HadTurn && !hadTurn)
                || (source.HadTurn && hadTurn && source.NotedAt < at)
                || (!source.HadTurn && !hadTurn && source.AddedAt > at);
            if (better)
            {
                oldest = i;
                hadTurn = source.HadTurn;
                at = source.HadTurn ? source.NotedAt : source.AddedAt;
            }
        }

        _sources.Remove(_sources.KeyAt(oldest));
    }

    // The first missing run of a held chain: before its low end (chains start at 0), else the first hole.
    private static bool Missing(IEntryStore store, uint author, out uint from, out uint to)
    {
        from = 0;
        to = 0;
        uint low;
        uint high;
        if (!store.TryGetRange(author, out low, out high))
        {
            return false;
        }

        if (low > 0)
        {
            to = low - 1;
            return true;
        }

        return SyncPlanner.FirstHole(store, author, low, high, out from, out to);
    }

    // Who to ask for one author's entries, and how often it was asked since one of them was last heard.
    private sealed class Source
    {
        public Source(byte via, bool firstHand, long notedAt)
        {
            Via = via;
            FirstHand = firstHand;
            NotedAt = notedAt;
        }

        public byte Via { get; set; }

        public bool FirstHand { get; set; }

        // The last neighbour other than the author that carried an entry of it; 0 if none.
        public byte Relay { get; set; }

        public int Asks { get; set; }

        public long NotedAt { get; set; }

        // Next looked at it since it was remembered (not reset by a new entry: an attacker's fresh entries must not
        // shield its own authors from eviction).
        public bool HadTurn { get; set; }

        public long AddedAt { get; set; }
    }
}
