using System.Collections;

namespace MeshMessenger.Protocol.Sync;

/// <summary>
/// The neighbours a restoring node heard and asked (docs/protocol.md §8.3), by hint: how many entries each one's heads
/// showed, which one is an archive, and how many question frames went to each against the heads frames that came back.
/// <see cref="RestorePlan"/> addresses each round's questions from it. Bounded: <see cref="MaxNeighbours"/> heard, and
/// one question record per hint (256).
/// </summary>
public sealed class RestoreNeighbours
{
    /// <summary>Neighbours remembered at most (by hint) to address questions to.</summary>
    public const int MaxNeighbours = 16;

    private readonly ArrayList _neighbours = new ArrayList(); // boxed byte hints of neighbours heard (their heads, or any frame once an archive was)
    private readonly ArrayList _held = new ArrayList(); // boxed long: entries their heads showed, summed
    private readonly ArrayList _questioned = new ArrayList(); // boxed byte hints of neighbours a round's questions went to, one per hint
    private readonly ArrayList _questionRounds = new ArrayList(); // boxed int: rounds whose questions went to the hint at the same place in _questioned
    private readonly ArrayList _questionFrames = new ArrayList(); // boxed int: question frames those rounds sent it
    private readonly ArrayList _answerFrames = new ArrayList(); // boxed int: heads frames (not questions) heard from it since it was first asked
    private byte _archive; // the hint of the last neighbour whose heads carried the archive flag, or 0

    /// <summary>Neighbours heard.</summary>
    public int Count => _neighbours.Count;

    /// <summary>
    /// The neighbour last heard sending heads flagged as an archive's (§8.1 bit 2), or 0 if none was: the only kind that
    /// confirms a radio node's head (§8.3), so the own head is asked of it by name.
    /// </summary>
    public byte Archive => _archive;

    /// <summary>
    /// The archive once one was heard (it holds every chain it heard), else the heard neighbour whose heads showed the
    /// most entries, or 0 if none was heard (docs/protocol.md §8.3).
    /// </summary>
    public byte Best()
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

    /// <summary>The heard neighbours in turn: the one at <paramref name="turn"/> modulo how many were heard, or 0 while none was.</summary>
    public byte InTurn(int turn)
    {
        return _neighbours.Count == 0 ? (byte)0 : (byte)_neighbours[turn % _neighbours.Count]!;
    }

    /// <summary>
    /// A neighbour's heads were heard (its hint, how many entries its heads say it holds, and whether they carry the
    /// archive flag), so questions can be addressed to it.
    /// </summary>
    public void NoteHeads(byte hint, long entries, bool archive)
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

        Note(hint, entries);
    }

    /// <summary>
    /// A neighbour was heard (its hint, and how many entries its heads say it holds: 0 for a neighbour heard sending any
    /// other frame), so questions can be addressed to it. When <see cref="MaxNeighbours"/> are remembered, one whose heads
    /// showed entries takes the place of the first one that showed none (heard only by its frames, or by heads listing
    /// nothing): in a dense mesh those fill the table
    /// first (and the relay byte is not signed), and must not keep out the neighbours that showed what they hold.
    /// </summary>
    public void Note(byte hint, long entries)
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
}
