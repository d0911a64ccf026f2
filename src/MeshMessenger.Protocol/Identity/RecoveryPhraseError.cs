namespace MeshMessenger.Protocol.Identity;

/// <summary>Why a recovery phrase or its passphrase was refused.</summary>
public enum RecoveryPhraseError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The text holds no words.</summary>
    Empty,

    /// <summary>BIP-39 phrases have 12, 15, 18, 21 or 24 words (24 for an identity).</summary>
    WrongWordCount,

    /// <summary>A word is not in the BIP-39 English wordlist.</summary>
    UnknownWord,

    /// <summary>Every word is known but the BIP-39 checksum bits do not match (a word mistyped as another, or swapped).</summary>
    BadChecksum,

    /// <summary>
    /// The passphrase has a character outside ASCII. BIP-39 normalises the passphrase with Unicode NFKD; the device
    /// has no normalisation tables, and for ASCII NFKD is the identity, so only ASCII passphrases are taken.
    /// </summary>
    PassphraseNotAscii,
}
