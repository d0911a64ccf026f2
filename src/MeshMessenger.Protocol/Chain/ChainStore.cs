using System.Collections;
using MeshMessenger.Protocol.Collections;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Platform;

namespace MeshMessenger.Protocol.Chain;

/// <summary>
/// The gate between untrusted entries and an <see cref="IEntryStore"/>. Verifies each entry's signature
/// under its author's key, then its links to whatever neighbouring entries of that author are held, and
/// stores it only if they match. Replays, forks, broken links and gaps come back as
/// <see cref="ChainVerdict"/>s; forks are also kept as <see cref="ForkEvidence"/>.
/// </summary>
public sealed class ChainStore
{
    /// <summary>Fork evidence kept, oldest dropped first (bounded memory).</summary>
    public const int MaxForkEvidence = 32;

    /// <summary>
    /// Resume entries accepted before the entry they link to was held, kept until it arrives so that its hash is checked
    /// then: a resume entry links over the run it skips, where the check against the entry one above does not reach
    /// (docs/protocol.md §3.3). Best effort, as fork evidence is: in memory only (a restart forgets them) and the last 32
    /// of every author together, so anyone's later resume entries push one out.
    /// </summary>
    public const int MaxUnresolvedResumes = 32;

    private readonly IEntryStore _store;
    private readonly ISignatureVerifier _verifier;
    /// <summary>
    /// Profiles cached by default. At the cap a profile read from a sequence-0 entry is not cached (it is read from
    /// the store again when needed) and a contact card for a new author is refused.
    /// </summary>
    public const int DefaultMaxProfiles = 128;

    private readonly KeyedTable _profiles;
    private readonly ArrayList _forks = new ArrayList();
    private readonly ArrayList _unresolvedResumes = new ArrayList(); // StoredEntry, the oldest first

    /// <summary>Gates <paramref name="store"/>, verifying with the managed Ed25519.</summary>
    public ChainStore(IEntryStore store)
        : this(store, new Ed25519SignatureVerifier())
    {
    }

    /// <summary>Gates <paramref name="store"/> with the given verifier.</summary>
    public ChainStore(IEntryStore store, ISignatureVerifier verifier)
        : this(store, verifier, DefaultMaxProfiles)
    {
    }

    /// <summary>Gates <paramref name="store"/> with the given verifier, caching at most <paramref name="maxProfiles"/> profiles.</summary>
    public ChainStore(IEntryStore store, ISignatureVerifier verifier, int maxProfiles)
    {
        _profiles = new KeyedTable(maxProfiles);
        _store = store;
        _verifier = verifier;
    }

    /// <summary>The most profiles cached.</summary>
    public int MaxProfiles => _profiles.Capacity;

    /// <summary>The underlying store.</summary>
    public IEntryStore Store => _store;

    /// <summary>Forks seen, as <see cref="ForkEvidence"/>.</summary>
    public ArrayList Forks => _forks;

    /// <summary>
    /// The author's profile: from a contact card, or from their sequence-0 entry (later profile entries
    /// update name, wallet, addresses and served chains, never keys: <see cref="Accept"/> refuses one with other keys). Null if unknown.
    /// </summary>
    public Profile? ProfileOf(uint author)
    {
        var known = (Profile?)_profiles.Get(author);
        if (known != null)
        {
            return known;
        }

        StoredEntry? genesis = _store.Get(author, 0);
        if (genesis == null)
        {
            return null;
        }

        Profile? profile = ReadProfile(genesis.Entry);
        if (profile != null)
        {
            _profiles.Set(author, profile); // not cached when full: read again next time
        }

        return profile;
    }

    /// <summary>Learns a key from a verified contact card; refuses one whose id is taken by a different key.</summary>
    public bool AddContact(Profile profile)
    {
        Profile? known = ProfileOf(profile.NodeId);
        if (known != null && !CryptoBytes.ConstantTimeEquals(known.SigningKey, 0, profile.SigningKey, 0, 32))
        {
            return false;
        }

        return _profiles.Set(profile.NodeId, profile);
    }

    /// <summary>Every author whose key is known.</summary>
    public Profile[] KnownProfiles()
    {
        uint[] authors = _store.Authors();
        for (int i = 0; i < authors.Length; i++)
        {
            ProfileOf(authors[i]);
        }

        // Cached profiles (contacts included), then authors whose profile did not fit the cache.
        var list = new ArrayList();
        for (int i = 0; i < _profiles.Count; i++)
        {
            list.Add(_profiles.ValueAt(i));
        }

        for (int i = 0; i < authors.Length; i++)
        {
            if (!_profiles.Contains(authors[i]))
            {
                Profile? uncached = ProfileOf(authors[i]);
                if (uncached != null)
                {
                    list.Add(uncached);
                }
            }
        }

        var result = new Profile[list.Count];
        list.CopyTo(result);
        return result;
    }

    /// <summary>The hash of the held entry at (author, sequence), or null.</summary>
    public byte[]? HashOf(uint author, uint sequence)
    {
        StoredEntry? stored = _store.Get(author, sequence);
        return stored == null ? null : stored.Hash;
    }

    /// <summary>Verifies one entry and stores it if it extends the author's run.</summary>
    public ChainVerdict Accept(Entry entry)
    {
        Profile? key = ProfileOf(entry.Author);
        Profile? introduced = null;
        if (entry.Kind == EntryKind.Profile)
        {
            introduced = ReadProfile(entry);
            if (introduced == null || introduced.NodeId != entry.Author)
            {
                return ChainVerdict.Invalid;
            }

            if (key == null && entry.Sequence == 0)
            {
                key = introduced;
            }
            else if (key != null && !SameKeys(key, introduced))
            {
                // Neither key rotates in version 1 (docs/protocol.md §2.3): a later profile naming another
                // signing or agreement key is refused, whether or not the author's profile is cached.
                return ChainVerdict.Invalid;
            }
        }

        if (key == null)
        {
            return ChainVerdict.UnknownAuthor;
        }

        byte[] hash = EntryHash.Of(entry, key.SigningKey);
        if (!_verifier.Verify(key.SigningKey, hash, entry.Encoded, entry.SignedLength))
        {
            return ChainVerdict.BadSignature;
        }

        StoredEntry? held = _store.Get(entry.Author, entry.Sequence);
        if (held != null)
        {
            if (CryptoBytes.ConstantTimeEquals(held.Hash, 0, hash, 0, EntryHash.Size))
            {
                return ChainVerdict.Duplicate;
            }

            return RecordFork(held.Entry, entry, ChainVerdict.Fork);
        }

        // A resume entry links to the sequence it names, not to the one before it (docs/protocol.md §3.3, §8.3).
        StoredEntry? before = entry.Sequence == 0 ? null : _store.Get(entry.Author, EntryCodec.LinkedSequence(entry));
        if (before != null && !LinksTo(entry, before.Hash))
        {
            return RecordFork(before.Entry, entry, ChainVerdict.BrokenLink);
        }

        StoredEntry? after = entry.Sequence == uint.MaxValue ? null : _store.Get(entry.Author, entry.Sequence + 1);
        if (after != null && EntryCodec.LinkedSequence(after.Entry) == entry.Sequence && !LinksTo(after.Entry, hash))
        {
            return RecordFork(after.Entry, entry, ChainVerdict.BrokenLink);
        }

        // Every remembered resume entry that links here must name this entry's hash (all of them: an author can sign more).
        for (int i = 0; i < _unresolvedResumes.Count; i++)
        {
            var linking = (StoredEntry)_unresolvedResumes[i]!;
            if (linking.Entry.Author == entry.Author && EntryCodec.LinkedSequence(linking.Entry) == entry.Sequence && !LinksTo(linking.Entry, hash))
            {
                return RecordFork(linking.Entry, entry, ChainVerdict.BrokenLink);
            }
        }

        bool unresolved = before == null && entry.Sequence != 0 && EntryCodec.LinkedSequence(entry) != entry.Sequence - 1;
        for (int i = 0; unresolved && i < _unresolvedResumes.Count; i++)
        {
            // Two resume entries naming one sequence with different hashes: both are the author's, and they disagree.
            var other = (StoredEntry)_unresolvedResumes[i]!;
            if (other.Entry.Author == entry.Author && EntryCodec.LinkedSequence(other.Entry) == EntryCodec.LinkedSequence(entry)
                && !CryptoBytes.ConstantTimeEquals(other.Entry.Encoded, EntryCodec.FullLinkOffset(other.Entry), entry.Encoded, EntryCodec.FullLinkOffset(entry), EntryHash.Size))
            {
                return RecordFork(other.Entry, entry, ChainVerdict.BrokenLink);
            }
        }

        uint low;
        uint high;
        bool gap = entry.Sequence != 0 && before == null && _store.TryGetRange(entry.Author, out low, out high) && low < entry.Sequence;
        var stored = new StoredEntry(entry, hash);
        _store.Put(stored);
        ForgetResolvedResumes(entry.Author, entry.Sequence);
        if (unresolved)
        {
            if (_unresolvedResumes.Count == MaxUnresolvedResumes)
            {
                _unresolvedResumes.RemoveAt(0);
            }

            _unresolvedResumes.Add(stored);
        }

        if (introduced != null && (entry.Sequence == 0 || _profiles.Contains(entry.Author)))
        {
            _profiles.Set(entry.Author, introduced);
        }

        return gap ? ChainVerdict.Gap : ChainVerdict.Accepted;
    }

    /// <summary>
    /// Verifies a segment of one or more chains: entries are taken in sequence order, so a consecutive
    /// segment is accepted whole with every link checked. Verdicts come back in the order of <paramref name="entries"/>.
    /// </summary>
    public ChainVerdict[] AcceptSegment(Entry[] entries)
    {
        // Insertion sort of indices by (author, sequence): segments are short and Array.Sort is not in the subset.
        var order = new int[entries.Length];
        for (int i = 0; i < order.Length; i++)
        {
            int j = i;
            while (j > 0 && Before(entries[i], entries[order[j - 1]]))
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = i;
        }

        var verdicts = new ChainVerdict[entries.Length];
        for (int i = 0; i < order.Length; i++)
        {
            verdicts[order[i]] = Accept(entries[order[i]]);
        }

        return verdicts;
    }

    private static bool Before(Entry a, Entry b)
    {
        return a.Author < b.Author || (a.Author == b.Author && a.Sequence < b.Sequence);
    }

    /// <summary>True if <paramref name="next"/> names <paramref name="previousHash"/> as its predecessor; a checkpoint or a resume entry must name all 32 bytes.</summary>
    private static bool LinksTo(Entry next, byte[] previousHash)
    {
        if (!EntryHash.Links(next.Previous, previousHash))
        {
            return false;
        }

        int full = EntryCodec.FullLinkOffset(next);
        return full < 0 || CryptoBytes.ConstantTimeEquals(next.Encoded, full, previousHash, 0, EntryHash.Size);
    }

    // The entry at sequence is now held and every remembered resume entry linking to it matched: they are resolved.
    private void ForgetResolvedResumes(uint author, uint sequence)
    {
        for (int i = _unresolvedResumes.Count - 1; i >= 0; i--)
        {
            var r = (StoredEntry)_unresolvedResumes[i]!;
            if (r.Entry.Author == author && EntryCodec.LinkedSequence(r.Entry) == sequence)
            {
                _unresolvedResumes.RemoveAt(i);
            }
        }
    }

    private ChainVerdict RecordFork(Entry held, Entry conflicting, ChainVerdict verdict)
    {
        if (_forks.Count == MaxForkEvidence)
        {
            _forks.RemoveAt(0);
        }

        _forks.Add(new ForkEvidence(held, conflicting, verdict));
        return verdict;
    }

    private static Profile? ReadProfile(Entry entry)
    {
        if (entry.Kind != EntryKind.Profile)
        {
            return null;
        }

        Profile? profile;
        return Profile.TryDecode(entry.Encoded, entry.BodyOffset, entry.BodyLength, out profile) == ProtocolError.None ? profile : null;
    }

    private static bool SameKeys(Profile a, Profile b)
    {
        return CryptoBytes.ConstantTimeEquals(a.SigningKey, 0, b.SigningKey, 0, Ed25519.PublicKeySize)
            && CryptoBytes.ConstantTimeEquals(a.AgreementKey, 0, b.AgreementKey, 0, X25519.KeySize);
    }
}
