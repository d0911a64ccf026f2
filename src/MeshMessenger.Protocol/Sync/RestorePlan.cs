using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Collections;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sync;

/// <summary>
/// What a restoring node asks for, round by round (docs/protocol.md §8.3): its own chain, the chains of those it
/// talked to (named by the recipient hints of its own direct entries, messages and receipts alike) and every known
/// author's chain its neighbours hold (channel posts). Bounded: <see cref="Rounds"/> rounds, at most
/// <see cref="MaxQueryFrames"/> query frames and <see cref="MaxRelayedWants"/> relayed wants per round, and each
/// author asked of one neighbour at a time (<see cref="HoldMilliseconds"/>), so the neighbours that all hold the same
/// posts do not all send them.
/// </summary>
public sealed class RestorePlan
{
    /// <summary>Restore rounds after the first question; the host drives them (DeviceApp: one every 30 s).</summary>
    public const int Rounds = 8;

    /// <summary>Query frames (heads questions about known authors) per round at most.</summary>
    public const int MaxQueryFrames = 4;

    /// <summary>Relayed wants per round at most.</summary>
    public const int MaxRelayedWants = 4;

    /// <summary>How long a want for one author waits for its answer before another neighbour is asked.</summary>
    public const long HoldMilliseconds = 20000;

    /// <summary>Relayed wants sent per author at most (a lost want or answer gets one more chance).</summary>
    public const int RelayedAsks = 3;

    /// <summary>
    /// Relayed wants for the own chain at most: the one when the restore begins, then one a base round. Its entries past the highest own sequence known are
    /// held by their recipients alone, and only these wants reach them before the head is confirmed (§8.3).
    /// </summary>
    public const int OwnRelayedAsks = Rounds;

    /// <summary>Asked ranges remembered at most.</summary>
    public const int MaxAskedRanges = 64;

    private readonly ArrayList _asked = new ArrayList(); // AskedRange, at most MaxAskedRanges
    private readonly KeyedTable _relayed; // author -> boxed int: relayed wants sent for its chain
    private readonly KeyedTable _advertised; // author -> SequenceRange: the widest run a neighbour's heads showed
    private readonly KeyedTable _advertisedAsks; // author -> boxed int: targeted wants sent for its advertised run
    private readonly KeyedTable _advertiser; // author -> boxed byte: the neighbour whose heads showed the widest run
    private readonly KeyedTable _unresolvedAsks; // author -> boxed int: extra-round questions sent about its chain
    private int _advertisedOffset;
    private int _round;
    private int _queryOffset;

    /// <summary>The neighbours heard and asked: whom each round's questions go to.</summary>
    public RestoreNeighbours Neighbours { get; } = new RestoreNeighbours();

    /// <summary>Creates a plan remembering at most <paramref name="capacity"/> authors asked.</summary>
    public RestorePlan(int capacity)
    {
        _relayed = new KeyedTable(capacity);
        _advertised = new KeyedTable(capacity);
        _advertisedAsks = new KeyedTable(capacity);
        _advertiser = new KeyedTable(capacity);
        _unresolvedAsks = new KeyedTable(capacity);
    }

    /// <summary>
    /// A neighbour's head for <paramref name="head"/>'s author, heard from <paramref name="hint"/>: remembered (widened)
    /// so what it showed and the store lacks stays known missing (<see cref="AddAdvertisedMissing"/>) until it comes
    /// back, and asked of the neighbour that showed the most of it (<see cref="AdvertiserOf"/>).
    /// </summary>
    public void NoteHead(ChainHead head, byte hint)
    {
        var known = (SequenceRange?)_advertised.Get(head.Author);
        uint from = known != null && known.From < head.Low ? known.From : head.Low;
        uint to = known != null && known.To > head.High ? known.To : head.High;
        if (known == null || head.High - head.Low >= known.To - known.From)
        {
            _advertiser.Set(head.Author, hint); // full: the author is asked of the best neighbour instead
        }

        _advertised.Set(head.Author, new SequenceRange(head.Author, from, to)); // full: the author stays unremembered
    }

    /// <summary>The neighbour whose heads showed the widest run of <paramref name="author"/>'s chain, or 0 if none did.</summary>
    public byte AdvertiserOf(uint author)
    {
        object? hint = _advertiser.Get(author);
        return hint == null ? (byte)0 : (byte)hint;
    }

    /// <summary>
    /// Adds to <paramref name="ranges"/> (at most <paramref name="max"/>) every sequence a neighbour's heads showed
    /// that <paramref name="store"/> does not hold, looking at no more than <see cref="SyncPlanner.MaxHoleProbe"/>
    /// sequences in all. A run shown by a neighbour that holds only part of it (another pair's direct messages
    /// fall inside it) never fills, so authors are taken from a rotating start and each author's run is asked for
    /// at most <see cref="AdvertisedAsks"/> times (<paramref name="asking"/>: this call's ranges are sent): the rest
    /// of the list is not crowded out, and the restore stops once only such gaps remain.
    /// </summary>
    public void AddAdvertisedMissing(IEntryStore store, ArrayList ranges, int max, bool asking)
    {
        int probed = 0;
        int count = _advertised.Count;
        for (int j = 0; j < count && ranges.Count <= max; j++)
        {
            var run = (SequenceRange)_advertised.ValueAt((_advertisedOffset + j) % count);
            object? asked = _advertisedAsks.Get(run.Author);
            int times = asked == null ? 0 : (int)asked;
            if (times >= (Neighbours.Archive != 0 ? ArchiveAdvertisedAsks : AdvertisedAsks))
            {
                continue;
            }

            int before = ranges.Count;
            object? last = before > 0 ? ranges[before - 1] : null;
            uint[] skipped = SyncPlanner.SkippedRuns(store, run.Author, run.From, run.To);
            for (uint s = run.From; probed < SyncPlanner.MaxHoleProbe; s++, probed++)
            {
                if (store.Get(run.Author, s) == null && !SyncPlanner.Skipped(skipped, s) && !AddMissing(ranges, run.Author, s, max))
                {
                    break;
                }

                if (s == run.To)
                {
                    break;
                }
            }

            bool added = ranges.Count != before || (before > 0 && ranges[before - 1] != last);
            if (asking && added)
            {
                _advertisedAsks.Set(run.Author, times + 1); // full: the author is asked on, within the extra rounds
            }
        }

        if (asking && count > 0)
        {
            _advertisedOffset = (_advertisedOffset + 1) % count;
        }
    }

    /// <summary>Extra-round questions about one unresolved author at most (<see cref="Unresolved"/>).</summary>
    public const int UnresolvedAsks = 3;

    /// <summary>
    /// Known authors (not <paramref name="self"/>) of whose chain nothing is held and no neighbour's heads showed
    /// anything yet, as questions (§8.1), at most <paramref name="max"/>, each at most <see cref="UnresolvedAsks"/>
    /// times (<paramref name="asking"/>: they are sent): the base rounds' questions went to neighbours that may not
    /// hold them, or were lost, so the extra rounds ask again, of another neighbour.
    /// </summary>
    public ChainHead[] Unresolved(ChainStore chains, uint self, int max, bool asking)
    {
        var list = new ArrayList();
        Profile[] known = chains.KnownProfiles();
        uint low;
        uint high;
        for (int i = 0; i < known.Length && list.Count < max; i++)
        {
            uint author = known[i].NodeId;
            object? asked = _unresolvedAsks.Get(author);
            int times = asked == null ? 0 : (int)asked;
            if (author == self || times >= UnresolvedAsks || _advertised.Contains(author) || chains.Store.TryGetRange(author, out low, out high))
            {
                continue;
            }

            list.Add(new ChainHead(author, 0, 0, new byte[EntryCodec.LinkSize]));
            if (asking)
            {
                _unresolvedAsks.Set(author, times + 1); // full: the author is asked on, within the extra rounds
            }
        }

        var result = new ChainHead[list.Count];
        list.CopyTo(result);
        return result;
    }

    /// <summary>Times one author's advertised run is asked for at most (<see cref="AddAdvertisedMissing"/>).</summary>
    public const int AdvertisedAsks = 3;

    /// <summary>Times one author's advertised run is asked for at most once an archive was heard (every second ask goes to it).</summary>
    public const int ArchiveAdvertisedAsks = 6;

    /// <summary>
    /// Where a targeted want for <paramref name="author"/>'s advertised run goes: every second ask to the archive once one
    /// was heard (it holds every chain it heard, and another sender's answers may collide where the first one's did), else
    /// to the neighbour whose heads showed the widest run.
    /// </summary>
    public byte AdvertisedTarget(uint author)
    {
        object? asked = _advertisedAsks.Get(author);
        int times = asked == null ? 0 : (int)asked;
        return Neighbours.Archive != 0 && times % 2 == 1 ? Neighbours.Archive : AdvertiserOf(author);
    }

    /// <summary>
    /// Whether this ask for <paramref name="author"/>'s advertised run (counted by <see cref="AddAdvertisedMissing"/> before
    /// it is sent) goes to every neighbour, a hop-0 want with no next hop, rather than to the archive: when the archive
    /// is also the neighbour that showed the widest run, <see cref="AdvertisedTarget"/> would send every ask to it, and
    /// a run it did not fill may hold posts it never decoded, which the plain neighbours that heard them hold. So every
    /// second ask, from the second on.
    /// </summary>
    public bool AsksEveryNeighbour(uint author)
    {
        object? asked = _advertisedAsks.Get(author);
        int times = asked == null ? 0 : (int)asked;
        return Neighbours.Archive != 0 && times % 2 == 0 && times > 0 && AdvertiserOf(author) == Neighbours.Archive;
    }

    /// <summary>Rounds run so far.</summary>
    public int Round => _round;

    /// <summary>True once every round ran.</summary>
    public bool Done => _round >= Rounds;

    /// <summary>
    /// Rounds after <see cref="Rounds"/> that ask only for what is known to be missing (<see cref="AddMissing"/>),
    /// run while something is: a want or its answer lost to a collision is only recovered by asking again.
    /// </summary>
    public const int ExtraRounds = 32;

    /// <summary>Missing ranges asked for per round at most (one hop-0 want's worth).</summary>
    public const int MaxMissing = WantMessage.MaxRanges;

    /// <summary>True once the extra rounds ran too: the restore asks nothing more.</summary>
    public bool Exhausted => _round >= Rounds + ExtraRounds;

    /// <summary>
    /// Whether an extra round (after <see cref="Rounds"/>) sends its targeted wants: rounds 1, 2, 3, 5, 7, 10, 13, 17
    /// and so on after the base rounds (gaps growing by one every second ask), so a restore that keeps missing
    /// something backs off instead of feeding the collisions that lost it. Base rounds always send.
    /// </summary>
    public bool AsksThisRound()
    {
        int extra = _round - Rounds;
        if (extra <= 0)
        {
            return true;
        }

        int at = 1;
        for (int gap = 2; at < extra; gap++)
        {
            at += gap / 2;
        }

        return at == extra;
    }

    /// <summary>
    /// Adds (<paramref name="author"/>, <paramref name="sequence"/>) to a list of missing ranges, extending the last
    /// range when it continues it; false once the list holds <paramref name="max"/> ranges and it does not fit.
    /// </summary>
    public static bool AddMissing(ArrayList ranges, uint author, uint sequence, int max)
    {
        if (ranges.Count > 0)
        {
            var last = (SequenceRange)ranges[ranges.Count - 1]!;
            if (last.Author == author && last.To + 1 == sequence && last.Length < WantMessage.MaxRangeLength)
            {
                ranges[ranges.Count - 1] = new SequenceRange(author, last.From, sequence);
                return true;
            }
        }

        if (ranges.Count >= max)
        {
            return false;
        }

        ranges.Add(new SequenceRange(author, sequence, sequence));
        return true;
    }

    /// <summary>
    /// Relayed wants for exactly the missing <paramref name="ranges"/> (§8.4: the other party of each conversation
    /// answers), at most <see cref="MaxRelayedWants"/>; not counted against <see cref="RelayedAsks"/>.
    /// </summary>
    public RelayedWant[] MissingWants(ArrayList ranges, uint self)
    {
        var part = new ArrayList();
        for (int i = 0; i < ranges.Count && part.Count < MaxRelayedWants * RelayedWant.MaxRanges; i++)
        {
            part.Add(ranges[i]);
        }

        return Pack(part, self);
    }

    /// <summary>Starts the next round.</summary>
    public void NextRound()
    {
        _round++;
    }

    /// <summary>
    /// Keeps the wanted ranges not inside a range asked within <see cref="HoldMilliseconds"/> and records them as
    /// asked now: when several neighbours advertise the same run, the first is asked and the others are not, but a
    /// neighbour advertising more of a chain is still asked for the rest (docs/protocol.md §8.3).
    /// </summary>
    public SequenceRange[] Filter(SequenceRange[] wants, long nowMs)
    {
        var kept = new ArrayList();
        for (int i = 0; i < wants.Length; i++)
        {
            if (!Covered(wants[i], nowMs))
            {
                kept.Add(wants[i]);
            }
        }

        for (int i = 0; i < kept.Count; i++)
        {
            Record((SequenceRange)kept[i]!, nowMs);
        }

        var result = new SequenceRange[kept.Count];
        kept.CopyTo(result);
        return result;
    }

    private bool Covered(SequenceRange want, long nowMs)
    {
        for (int i = 0; i < _asked.Count; i++)
        {
            var asked = (AskedRange)_asked[i]!;
            if (asked.Range.Author == want.Author && asked.Range.From <= want.From && asked.Range.To >= want.To && nowMs - asked.AtMs < HoldMilliseconds)
            {
                return true;
            }
        }

        return false;
    }

    private void Record(SequenceRange range, long nowMs)
    {
        if (_asked.Count == MaxAskedRanges)
        {
            _asked.RemoveAt(0); // the oldest ask: its hold has most likely run out
        }

        _asked.Add(new AskedRange(range, nowMs));
    }

    /// <summary>
    /// Own-head questions to every neighbour at most, once the settling time ended and no archive was heard (§8.3): every
    /// plain neighbour holding the own chain answers one, and none of them can confirm.
    /// </summary>
    public const int OpenHeadAsks = 3;

    private int _openHeadAsks;

    /// <summary>
    /// Whether an asking round asks for the unconfirmed own head again: always of a heard archive, of every neighbour at most
    /// <see cref="OpenHeadAsks"/> times (counted here).
    /// </summary>
    public bool TakeHeadAsk()
    {
        if (Neighbours.Archive != 0)
        {
            return true;
        }

        _openHeadAsks++;
        return _openHeadAsks <= OpenHeadAsks;
    }

    /// <summary>
    /// The neighbour this round's questions go to, so one answers at a time and the answers do not collide: on odd
    /// rounds the best neighbour (<see cref="RestoreNeighbours.Best"/>: an archive holds every chain it heard), on
    /// even rounds the heard neighbours in turn; 0 (any neighbour) while none was heard.
    /// </summary>
    public byte NextNeighbour()
    {
        if (Neighbours.Count == 0)
        {
            return 0;
        }

        return _round % 2 == 0 ? Neighbours.InTurn(_round / 2) : Neighbours.Best();
    }

    /// <summary>
    /// The next round's questions about known authors (a query heads list), at most <paramref name="perFrame"/> per
    /// list and <see cref="MaxQueryFrames"/> lists, from a rotating offset so a long contact list is covered in turn.
    /// </summary>
    public ChainHead[][] Questions(ChainStore chains, int perFrame)
    {
        Profile[] known = chains.KnownProfiles();
        int total = known.Length < perFrame * MaxQueryFrames ? known.Length : perFrame * MaxQueryFrames;
        int frames = perFrame <= 0 ? 0 : (total + perFrame - 1) / perFrame;
        var result = new ChainHead[frames][];
        for (int f = 0; f < frames; f++)
        {
            int count = total - (f * perFrame) < perFrame ? total - (f * perFrame) : perFrame;
            result[f] = new ChainHead[count];
            for (int i = 0; i < count; i++)
            {
                uint author = known[(_queryOffset + (f * perFrame) + i) % known.Length].NodeId;
                result[f][i] = new ChainHead(author, 0, 0, new byte[EntryCodec.LinkSize]);
            }
        }

        _queryOffset = known.Length == 0 ? 0 : (_queryOffset + total) % known.Length;
        return result;
    }

    /// <summary>
    /// The relayed wants of this round: the own chain from 0 (only that with <paramref name="ownOnly"/>; at most
    /// <see cref="OwnRelayedAsks"/> times), then the chain of each known author the own chain names as a recipient, then the
    /// other known authors, from the start; each of those at most <see cref="RelayedAsks"/> times, at most <see cref="MaxRelayedWants"/> wants of
    /// <see cref="RelayedWant.MaxRanges"/> ranges.
    /// </summary>
    public RelayedWant[] RelayedWants(ChainStore chains, uint self, bool ownOnly)
    {
        var ranges = new ArrayList();
        if (TakeRelayedAsk(self, OwnRelayedAsks))
        {
            ranges.Add(new SequenceRange(self, 0, WantMessage.MaxRangeLength - 1));
        }

        if (ownOnly)
        {
            return Pack(ranges, self);
        }

        // Those the own chain names first, then every other known author: a message from someone never answered
        // is named nowhere in the own chain.
        uint[] peers = Peers(chains, self, MaxRelayedWants * RelayedWant.MaxRanges);
        AddRelayed(ranges, peers);
        Profile[] known = chains.KnownProfiles();
        var others = new uint[known.Length];
        for (int i = 0; i < known.Length; i++)
        {
            others[i] = known[i].NodeId == self ? 0 : known[i].NodeId;
        }

        AddRelayed(ranges, others);
        return Pack(ranges, self);
    }

    private RelayedWant[] Pack(ArrayList ranges, uint self)
    {
        int count = (ranges.Count + RelayedWant.MaxRanges - 1) / RelayedWant.MaxRanges;
        var wants = new RelayedWant[count];
        for (int w = 0; w < count; w++)
        {
            int n = ranges.Count - (w * RelayedWant.MaxRanges) < RelayedWant.MaxRanges ? ranges.Count - (w * RelayedWant.MaxRanges) : RelayedWant.MaxRanges;
            var part = new SequenceRange[n];
            for (int i = 0; i < n; i++)
            {
                part[i] = (SequenceRange)ranges[(w * RelayedWant.MaxRanges) + i]!;
            }

            wants[w] = new RelayedWant(self, _round, part);
        }

        return wants;
    }

    private void AddRelayed(ArrayList ranges, uint[] authors)
    {
        for (int i = 0; i < authors.Length && ranges.Count < MaxRelayedWants * RelayedWant.MaxRanges; i++)
        {
            if (authors[i] != 0 && TakeRelayedAsk(authors[i], RelayedAsks))
            {
                ranges.Add(new SequenceRange(authors[i], 0, WantMessage.MaxRangeLength - 1));
            }
        }
    }

    private bool TakeRelayedAsk(uint author, int max)
    {
        object? sent = _relayed.Get(author);
        int count = sent == null ? 0 : (int)sent;
        if (count >= max)
        {
            return false;
        }

        return _relayed.Set(author, count + 1);
    }

    /// <summary>
    /// Known authors that the held own entries name as recipients (the hint of a direct entry; every known author
    /// with that hint, since a hint is one byte), at most <paramref name="max"/>, looking at no more than
    /// <see cref="SyncPlanner.MaxHoleProbe"/> own entries.
    /// </summary>
    public static uint[] Peers(ChainStore chains, uint self, int max)
    {
        var hints = new bool[256];
        uint low;
        uint high;
        if (chains.Store.TryGetRange(self, out low, out high))
        {
            int probed = 0;
            for (uint s = low; probed < SyncPlanner.MaxHoleProbe; s++, probed++)
            {
                StoredEntry? held = chains.Store.Get(self, s);
                if (held != null && held.Entry.Sealing == BodySealing.Direct)
                {
                    hints[held.Entry.Hint] = true;
                }

                if (s == high)
                {
                    break;
                }
            }
        }

        var list = new ArrayList();
        Profile[] known = chains.KnownProfiles();
        for (int i = 0; i < known.Length && list.Count < max; i++)
        {
            uint id = known[i].NodeId;
            if (id != self && hints[NodeId.HintOf(id)])
            {
                list.Add(id);
            }
        }

        var result = new uint[list.Count];
        list.CopyTo(result);
        return result;
    }
}
