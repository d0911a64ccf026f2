using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// The node's own chain, the only one it appends to. It never reuses a sequence number: a node restored
/// from its backup starts with an unknown head and refuses to append until a neighbour vouches for a head it holds
/// again (docs/protocol.md §8.3; heads are not signed, so only entries that came back count), and its first entry
/// after the restore is a <see cref="EntryKind.Resume"/> entry that skips <see cref="ResumeSkip"/> sequences past that
/// head, left to own entries only their recipients held. This is the lesson of Secure Scuttlebutt,
/// where posting from a restored key before the old feed arrived forked it for good (manyverse 111,
/// ssb-server 410).
/// </summary>
public sealed class LocalChain
{
    private readonly NodeIdentity _identity;
    private readonly ChainStore _chains;
    private bool _restoring;
    private bool _headAdvertised;
    private uint _advertisedHigh;
    private long _namedHigh = -1; // the highest own sequence a peer's receipt named while restoring
    private long _verifiedHigh = -1; // the highest own entry that came back while restoring, stored or not (a store at its cap drops it)
    private byte[]? _verifiedHash;
    private bool _claimsExpired; // the restore asked for every advertised own entry it could: heads not backed stop counting

    // Who vouched for the own head while restoring (docs/protocol.md §8.3): each neighbour's hint and the highest own
    // sequence it advertised, at most MaxWitnesses neighbours (a restore hears a handful; more add nothing).
    private readonly byte[] _witnessHints = new byte[MaxWitnesses];
    private readonly uint[] _witnessHighs = new uint[MaxWitnesses];
    private readonly bool[] _witnessArchives = new bool[MaxWitnesses];
    private int _witnessCount;
    private int _witnessesNeeded = 1;

    // A radio restore counts only witnesses heard after its settling time (docs/protocol.md §8.3): an archive's heads sent
    // earlier can predate own entries still on their way to it (relayed late, retransmitted, pulled from a neighbour).
    private bool _settleRequired;
    private bool _settled;

    /// <summary>Neighbours remembered as witnesses of the own head while restoring.</summary>
    public const int MaxWitnesses = 8;

    /// <summary>
    /// Sequences a resume entry leaves out above the highest own entry known after a restore (docs/protocol.md §8.3). The
    /// newest own entries before a wipe may be held by their recipients alone, out of every archive's hearing; they keep
    /// their sequences as long as fewer than this many were written after the last own entry that came back. 64 keeps
    /// the sequences of a young chain in a 1-byte varint and stays far below the 4,096 sequences a hole probe looks at
    /// (<c>SyncPlanner.MaxHoleProbe</c>).
    /// </summary>
    public const uint ResumeSkip = 64;

    // A restore ended: the next entry written is a resume entry linking to this held own entry, past _resumeAbove.
    private bool _resumePending;
    private uint _resumeFrom;
    private byte[]? _resumeHash;
    private uint _resumeAbove;

    // The last entry appended here, kept apart from the store: a store at its cap may not hold it, and the next
    // sequence number must never depend on what a store chose to keep.
    private bool _appended;
    private uint _lastSequence;
    private byte[]? _lastHash;

    /// <summary>Appends to <paramref name="identity"/>'s chain in <paramref name="chains"/>.</summary>
    public LocalChain(NodeIdentity identity, ChainStore chains)
    {
        _identity = identity;
        _chains = chains;
    }

    /// <summary>True when appending is safe: the node is not restoring (it started the chain, or caught up, or adopted a confirmed head).</summary>
    public bool HeadKnown => !_restoring;

    /// <summary>True while a restored node waits for its own chain.</summary>
    public bool Restoring => _restoring;

    /// <summary>The highest own sequence a neighbour advertised while restoring, or -1 if none did.</summary>
    public long AdvertisedHigh => _headAdvertised ? _advertisedHigh : -1;

    /// <summary>
    /// The highest own sequence known to exist while restoring: advertised by a neighbour or named by a peer's receipt
    /// (<see cref="NoteNamedSequence"/>); -1 if neither.
    /// </summary>
    public long KnownHigh => AdvertisedHigh > _namedHigh ? AdvertisedHigh : _namedHigh;

    /// <summary>
    /// While restoring: a peer's delivery or read receipt names own sequence <paramref name="sequence"/>, so it exists
    /// and the head is confirmed only at or above it (docs/protocol.md §8.3). Its recipient may be out of every
    /// archive's reach, and the archive would vouch for a head below it.
    /// </summary>
    public void NoteNamedSequence(uint sequence)
    {
        if (_restoring && sequence > _namedHigh)
        {
            _namedHigh = sequence;
        }
    }

    /// <summary>The sequence number the next entry will get (after a restore, the one after the resume entry written first).</summary>
    public uint NextSequence
    {
        get
        {
            if (_resumePending)
            {
                return ResumeSequence + 1;
            }

            uint low;
            uint high;
            uint next = _chains.Store.TryGetRange(_identity.Id, out low, out high) ? high + 1 : 0;
            return _appended && _lastSequence + 1 > next ? _lastSequence + 1 : next;
        }
    }

    /// <summary>Starts a new chain with its genesis profile entry. Refused if any entry of this identity is held.</summary>
    public Entry StartNew(Profile profile, uint time)
    {
        uint low;
        uint high;
        if (_restoring || _chains.Store.TryGetRange(_identity.Id, out low, out high))
        {
            throw new ProtocolException(ProtocolError.InvalidField, "this identity already has a chain; a second genesis would fork it");
        }

        return Commit(EntryKind.Profile, BodySealing.Clear, 0, time, profile.Encode());
    }

    /// <summary>Marks the node as restored from backup: appending waits for the chain to come back; one witness of the head suffices.</summary>
    public void BeginRestore()
    {
        BeginRestore(1);
    }

    /// <summary>
    /// Marks the node as restored from backup: appending waits until an archive, or <paramref name="witnesses"/> distinct
    /// neighbours, vouched for the head (advertised the own chain at least as high as the highest own sequence known).
    /// <paramref name="witnesses"/> ≤ 0: only an archive confirms (docs/protocol.md §8.3).
    /// </summary>
    public void BeginRestore(int witnesses)
    {
        _restoring = true;
        _headAdvertised = false;
        _advertisedHigh = 0;
        _namedHigh = -1;
        _verifiedHigh = -1;
        _verifiedHash = null;
        _claimsExpired = false;
        _witnessCount = 0;
        _witnessesNeeded = witnesses;
        _settleRequired = false;
        _settled = false;
    }

    /// <summary>
    /// Makes this restore count only witnesses heard after <see cref="EndSettling"/> (a radio restore, docs/protocol.md
    /// §8.3): until then <see cref="HeadConfirmed"/> is false whatever was advertised.
    /// </summary>
    public void RequireSettling()
    {
        _settleRequired = _restoring;
        _settled = false;
    }

    /// <summary>True when no settling is required or it ended: a witness heard from now on may confirm the head.</summary>
    public bool Settled => !_settleRequired || _settled;

    /// <summary>
    /// Ends the settling time of a restore that requires one: the witnesses heard so far are forgotten, and only heads
    /// heard from now on confirm, at or above every own sequence known (the advertised and named ones stay known).
    /// True if this call ended it; false if it had ended already or none was required.
    /// </summary>
    public bool EndSettling()
    {
        if (!_restoring || Settled)
        {
            return false;
        }

        _settled = true;
        _witnessCount = 0;
        return true;
    }

    /// <summary>
    /// True once an archive (a gateway, which keeps every chain it hears), or as many distinct neighbours as the restore
    /// asked for, advertised the own chain at least as high as the highest own sequence known (advertised or held): the
    /// head is confirmed and the restore may end (docs/protocol.md §8.3). While false the node refuses to append.
    /// </summary>
    public bool HeadConfirmed
    {
        get
        {
            if (!_headAdvertised || !Settled)
            {
                return false;
            }

            uint top = Top();
            int n = 0;
            for (int i = 0; i < _witnessCount; i++)
            {
                // Heads are not signed: a witness's head counts only once the own entry at it is held (signed by this
                // identity, so verified), and a made-up head neither confirms nor raises the top (§8.3, "Made-up heads").
                bool vouches = _witnessHighs[i] >= top && Holds(_witnessHighs[i]);
                if (vouches && _witnessArchives[i])
                {
                    return true;
                }

                n += vouches ? 1 : 0;
            }

            return _witnessesNeeded > 0 && n >= _witnessesNeeded;
        }
    }

    /// <summary>How many distinct neighbours (archives or not) vouch for the highest own sequence known so far.</summary>
    public int Witnesses
    {
        get
        {
            uint top = Top();
            int n = 0;
            for (int i = 0; i < _witnessCount; i++)
            {
                n += _witnessHighs[i] >= top ? 1 : 0;
            }

            return n;
        }
    }

    // The highest own sequence known to exist: held (or verified while restoring), named by a peer's receipt (signed by
    // that peer), or advertised by a neighbour until the claims expire. An advertised head is not signed: it holds the
    // confirmation back while the restore asks for its entries, and no longer, so one made-up head cannot keep the node
    // read-only for good (docs/protocol.md §8.3, "Made-up heads").
    private uint Top()
    {
        uint low;
        uint high;
        long top = _chains.Store.TryGetRange(_identity.Id, out low, out high) ? high : 0;
        top = _verifiedHigh > top ? _verifiedHigh : top;
        top = _headAdvertised && !_claimsExpired && _advertisedHigh > top ? _advertisedHigh : top;
        return (uint)(_namedHigh > top ? _namedHigh : top);
    }

    /// <summary>
    /// The restore asked for every advertised own entry as often as it asks (on the radio: its rounds ran out): from now on
    /// an advertised head whose entry never came back no longer holds the confirmation back (docs/protocol.md §8.3).
    /// </summary>
    public void ExpireClaims()
    {
        _claimsExpired = _restoring;
    }

    // The own entry at this sequence came back: it is stored, or it was the highest verified while restoring.
    private bool Holds(uint sequence)
    {
        return sequence == _verifiedHigh || _chains.Store.Get(_identity.Id, sequence) != null;
    }

    /// <summary>
    /// While restoring: an own entry came back and its signature checked (<see cref="ChainStore.Accept"/>). The highest
    /// is remembered apart from the store, whose author cap may have dropped it, so a head it vouches for can be adopted.
    /// </summary>
    public void NoteVerified(Entry entry)
    {
        if (_restoring && entry.Author == _identity.Id && entry.Sequence > _verifiedHigh)
        {
            _verifiedHigh = entry.Sequence;
            _verifiedHash = _chains.HashOf(_identity.Id, entry.Sequence) ?? EntryHash.Of(entry, _identity.SigningKey);
        }
    }

    /// <summary>
    /// As <see cref="NoteAdvertisedHead(uint)"/>, and remembers neighbour <paramref name="from"/> (its hint) as a
    /// witness of that height; <paramref name="archive"/>: the neighbour keeps every chain it hears (heads flag bit 2).
    /// </summary>
    public void NoteAdvertisedHead(uint high, byte from, bool archive)
    {
        NoteHigh(high);
        for (int i = 0; i < _witnessCount; i++)
        {
            if (_witnessHints[i] == from)
            {
                _witnessHighs[i] = high > _witnessHighs[i] ? high : _witnessHighs[i];
                _witnessArchives[i] = _witnessArchives[i] || archive;
                return;
            }
        }

        int slot = _witnessCount < MaxWitnesses ? _witnessCount++ : ReplaceableWitness(high, archive);
        if (slot >= 0)
        {
            _witnessHints[slot] = from;
            _witnessHighs[slot] = high;
            _witnessArchives[slot] = archive;
        }
    }

    // With every slot taken, a newcomer that vouches (its head is held) replaces a witness that does not, archive or not:
    // made-up heads under many hints (the hint and the archive flag are not signed) cannot keep an archive that vouches
    // out. Otherwise it replaces the plain witness with the lowest head, if it is an archive or higher; -1 if none.
    private int ReplaceableWitness(uint high, bool archive)
    {
        if (Holds(high))
        {
            for (int i = 0; i < MaxWitnesses; i++)
            {
                if (!Holds(_witnessHighs[i]))
                {
                    return i;
                }
            }
        }

        int slot = -1;
        for (int i = 0; i < MaxWitnesses; i++)
        {
            if (!_witnessArchives[i] && (slot < 0 || _witnessHighs[i] < _witnessHighs[slot]))
            {
                slot = i;
            }
        }

        return slot >= 0 && (archive || _witnessHighs[slot] < high) ? slot : -1;
    }

    /// <summary>A neighbour (unnamed: hint 0, one witness) says this identity's chain reaches <paramref name="high"/>.</summary>
    public void NoteAdvertisedHead(uint high)
    {
        NoteAdvertisedHead(high, 0, false);
    }

    // The own chain is asked for up to the highest advertised head (KnownHigh). Heads are not signed, so a head confirms
    // nothing until its entry is held (HeadConfirmed, docs/protocol.md §8.3).
    private void NoteHigh(uint high)
    {
        if (!_headAdvertised || high > _advertisedHigh)
        {
            _advertisedHigh = high;
        }

        _headAdvertised = true;
    }

    /// <summary>
    /// Ends the restore at the confirmed head without holding every entry before it: the confirmed head is held (its
    /// entry came back), and the next entry links to it. False while the head is not confirmed (<see cref="HeadConfirmed"/>):
    /// the node then stays read-only rather than risk reusing a sequence number.
    /// </summary>
    public bool AdoptAdvertisedHead()
    {
        if (!_restoring || !HeadConfirmed)
        {
            return !_restoring;
        }

        // The confirmed head is held (or was verified while restoring, if a store at its cap dropped it), so its hash is known.
        uint confirmed = Top();
        byte[]? hash = _chains.HashOf(_identity.Id, confirmed) ?? (confirmed == _verifiedHigh ? _verifiedHash : null);
        _restoring = false;
        PendResume(confirmed, hash, confirmed);
        return true;
    }

    /// <summary>
    /// Ends a radio restore that no archive confirmed, once its rounds ran out (<see cref="ExpireClaims"/>) and its settling
    /// time ended: the resume entry links to the highest own entry that came back and skips <see cref="ResumeSkip"/>
    /// sequences past the highest own sequence known (held, or named by a peer's receipt at most that far above it), so an
    /// own entry only its recipient held keeps its sequence (docs/protocol.md §8.3). False, staying read-only, while the
    /// rounds run or if no own entry came back to link to.
    /// </summary>
    public bool AdoptHeldHead()
    {
        if (!_restoring || !_claimsExpired || !Settled)
        {
            return !_restoring;
        }

        uint low;
        uint high;
        long held = _chains.Store.TryGetRange(_identity.Id, out low, out high) ? high : -1;
        held = _verifiedHigh > held ? _verifiedHigh : held;
        if (held < 0)
        {
            return false;
        }

        uint from = (uint)held;
        byte[]? hash = _chains.HashOf(_identity.Id, from) ?? (from == _verifiedHigh ? _verifiedHash : null);
        if (hash == null)
        {
            return false;
        }

        // A receipt is signed by a contact, who could name any sequence: one far above what came back is not believed.
        uint above = _namedHigh > from && _namedHigh - from <= ResumeSkip ? (uint)_namedHigh : from;
        _restoring = false;
        PendResume(from, hash, above);
        return true;
    }

    /// <summary>True when a restore ended and the resume entry (<see cref="CommitResume"/>) is not written yet.</summary>
    public bool ResumePending => _resumePending;

    /// <summary>The sequence of the resume entry this node wrote after its restore (<see cref="CommitResume"/>), or -1.</summary>
    public long WrittenResume { get; private set; } = -1;

    // The resume entry's own sequence: ResumeSkip sequences left out past the highest own sequence known.
    private uint ResumeSequence => _resumeAbove + ResumeSkip + 1;

    private void PendResume(uint from, byte[]? hash, uint above)
    {
        _resumePending = true;
        _resumeFrom = from;
        _resumeHash = hash;
        _resumeAbove = above;
    }

    /// <summary>
    /// After a restore: writes the resume entry (docs/protocol.md §8.3) and returns it, for the node to send; null if none
    /// is due. <see cref="NextHeader"/> writes it first anyway, so no entry can follow a restore without it.
    /// </summary>
    public Entry? CommitResume(uint time)
    {
        if (!_resumePending)
        {
            return null;
        }

        if (_resumeHash == null)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "the own head adopted is not held; its link is unknown");
        }

        if (_resumeAbove > uint.MaxValue - ResumeSkip - 2)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "no sequence numbers left after this restore");
        }

        byte[] header = EntryCodec.EncodeHeader(EntryKind.Resume, BodySealing.Clear, _identity.Id, ResumeSequence, time, EntryHash.LinkOf(_resumeHash), 0);
        Entry resume = Store(EntryCodec.Sign(_identity, header, EntryCodec.ResumeBody(_resumeFrom, _resumeHash)));
        _resumePending = false;
        WrittenResume = resume.Sequence;
        return resume;
    }

    /// <summary>Ends the restore once the head is confirmed and the whole chain up to it is held; true if it ended.</summary>
    public bool TryFinishRestore()
    {
        uint low;
        uint high;
        if (_restoring && HeadConfirmed && _chains.Store.TryGetRange(_identity.Id, out low, out high) && HoldsAll(high))
        {
            _restoring = false;
            PendResume(high, _chains.HashOf(_identity.Id, high), high);
        }

        return !_restoring;
    }

    private bool HoldsAll(uint high)
    {
        for (uint s = 0; s <= high; s++)
        {
            if (_chains.Store.Get(_identity.Id, s) == null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The header of the next entry, to seal its body against (the header is the associated data).</summary>
    public byte[] NextHeader(EntryKind kind, BodySealing sealing, byte hint, uint time)
    {
        if (!HeadKnown)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "the chain head is not confirmed yet (restoring from backup); appending now could reuse a sequence number");
        }

        CommitResume(time);

        uint sequence = NextSequence;
        byte[]? held = sequence == 0 ? null : _chains.HashOf(_identity.Id, sequence - 1);
        if (held == null && _appended && _lastSequence + 1 == sequence)
        {
            held = _lastHash;
        }

        if (sequence > 0 && held == null)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "the previous own entry is not held; its link is unknown");
        }

        byte[] previous = sequence == 0 ? new byte[EntryCodec.LinkSize] : EntryHash.LinkOf(held!);
        return EntryCodec.EncodeHeader(kind, sealing, _identity.Id, sequence, time, previous, hint);
    }

    /// <summary>Signs and stores the entry whose header came from <see cref="NextHeader"/>.</summary>
    public Entry Append(byte[] header, byte[] body)
    {
        Entry entry = EntryCodec.Sign(_identity, header, body);
        if (entry.Sequence != NextSequence || _resumePending)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "the chain moved since the header was made");
        }

        return Store(entry);
    }

    private Entry Store(Entry entry)
    {
        ChainVerdict verdict = _chains.Accept(entry);
        if (verdict != ChainVerdict.Accepted && verdict != ChainVerdict.Gap)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "own entry refused: " + verdict);
        }

        _appended = true;
        _lastSequence = entry.Sequence;
        _lastHash = _chains.HashOf(_identity.Id, entry.Sequence) ?? EntryHash.Of(entry, _identity.SigningKey);
        return entry;
    }

    /// <summary>Appends an entry whose body needs no sealing.</summary>
    public Entry Commit(EntryKind kind, BodySealing sealing, byte hint, uint time, byte[] body)
    {
        return Append(NextHeader(kind, sealing, hint, time), body);
    }
}
