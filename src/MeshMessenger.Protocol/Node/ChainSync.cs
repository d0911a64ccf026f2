using System.Collections;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;
using MeshMessenger.Protocol.Sync;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// Chain sync with neighbours (docs/protocol.md §8): announces heads, answers heads with wants (a want's answer is
/// <see cref="WantResponder"/>'s), and runs a restore until the own chain and the conversations are back (on the radio, in rounds that
/// ask further than one hop: <see cref="RestorePlan"/>, §8.3–8.4). Holds a heads cursor, the rebuilding flag and,
/// while a radio node restores, its bounded restore plan; what it fetches goes through the node's normal receive path.
/// </summary>
internal sealed class ChainSync
{
    /// <summary>
    /// Plain neighbours that vouch for the own head of a restored radio node (docs/protocol.md §8.3): one, heard after the
    /// settling time, whose head is held and at least every own sequence known. Neighbours can agree on a head that is too
    /// low (each own direct entry is held by its recipient alone); the resume entry's skip of
    /// <see cref="LocalChain.ResumeSkip"/> sequences covers that, so waiting for an archive only kept the device read-only.
    /// </summary>
    public const int RadioHeadWitnesses = 1;

    // A want target that is no hint: every neighbour (next hop 0).
    private const int EveryNeighbour = 256;

    // Asking rounds that ask for the run this restore's resume entry skips (AddResumeGap).
    private const int ResumeGapAsks = 6;

    private readonly uint _id;
    private readonly ChainStore _chains;
    private readonly LocalChain _own;
    private readonly Outbox _outbox;
    private readonly EntryReader _reader;
    private readonly ReceiptLedger _receipts;
    private readonly int _maxFrameSize;
    private readonly IClock _clock;
    private readonly int _profiles;
    private bool _rebuilding;
    private int _headsOffset;
    private RestorePlan? _restore; // set while a restored radio node rebuilds its history
    private int _resumeGapAsks;
    private readonly ArchivePull _pull = new ArchivePull(); // what an archive missed on air (§8.5)

    /// <summary>Creates the sync of node <paramref name="id"/>.</summary>
    public ChainSync(uint id, ChainStore chains, LocalChain own, Outbox outbox, EntryReader reader, ReceiptLedger receipts, IClock clock, NodeLimits limits)
    {
        _clock = clock;
        _profiles = limits.Profiles;
        _id = id;
        _chains = chains;
        _own = own;
        _outbox = outbox;
        _reader = reader;
        _receipts = receipts;
        _maxFrameSize = outbox.MaxFrameSize;
    }

    /// <summary>See <see cref="MessengerNode.SyncAllChains"/>.</summary>
    public bool SyncAllChains { get; set; } = true;

    /// <summary>See <see cref="MessengerNode.Rebuilding"/>.</summary>
    public bool Rebuilding => _rebuilding;

    private uint Id => _id;

    private byte Hint => NodeId.HintOf(_id);

    /// <summary>Starts a restore: the own chain waits for its head, and neighbours are asked about it first (a query head), and for their heads in general.</summary>
    public void BeginRestore()
    {
        // On the radio an archive or a plain neighbour vouches for the head after the settling time; over IP the neighbour
        // is a gateway that holds every chain it serves (docs/protocol.md §8.3).
        _own.BeginRestore(_maxFrameSize <= FrameLimits.LoRa ? RadioHeadWitnesses : 1);
        if (_maxFrameSize <= FrameLimits.LoRa)
        {
            // On the radio an archive misses entries and hears others late; only heads it sends after the host's
            // settling time (the first FinishRestore) vouch (§8.3).
            _own.RequireSettling();
        }

        _rebuilding = true;
        QueueOwnHeadQuestion();
        // On the radio, the rounds that follow (AnnounceHeads) ask further, through a neighbour heard answering
        // (§8.3, §8.4). Over IP the neighbour is a gateway holding every chain, 55 heads to a frame: one hop does.
        if (_maxFrameSize <= FrameLimits.LoRa)
        {
            _restore = new RestorePlan(_profiles);
            QueueRelayedWants(0, true); // the own chain at once, through every neighbour (none heard yet)
        }
    }

    // ArrayList.AddRange is not in nanoFramework's mscorlib 1.x.
    private static void AddAll(ArrayList list, ChainHead[] items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            list.Add(items[i]);
        }
    }

    /// <summary>
    /// Advertises this node's chain heads to its neighbours (hop limit 0), optionally asking for theirs. While a
    /// restored radio node rebuilds (<see cref="Rebuilding"/>), each call runs the next restore round instead
    /// (docs/protocol.md §8.3), and the call after the last round ends the rebuild and sends nothing.
    /// </summary>
    public void AnnounceHeads(bool requestReply)
    {
        if (_rebuilding && _restore != null)
        {
            // A restore round (docs/protocol.md §8.3): questions about every known author's chain to the
            // neighbours, relayed wants for the conversations the own chain names; the host drives the rounds.
            if (!_restore.Done)
            {
                _restore.NextRound();
                QueueUnconfirmedHeadQuestion();
                ChainHead[][] questions = _restore.Questions(_chains, HeadsMessage.Fit(_maxFrameSize - FrameLimits.HeaderSize));
                byte askee = _restore.NextNeighbour(); // one neighbour answers a round's questions, or any if none known yet
                for (int i = 0; i < questions.Length; i++)
                {
                    Queue(new Frame(FrameType.Heads, 0, 0, false, askee, Hint, new HeadsMessage(true, true, questions[i]).Encode()));
                }

                if (questions.Length > 0)
                {
                    _restore.Neighbours.NoteQuestioned(askee, questions.Length);
                }

                QueueRelayedWants(askee, false);
                return;
            }

            // Extra rounds (§8.3): ask again, backing off, for exactly what is known to be missing; stop as soon as
            // nothing known is, or when the extra rounds ran out.
            int conversation;
            ArrayList missing = AllMissing(false, out conversation);
            int fit = HeadsMessage.Fit(_maxFrameSize - FrameLimits.HeaderSize);
            if ((missing.Count > 0 || _restore.Unresolved(_chains, Id, fit, false).Length > 0 || _restore.Neighbours.Unquestioned() != 0) && !_restore.Exhausted)
            {
                _restore.NextRound();
                if (_restore.AsksThisRound())
                {
                    QueueUnconfirmedHeadQuestion();
                    byte via = _restore.NextNeighbour();
                    QueueMissingWants(via);
                    // Questions to any neighbour about authors nothing was heard of: the base rounds asked one neighbour
                    // each, which may not hold their chains (§8.3).
                    ChainHead[] unresolved = _restore.Unresolved(_chains, Id, fit, true);
                    if (unresolved.Length > 0)
                    {
                        Queue(new Frame(FrameType.Heads, 0, 0, false, 0, Hint, new HeadsMessage(true, true, unresolved).Encode()));
                    }

                    // The known authors' questions to one heard neighbour no round asked yet (or whose answers did not all
                    // come back): its heads show the posts it alone of the asked ones holds, and an archive misses posts too (§8.3).
                    byte fresh = _restore.Neighbours.Unquestioned();
                    ChainHead[][] questions = fresh == 0 ? new ChainHead[0][] : _restore.Questions(_chains, fit);
                    _restore.Neighbours.NoteQuestioned(fresh, questions.Length);
                    for (int i = 0; i < questions.Length; i++)
                    {
                        Queue(new Frame(FrameType.Heads, 0, 0, false, fresh, Hint, new HeadsMessage(true, true, questions[i]).Encode()));
                    }
                }

                return;
            }

            _rebuilding = false; // every round ran: what could come back came back; this call ends the rebuild only
            _own.ExpireClaims(); // an own head advertised and never backed by its entry no longer holds the head back (§8.3)
            return;
        }

        if (_own.Restoring && _restore != null)
        {
            // The head is still unconfirmed after the rebuild: keep asking for it, and only for it (§8.3).
            QueueOwnHeadQuestion();
            return;
        }

        AnnounceHeads(requestReply, null, false);
    }

    // The own head question (§8.3): of the archive by name once one was heard (it holds the most of the own chain, and
    // the plain neighbours that hold some of it would answer a question to all at once, colliding with its answer), else
    // of every neighbour.
    private void QueueOwnHeadQuestion()
    {
        var query = new ChainHead[] { new ChainHead(Id, 0, 0, new byte[EntryCodec.LinkSize]) };
        byte to = _restore == null ? (byte)0 : _restore.Neighbours.Archive;
        Queue(new Frame(FrameType.Heads, 0, 0, false, to, Hint, new HeadsMessage(true, true, query).Encode()));
    }

    // While a radio restore's rounds run past its settling time with the head still unconfirmed, each asking round asks
    // for the own head again (§8.3): the one question the settling time sent may have been lost, and an archive keeps
    // learning own entries; without it the head is asked only after the rounds end.
    private void QueueUnconfirmedHeadQuestion()
    {
        if (_own.Restoring && _own.Settled && _restore!.TakeHeadAsk())
        {
            QueueOwnHeadQuestion();
        }
    }

    // Relayed wants go through one named neighbour (docs/protocol.md §8.4): only it repeats them, and the answers
    // come back through it, so a want costs one relay and not one per neighbour.
    private void QueueRelayedWants(byte via, bool ownOnly)
    {
        RelayedWant[] wants = _restore!.RelayedWants(_chains, Id, ownOnly);
        for (int i = 0; i < wants.Length; i++)
        {
            Queue(new Frame(FrameType.Want, RelayedWant.HopLimit, RelayedWant.HopLimit, false, via, Hint, wants[i].Encode()));
        }
    }

    // What the node knows it lacks (docs/protocol.md §8.3): the run its own resume entry skips (AddResumeGap), holes in
    // the own chain up to the highest head held or advertised, and the messages its own receipts say it received; at
    // most RestorePlan.MaxMissing ranges.
    private ArrayList KnownMissing(bool asking)
    {
        var missing = new ArrayList();
        AddResumeGap(missing, asking);
        uint low;
        uint high;
        long top = _chains.Store.TryGetRange(Id, out low, out high) ? high : -1;
        top = _own.KnownHigh > top ? _own.KnownHigh : top;
        uint[] skipped = top < 0 ? new uint[0] : SyncPlanner.SkippedRuns(_chains.Store, Id, 0, (uint)top); // an earlier restore's resume entries
        for (long s = 0; s <= top && s < SyncPlanner.MaxHoleProbe; s++)
        {
            if (_chains.Store.Get(Id, (uint)s) == null && !SyncPlanner.Skipped(skipped, (uint)s) && !RestorePlan.AddMissing(missing, Id, (uint)s, RestorePlan.MaxMissing))
            {
                break;
            }
        }

        _receipts.AddMissingReceived(missing, RestorePlan.MaxMissing);
        return missing;
    }

    // The run the resume entry this restore wrote skips (§8.3): its head was confirmed by a neighbour that may have held
    // too little of the own chain (one plain witness), and own entries the device did not know of may lie there, held by
    // the archive or by their recipients. Asked with the own chain's ranges (of the best neighbour, and by relayed want
    // through the round's neighbour) in ResumeGapAsks asking rounds, then taken as empty.
    private void AddResumeGap(ArrayList missing, bool asking)
    {
        long resume = _own.WrittenResume;
        StoredEntry? stored = resume < 0 || _resumeGapAsks >= ResumeGapAsks ? null : _chains.Store.Get(Id, (uint)resume);
        if (stored == null || stored.Entry.Kind != EntryKind.Resume)
        {
            return;
        }

        int before = missing.Count;
        for (uint s = EntryCodec.LinkedSequence(stored.Entry) + 1; s < (uint)resume; s++)
        {
            if (_chains.Store.Get(Id, s) == null && !RestorePlan.AddMissing(missing, Id, s, RestorePlan.MaxMissing))
            {
                break;
            }
        }

        _resumeGapAsks += asking && missing.Count > before ? 1 : 0;
    }

    // KnownMissing, then what neighbours' heads showed and the store lacks (channel posts come back this way).
    private ArrayList AllMissing(bool asking, out int conversation)
    {
        ArrayList missing = KnownMissing(asking);
        conversation = missing.Count;
        _restore!.AddAdvertisedMissing(_chains.Store, missing, RestorePlan.MaxMissing, asking);
        return missing;
    }

    // Targeted wants for what is known to be missing: a hop-0 want to the neighbour holding the most (a gateway or
    // archive holds every chain), and relayed wants for the same ranges through the round's neighbour, answered by
    // the other party of each conversation (§8.4).
    private void QueueMissingWants(byte via)
    {
        int conversation;
        ArrayList missing = AllMissing(true, out conversation);
        if (missing.Count == 0)
        {
            return;
        }

        // Each range goes to the neighbour whose heads showed the widest run of that chain, every second time to the
        // archive once one was heard (or, when the archive showed the widest run itself, to every neighbour); the own
        // chain's and the receipts' ranges to the best neighbour (§8.3): a neighbour asked for a chain it never showed
        // answers nothing.
        byte best = _restore!.Neighbours.Best();
        var targets = new ArrayList(); // boxed int targets (a hint, or EveryNeighbour), at most RestorePlan.MaxMissing
        for (int i = 0; i < missing.Count; i++)
        {
            int to = TargetOf((SequenceRange)missing[i]!, i < conversation, best);
            if (to != 0 && !HasTarget(targets, to))
            {
                targets.Add(to);
            }
        }

        for (int t = 0; t < targets.Count; t++)
        {
            var ranges = new ArrayList();
            for (int i = 0; i < missing.Count; i++)
            {
                var range = (SequenceRange)missing[i]!;
                if (TargetOf(range, i < conversation, best) == (int)targets[t]!)
                {
                    ranges.Add(range);
                }
            }

            var want = new SequenceRange[ranges.Count];
            ranges.CopyTo(want);
            int target = (int)targets[t]!;
            if (target == EveryNeighbour)
            {
                // Every neighbour answers it, each with up to 64 entries: flagged readable by the asker only whoever asks
                // (an archive too), so the author and the archives in reach do not all send its direct messages (§8.2,
                // §8.3). Its ranges are advertised runs, never the own chain (TakeHeads notes no own head).
                QueueWant(0, want, true);
                continue;
            }

            QueueWant((byte)target, want);
        }

        // Relayed wants only for the conversations: nobody answers a channel post that way (§8.4).
        while (missing.Count > conversation)
        {
            missing.RemoveAt(missing.Count - 1);
        }

        RelayedWant[] wants = _restore.MissingWants(missing, Id);
        for (int i = 0; i < wants.Length; i++)
        {
            Queue(new Frame(FrameType.Want, RelayedWant.HopLimit, RelayedWant.HopLimit, false, via, Hint, wants[i].Encode()));
        }
    }

    // Where a missing range is asked: a conversation's or the own chain's of the best neighbour; an advertised run of
    // the neighbour that showed it, in turn with the archive, or of every neighbour (RestorePlan.AsksEveryNeighbour);
    // 0 if nobody is known to ask.
    private int TargetOf(SequenceRange range, bool conversation, byte best)
    {
        if (!conversation && _restore!.AsksEveryNeighbour(range.Author))
        {
            return EveryNeighbour;
        }

        byte to = conversation ? (byte)0 : _restore!.AdvertisedTarget(range.Author);
        return to == 0 ? best : to;
    }

    private static bool HasTarget(ArrayList targets, int target)
    {
        for (int i = 0; i < targets.Count; i++)
        {
            if ((int)targets[i]! == target)
            {
                return true;
            }
        }

        return false;
    }

    // answer: sent because a neighbour asked (marked for the host's answer share, docs/protocol.md §8.6).
    private void AnnounceHeads(bool requestReply, ChainHead[]? asked, bool answer)
    {
        int fit = HeadsMessage.Fit(_maxFrameSize - FrameLimits.HeaderSize);
        var list = new ArrayList();
        if (asked != null)
        {
            var authors = new uint[asked.Length];
            for (int i = 0; i < asked.Length; i++)
            {
                authors[i] = asked[i].Author;
            }

            AddAll(list, SyncPlanner.HeadsOf(_chains, authors, 0, fit));
            if (list.Count == 0)
            {
                return; // nothing to say about what was asked; stay quiet rather than spend airtime
            }

            // What was asked and the answerer's own chain (the asker may have talked to it): an answer to a question
            // is short, so the neighbours' answers collide less.
            bool ownAsked = false;
            for (int i = 0; i < asked.Length; i++)
            {
                ownAsked = ownAsked || asked[i].Author == Id;
            }

            if (!ownAsked && list.Count < fit)
            {
                AddAll(list, SyncPlanner.HeadsOf(_chains, new uint[] { Id }, 0, 1));
            }

            var reply = new ChainHead[list.Count];
            list.CopyTo(reply);
            _outbox.Queue(new Frame(FrameType.Heads, 0, 0, false, 0, Hint, new HeadsMessage(requestReply, false, SyncAllChains, reply).Encode()), answer);
            return;
        }

        ChainHead[] more = SyncPlanner.HeadsOf(_chains, _headsOffset, fit - list.Count);
        _headsOffset += more.Length;
        AddAll(list, more);
        var heads = new ChainHead[list.Count];
        list.CopyTo(heads);
        _outbox.Queue(new Frame(FrameType.Heads, 0, 0, false, 0, Hint, new HeadsMessage(requestReply, false, SyncAllChains, heads).Encode()), answer);
    }

    /// <summary>
    /// Ends a restore at the confirmed head (held, and vouched for: docs/protocol.md §8.3), even if not every own entry
    /// before it came back (a recipient holds only what was sent to it). The host calls this after a settling time; true if the
    /// node can append again. Entries arriving later are still read.
    /// </summary>
    public bool FinishRestore()
    {
        if (!_own.Restoring)
        {
            return true;
        }

        if (_own.EndSettling())
        {
            // The settling time ends here: heads heard before it vouch for nothing; ask for the head again, and the first
            // archive answer at or above every own sequence known ends the restore (TakeHeads, §8.3).
            QueueOwnHeadQuestion();
            return false;
        }

        // The history is shown either way; an unconfirmed head only keeps the chain read-only (§8.3). Rebuilt after the
        // adoption, as when the whole chain came back (MessengerNode.OnAccepted).
        // With no archive's confirmation, the rounds' end lets the node resume past what came back (§8.3, the resume entry).
        bool adopted = _own.AdoptAdvertisedHead() || _own.AdoptHeldHead();
        RebuildFromStore();
        if (!adopted)
        {
            return false;
        }

        SendResume();
        AcknowledgeUnreceipted();
        return true;
    }

    /// <summary>
    /// A restore ended: writes the resume entry (docs/protocol.md §8.3) and sends it to the neighbours (hop limit 0), so
    /// an archive in reach holds the link across the sequences it skips; others fetch it by sync like any entry.
    /// </summary>
    public void SendResume()
    {
        Entry? resume = _own.CommitResume(_clock.EntrySeconds);
        if (resume != null)
        {
            _outbox.QueueEntry(resume, 0, false);
        }
    }

    /// <summary>
    /// A frame was heard from <paramref name="relay"/>, its transmitter's hint: while the node rebuilds on the radio with an
    /// archive in reach, a neighbour to ask the known authors' questions of (§8.3) even if its heads never reached it, as
    /// the archive's answers drown a plain neighbour's.
    /// </summary>
    public void NoteHeard(byte relay)
    {
        if (_rebuilding && _restore != null && _restore.Neighbours.Archive != 0 && relay != 0 && relay != Hint)
        {
            _restore.Neighbours.Note(relay, 0);
        }
    }

    /// <summary>A neighbour's heads: note the own head while restoring, ask for what is missing, and answer a request for heads.</summary>
    public ProtocolError TakeHeads(Frame frame)
    {
        HeadsMessage? heads;
        ProtocolError error = HeadsMessage.TryDecode(frame.Payload, out heads);
        if (error != ProtocolError.None)
        {
            return error;
        }

        if (_restore != null && !heads!.Query)
        {
            long held = 0;
            for (int i = 0; i < heads.Heads.Length; i++)
            {
                held += (long)heads.Heads[i].High - heads.Heads[i].Low + 1;
            }

            _restore.Neighbours.NoteHeads(frame.Relay, held, heads.Archive);
            for (int i = 0; i < heads.Heads.Length; i++)
            {
                if (_rebuilding && heads.Heads[i].Author != Id)
                {
                    _restore.NoteHead(heads.Heads[i], frame.Relay); // the own chain's top is the advertised head (KnownMissing)
                }
            }
        }

        for (int i = 0; i < heads!.Heads.Length; i++)
        {
            if (heads.Heads[i].Author == Id && _own.Restoring)
            {
                _own.NoteAdvertisedHead(heads.Heads[i].High, frame.Relay, heads.Archive);
            }
        }

        if (_own.Restoring && _own.Settled && _own.HeadConfirmed && _restore != null)
        {
            FinishRestore(); // a radio restore past its settling time: the first fresh confirmation ends it (§8.3)
        }

        // A device (SyncAllChains off) fetches only while restoring; an archive or gateway fetches whatever it hears of.
        bool fetch = !heads.Query && (SyncAllChains || _own.Restoring || _rebuilding);
        SequenceRange[] wants = fetch ? SyncPlanner.Wants(_chains, heads.Heads, SyncAllChains) : new SequenceRange[0];
        if (_restore != null && _rebuilding)
        {
            wants = _restore.Filter(wants, _clock.MonotonicMilliseconds); // one neighbour per author at a time
        }

        if (_rebuilding && fetch && !_own.Restoring && wants.Length == 0 && _restore == null)
        {
            // Over IP (no restore rounds): nothing more to fetch of the chains kept. On the radio the rounds end it.
            _rebuilding = false;
        }

        if (wants.Length > 0)
        {
            // Addressed to the neighbour that advertised, so the others do not answer with the same entries.
            QueueWant(frame.Relay, wants);
        }

        if (heads.RequestReply && (frame.NextHop == 0 || frame.NextHop == Hint))
        {
            // Questions addressed to another neighbour are left to it (docs/protocol.md §8.3).
            AnnounceHeads(false, heads.Query ? heads.Heads : null, true);
        }

        return ProtocolError.None;
    }

    /// <summary>An entry of <paramref name="author"/> was stored from a frame sent by <paramref name="relay"/>: an archive remembers who to ask for the author's missing entries.</summary>
    public void NoteEntry(uint author, byte relay)
    {
        if (SyncAllChains && author != Id)
        {
            _pull.NoteEntry(author, relay);
        }
    }

    /// <summary>
    /// An archive's pull (docs/protocol.md §8.5): one want for the first missing range of the next chain whose held run
    /// shows one, to the neighbour that carried it. Nothing on a device, or while this node restores. True if a want was queued.
    /// </summary>
    public bool PullMissing()
    {
        SequenceRange range;
        byte via;
        if (!SyncAllChains || _own.Restoring || _rebuilding || !_pull.Next(_chains.Store, out range, out via))
        {
            return false;
        }

        Queue(new Frame(FrameType.Want, 0, 0, false, via, Hint, new WantMessage(new SequenceRange[] { range }).Encode()));
        return true;
    }

    /// <summary>
    /// Asks neighbours for entries [<paramref name="from"/>, <paramref name="to"/>] of <paramref name="author"/>: the profile
    /// of an author heard but not known. Anyone can send entries under new authors (one whose key is unknown cannot be
    /// checked), so the want is marked like an answer and bounded by the host's answer share (docs/protocol.md §8.6).
    /// </summary>
    public void AskFor(uint author, uint from, uint to)
    {
        if (to - from >= WantMessage.MaxRangeLength)
        {
            to = from + WantMessage.MaxRangeLength - 1;
        }

        _outbox.Queue(new Frame(FrameType.Want, 0, 0, false, 0, Hint, new WantMessage(new[] { new SequenceRange(author, from, to) }).Encode()), true);
    }

    // A hop-0 want for a node's own fetching (docs/protocol.md §8.2): a node that keeps every chain (an archive, a
    // gateway) asks for everything; a device asks of other chains only what it can read (the flag), so the answerer's
    // duty cycle is not spent on other pairs' direct messages, and of its own chain everything (its direct entries
    // carry their recipients' hints). Both kinds in one list go as two wants to the same neighbour.
    private void QueueWant(byte to, SequenceRange[] ranges)
    {
        int own = 0;
        for (int i = 0; i < ranges.Length; i++)
        {
            own += ranges[i].Author == Id ? 1 : 0;
        }

        if (SyncAllChains || own == 0 || own == ranges.Length)
        {
            QueueWant(to, ranges, !SyncAllChains && own == 0);
            return;
        }

        var mine = new SequenceRange[own];
        var others = new SequenceRange[ranges.Length - own];
        int m = 0;
        int o = 0;
        for (int i = 0; i < ranges.Length; i++)
        {
            if (ranges[i].Author == Id)
            {
                mine[m++] = ranges[i];
            }
            else
            {
                others[o++] = ranges[i];
            }
        }

        QueueWant(to, mine, false);
        QueueWant(to, others, true);
    }

    private void QueueWant(byte to, SequenceRange[] ranges, bool readableOnly) =>
        Queue(new Frame(FrameType.Want, 0, 0, false, to, Hint, new WantMessage(ranges, readableOnly).Encode()));

    // The node's own paths, under the names the sync code has always used.
    private void Queue(Frame frame) => _outbox.Queue(frame);

    private void RebuildFromStore() => _reader.RereadStore();

    private void AcknowledgeUnreceipted() => _receipts.AcknowledgeUnreceipted();
}
