namespace MeshMessenger.Gateway.Links;

/// <summary>
/// The radio's downlink of entries (and anchor notices) for neighbours, waiting for airtime (docs/gateway.md, "Downlink
/// reaches only direct neighbours"). One queue per (hint, author), served in turn: hints round-robin, and within a hint
/// its authors round-robin, one whole entry per turn. Entries from IP links are written by anyone who makes an
/// identity, and the radio sends about one frame a second or less, so a single first-come queue let one author's flood
/// to a hint fill it and every later entry, a friend's message included, was dropped unseen.
/// Bounds: <see cref="MaxFramesPerQueue"/> per queue and <see cref="MaxFrames"/> in all. When an entry does not fit the
/// total, the author with the most frames waiting (over all hints, the newcomer counted) gives up the newest entry of
/// its longest queue, again until it fits; if that author is the newcomer's own (ties included) the newcomer is
/// refused instead. So a flood costs the flooder, not a short queue. Authors are counted over all hints so that one
/// identity writing to many hints cannot, by keeping each of its queues short, crowd out an author with one entry.
/// An entry's fragments stay together: it is queued, evicted and sent whole, and once its first frame is taken for
/// sending it is never evicted. Thread-safe: entries are added on the ingest writer's thread and taken on the radio loop.
/// </summary>
public sealed class RadioDownlink
{
    /// <summary>Frames waiting in all (the link's queue before per-author queues had the same bound).</summary>
    public const int MaxFrames = 256;

    /// <summary>Frames waiting for one (hint, author): a quarter of the total, so at least four authors share a full queue.</summary>
    public const int MaxFramesPerQueue = 64;

    private readonly object _gate = new();

    // Hints with entries waiting, in turn; each hint's authors with entries waiting, in turn; each queue oldest first.
    private readonly LinkedList<byte> _hints = new();
    private readonly Dictionary<byte, LinkedList<uint>> _authorsOf = [];
    private readonly Dictionary<(byte Hint, uint Author), LinkedList<byte[][]>> _queues = [];
    private readonly Dictionary<(byte Hint, uint Author), int> _queueFrames = [];
    private readonly Dictionary<uint, int> _authorFrames = [];

    // The entry being sent: taken out of its queue, so nothing evicts it before its last fragment is sent.
    private byte[][]? _current;
    private int _currentNext;
    private int _frames;

    /// <summary>Frames waiting, the rest of the entry being sent included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _frames;
            }
        }
    }

    /// <summary>
    /// Queues one entry's frames (all its fragments, in order) for <paramref name="hint"/> from <paramref name="author"/>,
    /// evicting as the class summary says. Returns whether it was queued; <paramref name="dropped"/> is the number of
    /// entries dropped (evicted ones, and this one if refused), for the caller to count.
    /// </summary>
    public bool TryAdd(byte hint, uint author, byte[][] frames, out int dropped)
    {
        ArgumentNullException.ThrowIfNull(frames);
        dropped = 0;
        int n = frames.Length;
        if (n == 0)
        {
            return true;
        }

        lock (_gate)
        {
            var key = (hint, author);
            int own = _queueFrames.GetValueOrDefault(key);
            if (n > MaxFrames || own + n > MaxFramesPerQueue)
            {
                dropped = 1; // this author's queue for the hint is full: its newest entry (this one) goes
                return false;
            }

            while (_frames + n > MaxFrames)
            {
                // The author with the most frames waiting, the newcomer counted; ties go against the newcomer's author.
                uint heaviest = author;
                int most = _authorFrames.GetValueOrDefault(author) + n;
                foreach (KeyValuePair<uint, int> a in _authorFrames)
                {
                    if (a.Value > most)
                    {
                        (heaviest, most) = (a.Key, a.Value);
                    }
                }

                // That author's longest queue, the newcomer's counted with it.
                (byte Hint, uint Author)? longest = null;
                int length = 0;
                foreach (KeyValuePair<(byte Hint, uint Author), int> q in _queueFrames)
                {
                    int queued = q.Key == key ? q.Value + n : q.Value;
                    if (q.Key.Author == heaviest && (queued > length || (queued == length && q.Key == key)))
                    {
                        (longest, length) = (q.Key, queued);
                    }
                }

                if (heaviest == author && (longest is null || longest == key || n >= length))
                {
                    dropped++; // the newcomer is the newest entry of the longest queue
                    return false;
                }

                EvictNewest(longest!.Value);
                dropped++;
            }

            if (!_queues.TryGetValue(key, out LinkedList<byte[][]>? queue))
            {
                queue = new LinkedList<byte[][]>();
                _queues[key] = queue;
                if (!_authorsOf.TryGetValue(hint, out LinkedList<uint>? authors))
                {
                    authors = new LinkedList<uint>();
                    _authorsOf[hint] = authors;
                    _hints.AddLast(hint);
                }

                authors.AddLast(author);
            }

            queue.AddLast(frames);
            _queueFrames[key] = own + n;
            _authorFrames[author] = _authorFrames.GetValueOrDefault(author) + n;
            _frames += n;
            return true;
        }
    }

    /// <summary>
    /// The next frame to send, without taking it: the rest of the entry being sent, else the oldest entry of the next
    /// author in turn of the next hint in turn (which then goes to the back of both turns). Null if nothing waits.
    /// </summary>
    public byte[]? Peek()
    {
        lock (_gate)
        {
            if (_current is null)
            {
                if (_hints.First is not { } hintNode)
                {
                    return null;
                }

                byte hint = hintNode.Value;
                LinkedList<uint> authors = _authorsOf[hint];
                uint author = authors.First!.Value;
                var key = (hint, author);
                LinkedList<byte[][]> queue = _queues[key];
                _current = queue.First!.Value;
                _currentNext = 0;
                queue.RemoveFirst();
                Shrink(key, _current.Length);

                // Next turn: the next hint, and at this hint its next author.
                _hints.RemoveFirst();
                authors.RemoveFirst();
                if (queue.Count > 0)
                {
                    authors.AddLast(author);
                }
                else
                {
                    _queues.Remove(key);
                }

                if (authors.Count > 0)
                {
                    _hints.AddLast(hint);
                }
                else
                {
                    _authorsOf.Remove(hint);
                }
            }

            return _current[_currentNext];
        }
    }

    /// <summary>Takes the frame <see cref="Peek"/> returned: it was sent.</summary>
    public void Sent()
    {
        lock (_gate)
        {
            if (_current is null)
            {
                return;
            }

            _frames--;
            if (++_currentNext == _current.Length)
            {
                _current = null;
            }
        }
    }

    // Removes the newest entry of a queue (never the entry being sent, which is out of every queue).
    private void EvictNewest((byte Hint, uint Author) key)
    {
        LinkedList<byte[][]> queue = _queues[key];
        byte[][] newest = queue.Last!.Value;
        queue.RemoveLast();
        Shrink(key, newest.Length);
        _frames -= newest.Length;
        if (queue.Count == 0)
        {
            _queues.Remove(key);
            LinkedList<uint> authors = _authorsOf[key.Hint];
            authors.Remove(key.Author);
            if (authors.Count == 0)
            {
                _authorsOf.Remove(key.Hint);
                _hints.Remove(key.Hint);
            }
        }
    }

    // Frames leaving a queue (sent entries stay in the total until their last frame is sent, not in any author's share).
    private void Shrink((byte Hint, uint Author) key, int n)
    {
        int left = _queueFrames[key] - n;
        if (left == 0)
        {
            _queueFrames.Remove(key);
        }
        else
        {
            _queueFrames[key] = left;
        }

        int author = _authorFrames[key.Author] - n;
        if (author == 0)
        {
            _authorFrames.Remove(key.Author);
        }
        else
        {
            _authorFrames[key.Author] = author;
        }
    }
}
