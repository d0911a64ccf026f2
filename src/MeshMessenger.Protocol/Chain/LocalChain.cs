using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// The node's own chain, the only one it appends to. It never reuses a sequence number: a node restored
/// from its backup starts with an unknown head and refuses to append until neighbours have given back
/// its chain up to the highest head any of them advertised. This is the lesson of Secure Scuttlebutt,
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
    private byte[]? _advertisedLink;
    private bool _adopted;

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

    /// <summary>True when appending is safe: the node is not restoring (it started the chain, or caught up, or adopted an advertised head).</summary>
    public bool HeadKnown => !_restoring;

    /// <summary>True while a restored node waits for its own chain.</summary>
    public bool Restoring => _restoring;

    /// <summary>The highest own sequence a neighbour advertised while restoring, or -1 if none did.</summary>
    public long AdvertisedHigh => _headAdvertised ? _advertisedHigh : -1;

    /// <summary>The sequence number the next entry will get.</summary>
    public uint NextSequence
    {
        get
        {
            uint low;
            uint high;
            uint next = _chains.Store.TryGetRange(_identity.Id, out low, out high) ? high + 1 : 0;
            if (_adopted && _advertisedHigh + 1 > next)
            {
                next = _advertisedHigh + 1;
            }

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

    /// <summary>Marks the node as restored from backup: appending waits for the chain to come back.</summary>
    public void BeginRestore()
    {
        _restoring = true;
        _headAdvertised = false;
        _advertisedHigh = 0;
    }

    /// <summary>
    /// A neighbour says this identity's chain reaches <paramref name="high"/>, whose hash begins with
    /// <paramref name="link"/>. The highest advertised head wins; between heads of the same height with different
    /// links (a fork) the bytewise smaller link wins, so the outcome does not depend on which neighbour answered
    /// first (docs/protocol.md §8.3).
    /// </summary>
    public void NoteAdvertisedHead(uint high, byte[] link)
    {
        if (!_headAdvertised || high > _advertisedHigh || (high == _advertisedHigh && Smaller(link, _advertisedLink!)))
        {
            _advertisedHigh = high;
            _advertisedLink = link;
        }

        _headAdvertised = true;
    }

    private static bool Smaller(byte[] a, byte[] b)
    {
        int n = a.Length < b.Length ? a.Length : b.Length;
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return a[i] < b[i];
            }
        }

        return a.Length < b.Length;
    }

    /// <summary>
    /// Ends the restore at the highest advertised head without holding every entry before it: the next
    /// entry links to the advertised head link. False if no neighbour advertised this chain.
    /// </summary>
    public bool AdoptAdvertisedHead()
    {
        if (!_restoring || !_headAdvertised)
        {
            return !_restoring;
        }

        _adopted = true;
        _restoring = false;
        return true;
    }

    /// <summary>Ends the restore once the whole chain up to the highest advertised head is held; true if it ended.</summary>
    public bool TryFinishRestore()
    {
        uint low;
        uint high;
        if (_restoring && _headAdvertised && _chains.Store.TryGetRange(_identity.Id, out low, out high) && high >= _advertisedHigh && HoldsAll(high))
        {
            _restoring = false;
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
            throw new ProtocolException(ProtocolError.InvalidField, "the chain head is not known yet (restoring from backup); appending now could reuse a sequence number");
        }

        uint sequence = NextSequence;
        byte[]? held = sequence == 0 ? null : _chains.HashOf(_identity.Id, sequence - 1);
        if (held == null && _appended && _lastSequence + 1 == sequence)
        {
            held = _lastHash;
        }

        byte[] previous = sequence == 0 ? new byte[EntryCodec.LinkSize] : (held != null ? EntryHash.LinkOf(held) : _advertisedLink!);
        return EntryCodec.EncodeHeader(kind, sealing, _identity.Id, sequence, time, previous, hint);
    }

    /// <summary>Signs and stores the entry whose header came from <see cref="NextHeader"/>.</summary>
    public Entry Append(byte[] header, byte[] body)
    {
        Entry entry = EntryCodec.Sign(_identity, header, body);
        if (entry.Sequence != NextSequence)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "the chain moved since the header was made");
        }

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
