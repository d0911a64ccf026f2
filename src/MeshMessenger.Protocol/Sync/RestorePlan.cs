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
    /// <summary>Neighbours remembered at most (by hint) to address questions to.</summary>
    public const int MaxNeighbours = 16;

    private readonly ArrayList _neighbours = new ArrayList(); // boxed byte hints of neighbours heard (their heads, or any frame once an archive was)
    private readonly ArrayList _held = new ArrayList(); // boxed long: entries their heads showed, summed
    private readonly ArrayList _questioned = new ArrayList(); // boxed byte hints of neighbours a round's questions went to, one per hint
    private readonly ArrayList _questionRounds = new ArrayList(); // boxed int: rounds whose questions went to the hint at the same place in _questioned
    private readonly ArrayList _questionFrames = new ArrayList(); // boxed int: question frames those rounds sent it
    private readonly ArrayList _answerFrames = new ArrayList(); // boxed int: heads frames (not questions) heard from it since it was first asked
    private int _round;
    private int _queryOffset;
    private byte _archive; // the hint of the last neighbour whose heads carried the archive flag, or 0

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
            if (times >= (_archive != 0 ? ArchiveAdvertisedAsks : AdvertisedAsks))
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
        return _archive != 0 && times % 2 == 1 ? _archive : AdvertiserOf(author);
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
        return _archive != 0 && times % 2 == 0 && times > 0 && AdvertiserOf(author) == _archive;
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

    /// <summary>
    /// The archive once one was heard (it holds every chain it heard), else the heard neighbour whose heads showed the
    /// most entries, or 0 if none was heard (docs/protocol.md §8.3).
    /// </summary>
    public byte BestNeighbour()
    {
        if (_archive != 0)
        {
            // The entries are summed over every heads frame heard, so a plain neighbour heard often outscores the archive
            // (the emulator's wipe-gateway-30 seed 3: nothing was ever asked of the gateway).
            return _archive;
        }

        if (_neighbours.Count == 0)
        {
            return 0;
        }

        int best = 0;
        for (int i = 1; i < _held.Count; i++)
        {
            best = (long)_held[i]! > (long)_held[best]! ? i : best;
        }

        return (byte)_neighbours[best]!;
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
    /// The neighbour last heard sending heads flagged as an archive's (§8.1 bit 2), or 0 if none was: the only kind that
    /// confirms a radio node's head (§8.3), so the own head is asked of it by name.
    /// </summary>
    public byte Archive => _archive;

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
        if (_archive != 0)
        {
            return true;
        }

        _openHeadAsks++;
        return _openHeadAsks <= OpenHeadAsks;
    }

    /// <summary>
    /// A neighbour's heads were heard (its hint, how many entries its heads say it holds, and whether they carry the
    /// archive flag), so questions can be addressed to it.
    /// </summary>
    public void NoteNeighbour(byte hint, long entries, bool archive)
    {
        if (hint == 0)
        {
            return;
        }

        _archive = archive ? hint : _archive;
        int asked = IndexOf(_questioned, hint);
        if (asked >= 0)
        {
            _answerFrames[asked] = (int)_answerFrames[asked]! + 1;
        }

        NoteNeighbour(hint, entries);
    }

    /// <summary>
    /// A neighbour was heard (its hint, and how many entries its heads say it holds: 0 for a neighbour heard sending any
    /// other frame), so questions can be addressed to it. When <see cref="MaxNeighbours"/> are remembered, one whose heads
    /// showed entries takes the place of the first one that showed none (heard only by its frames, or by heads listing
    /// nothing): in a dense mesh those fill the table
    /// first (and the relay byte is not signed), and must not keep out the neighbours that showed what they hold.
    /// </summary>
    public void NoteNeighbour(byte hint, long entries)
    {
        if (hint == 0)
        {
            return;
        }

        int at = IndexOf(_neighbours, hint);
        if (at >= 0)
        {
            _held[at] = (long)_held[at]! + entries;
            return;
        }

        if (_neighbours.Count < MaxNeighbours)
        {
            _neighbours.Add(hint);
            _held.Add(entries);
            return;
        }

        for (int i = 0; i < _held.Count && entries > 0; i++)
        {
            if ((long)_held[i]! == 0)
            {
                _neighbours[i] = hint;
                _held[i] = entries;
                return;
            }
        }
    }

    /// <summary>
    /// A round's questions about known authors, <paramref name="frames"/> query heads frames, went to <paramref name="hint"/>
    /// (0, every neighbour, is not remembered).
    /// </summary>
    public void NoteQuestioned(byte hint, int frames)
    {
        if (hint == 0)
        {
            return;
        }

        int at = IndexOf(_questioned, hint);
        if (at < 0)
        {
            _questioned.Add(hint); // one per hint: bounded by 256
            _questionRounds.Add(1);
            _questionFrames.Add(frames);
            _answerFrames.Add(0);
            return;
        }

        _questionRounds[at] = (int)_questionRounds[at]! + 1;
        _questionFrames[at] = (int)_questionFrames[at]! + frames;
    }

    /// <summary>Rounds whose questions go to one heard neighbour at most while fewer of its heads came back than questions went to it (<see cref="Unquestioned"/>).</summary>
    public const int UnansweredQuestions = 3;

    /// <summary>
    /// A heard neighbour no round's questions went to yet, else one asked fewer than <see cref="UnansweredQuestions"/> times
    /// from which fewer heads frames came back than question frames went to it, or 0 if there is none. A plain neighbour
    /// answers a heads question with the heads of what it holds, and each holds a different few posts of an author (those it
    /// heard live): the base rounds ask only some neighbours (the best one, an archive once heard, every second round), so a
    /// post only an unasked neighbour shows was never known missing and never asked for; an archive misses posts too
    /// (docs/emulator-experiments.md, "Every heard neighbour asked the known authors' questions once"). And a plain
    /// neighbour's answer to one question frame is one heads frame, lost where an archive's answers drown it, so a
    /// neighbour that answered fewer frames than it was asked is asked again ("Unanswered neighbours asked again").
    /// </summary>
    public byte Unquestioned()
    {
        byte again = 0;
        for (int i = 0; i < _neighbours.Count; i++)
        {
            byte hint = (byte)_neighbours[i]!;
            int at = IndexOf(_questioned, hint);
            if (at < 0)
            {
                return hint;
            }

            if (again == 0 && (int)_answerFrames[at]! < (int)_questionFrames[at]! && (int)_questionRounds[at]! < UnansweredQuestions)
            {
                again = hint;
            }
        }

        return again;
    }

    // Where hint stands in a list of boxed byte hints, or -1 (by value: a boxed byte is a new object each time).
    private static int IndexOf(ArrayList hints, byte hint)
    {
        for (int i = 0; i < hints.Count; i++)
        {
            if ((byte)hints[i]! == hint)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The neighbour this round's questions go to, so one answers at a time and the answers do not collide: on odd
    /// rounds the best neighbour (<see cref="BestNeighbour"/>: an archive holds every chain it heard), on
    /// even rounds the heard neighbours in turn; 0 (any neighbour) while none was heard.
    /// </summary>
    public byte NextNeighbour()
    {
        if (_neighbours.Count == 0)
        {
            return 0;
        }

        if (_round % 2 == 0)
        {
            return (byte)_neighbours[(_round / 2) % _neighbours.Count]!;
        }

        return BestNeighbour();
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
