namespace MeshMessenger.Protocol.Identity;

/// <summary>What was wrong with a recovery phrase, precise enough to tell the person which word to fix.</summary>
public sealed class RecoveryPhraseProblem
{
    /// <summary>The problem of a phrase that parsed.</summary>
    public static readonly RecoveryPhraseProblem NoProblem = new RecoveryPhraseProblem(RecoveryPhraseError.None, 0, null);

    internal RecoveryPhraseProblem(RecoveryPhraseError error, int position, string? word)
    {
        Error = error;
        Position = position;
        Word = word;
    }

    /// <summary>The kind of problem.</summary>
    public RecoveryPhraseError Error { get; }

    /// <summary>
    /// For <see cref="RecoveryPhraseError.UnknownWord"/> the 1-based position of the word; for
    /// <see cref="RecoveryPhraseError.WrongWordCount"/> the number of words found; otherwise 0.
    /// </summary>
    public int Position { get; }

    /// <summary>For <see cref="RecoveryPhraseError.UnknownWord"/> the word as typed (lower-cased); otherwise null.</summary>
    public string? Word { get; }

    /// <summary>A sentence for people.</summary>
    public string Describe()
    {
        switch (Error)
        {
            case RecoveryPhraseError.None:
                return "the phrase is valid";
            case RecoveryPhraseError.Empty:
                return "the phrase is empty";
            case RecoveryPhraseError.WrongWordCount:
                return "a recovery phrase has 12, 15, 18, 21 or 24 words; this one has " + Position;
            case RecoveryPhraseError.UnknownWord:
                return "word " + Position + " (\"" + Word + "\") is not in the BIP-39 English wordlist";
            case RecoveryPhraseError.BadChecksum:
                return "the words do not match their checksum: one is mistyped as another, or two are swapped";
            default:
                return "the passphrase must be ASCII: the device cannot apply Unicode NFKD normalisation";
        }
    }
}
