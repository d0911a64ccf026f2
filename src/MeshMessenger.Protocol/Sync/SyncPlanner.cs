using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Sync;

/// <summary>
/// Decides what to advertise and what to ask for. Like Secure Scuttlebutt's replication, peers compare
/// per-author positions; unlike it, the heads carry the held run and a link, so a peer can ask for whole
/// ranges at either end and spot a forked head without fetching anything.
/// </summary>
public static class SyncPlanner
{
    /// <summary>Heads of the chains held, <paramref name="max"/> of them from <paramref name="offset"/> (wrapping).</summary>
    public static ChainHead[] HeadsOf(ChainStore chains, int offset, int max)
    {
        return HeadsOf(chains, chains.Store.Authors(), offset, max);
    }

    /// <summary>Heads of the given authors that are held, <paramref name="max"/> of them from <paramref name="offset"/> (wrapping).</summary>
    public static ChainHead[] HeadsOf(ChainStore chains, uint[] authors, int offset, int max)
    {
        var list = new ArrayList();
        for (int i = 0; i < authors.Length && list.Count < max; i++)
        {
            uint author = authors[(offset + i) % authors.Length];
            uint low;
            uint high;
            if (chains.Store.TryGetRange(author, out low, out high))
            {
                list.Add(new ChainHead(author, low, high, EntryHash.LinkOf(chains.HashOf(author, high)!)));
            }
        }

        var heads = new ChainHead[list.Count];
        list.CopyTo(heads);
        return heads;
    }

    /// <summary>
    /// The ranges to ask a peer for, given its heads: newer entries past the local head, older entries
    /// before the local low end, the head entry itself when the links disagree (to obtain fork evidence),
    /// and whole chains not held yet if their author's key is known or (with <paramref name="allChains"/>,
    /// as a gateway or an archive does) the run starts at 0.
    /// </summary>
    public static SequenceRange[] Wants(ChainStore chains, ChainHead[] remote, bool allChains)
    {
        var wants = new ArrayList();
        for (int i = 0; i < remote.Length && wants.Count < WantMessage.MaxRanges; i++)
        {
            ChainHead head = remote[i];
            uint low;
            uint high;
            if (!chains.Store.TryGetRange(head.Author, out low, out high))
            {
                if ((allChains && head.Low == 0) || chains.ProfileOf(head.Author) != null)
                {
                    AddSplit(wants, head.Author, head.Low, head.High);
                }

                continue;
            }

            // A hole inside the held run (an entry relayed live while older ones were still being fetched, or a
            // recipient that missed some) is asked for too: the ends alone would never show it.
            uint holeFrom;
            uint holeTo;
            if (FirstHole(chains.Store, head.Author, low > head.Low ? low : head.Low, high < head.High ? high : head.High, out holeFrom, out holeTo))
            {
                AddSplit(wants, head.Author, holeFrom, holeTo);
            }

            if (head.High > high && head.Low <= high + 1)
            {
                AddSplit(wants, head.Author, high + 1, head.High);
            }
            else if (head.High == high && !EntryHash.Links(head.HeadLink, chains.HashOf(head.Author, high)!))
            {
                AddSplit(wants, head.Author, high, high);
            }

            if (head.Low < low && head.High + 1 >= low)
            {
                AddSplit(wants, head.Author, head.Low, low - 1);
            }
        }

        var result = new SequenceRange[wants.Count];
        wants.CopyTo(result);
        return result;
    }

    /// <summary>Entries probed at most per chain when looking for a hole, so one heads message costs bounded time.</summary>
    public const int MaxHoleProbe = 4096;

    /// <summary>
    /// The first run of sequences missing between <paramref name="from"/> and <paramref name="to"/> (both held or
    /// outside the peer's run), looking at no more than <see cref="MaxHoleProbe"/> sequences.
    /// </summary>
    public static bool FirstHole(IEntryStore store, uint author, uint from, uint to, out uint holeFrom, out uint holeTo)
    {
        holeFrom = 0;
        holeTo = 0;
        bool inHole = false;
        int probed = 0;
        for (uint s = from; s <= to && probed < MaxHoleProbe; s++, probed++)
        {
            StoredEntry? stored = store.Get(author, s);
            bool held = stored != null;
            if (!held && !inHole)
            {
                inHole = true;
                holeFrom = s;
            }
            else if (held && inHole)
            {
                // A resume entry leaves the sequences between it and the entry it links to empty on purpose
                // (docs/protocol.md §8.3): only the part of the hole at or below its link is missing.
                uint linked = EntryCodec.LinkedSequence(stored!.Entry);
                if (linked + 1 < s && linked < holeFrom)
                {
                    inHole = false;
                    continue;
                }

                holeTo = linked + 1 < s ? linked : s - 1;
                return true;
            }

            if (s == uint.MaxValue)
            {
                break;
            }
        }

        if (inHole)
        {
            holeTo = from + (uint)probed - 1; // the probe ended inside the hole: ask up to the last sequence probed
            return true;
        }

        return false;
    }

    /// <summary>
    /// The sequences that held resume entries of <paramref name="author"/> between <paramref name="from"/> and
    /// <paramref name="to"/> leave out on purpose (docs/protocol.md §8.3), as pairs: the linked sequence, then the resume
    /// entry's own; looking at no more than <see cref="MaxHoleProbe"/> sequences. Empty for a chain never restored.
    /// </summary>
    public static uint[] SkippedRuns(IEntryStore store, uint author, uint from, uint to)
    {
        var list = new ArrayList();
        int probed = 0;
        for (uint s = from; s <= to && probed < MaxHoleProbe; s++, probed++)
        {
            StoredEntry? stored = store.Get(author, s);
            if (stored != null && stored.Entry.Kind == EntryKind.Resume)
            {
                list.Add(EntryCodec.LinkedSequence(stored.Entry));
                list.Add(s);
            }

            if (s == uint.MaxValue)
            {
                break;
            }
        }

        var runs = new uint[list.Count];
        for (int i = 0; i < runs.Length; i++)
        {
            runs[i] = (uint)list[i]!;
        }

        return runs;
    }

    /// <summary>True if <paramref name="sequence"/> lies strictly inside one of <paramref name="runs"/> (<see cref="SkippedRuns"/>).</summary>
    public static bool Skipped(uint[] runs, uint sequence)
    {
        for (int i = 0; i + 1 < runs.Length; i += 2)
        {
            if (sequence > runs[i] && sequence < runs[i + 1])
            {
                return true;
            }
        }

        return false;
    }

    private static void AddSplit(ArrayList wants, uint author, uint from, uint to)
    {
        uint start = from;
        while (wants.Count < WantMessage.MaxRanges)
        {
            uint end = to - start >= WantMessage.MaxRangeLength ? start + WantMessage.MaxRangeLength - 1 : to;
            wants.Add(new SequenceRange(author, start, end));
            if (end == to)
            {
                return;
            }

            start = end + 1;
        }
    }
}
