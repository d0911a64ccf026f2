using System;
using MeshMessenger.Crypto;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Identity;

/// <summary>
/// A BIP-39 mnemonic with the English wordlist. An identity's 32-byte root secret is the 256-bit entropy of a
/// 24-word phrase; the same phrase gives the wallet seed (<see cref="TrySeed"/>). Phrases of 12 to 21 words
/// (128 to 224 bits) also parse, for restoring a wallet someone already has, but only 24 words are an identity.
/// </summary>
public sealed class RecoveryPhrase
{
    /// <summary>Words of a phrase that carries an identity root (256 bits).</summary>
    public const int IdentityWordCount = 24;

    /// <summary>Size of the wallet seed (BIP-39: 512 bits).</summary>
    public const int SeedSize = 64;

    // BIP-39 "From mnemonic to seed": PBKDF2 with HMAC-SHA512, 2048 iterations, salt "mnemonic" + passphrase.
    private const int SeedIterations = 2048;
    private const string SaltPrefix = "mnemonic";

    private readonly byte[] _entropy;

    private RecoveryPhrase(byte[] entropy, string text)
    {
        _entropy = entropy;
        Text = text;
    }

    /// <summary>The phrase in its canonical form: lower-case words separated by one space.</summary>
    public string Text { get; }

    /// <summary>Number of words (12, 15, 18, 21 or 24).</summary>
    public int WordCount => (_entropy.Length * 8 + _entropy.Length / 4) / 11;

    /// <summary>True when the phrase is 24 words, so its entropy is an identity root (<see cref="ToIdentity"/>).</summary>
    public bool IsIdentity => _entropy.Length == NodeIdentity.RootSecretSize;

    /// <summary>The phrase of an identity: its root secret as 256 bits of BIP-39 entropy.</summary>
    public static RecoveryPhrase FromIdentity(NodeIdentity identity)
    {
        byte[] root = identity.ExportRootSecret();
        RecoveryPhrase phrase = FromEntropy(root);
        CryptoBytes.Wipe(root, 0, root.Length);
        return phrase;
    }

    /// <summary>
    /// The phrase of 16, 20, 24, 28 or 32 bytes of entropy (BIP-39 "Generating the mnemonic": ENT = 128 to 256 bits
    /// in steps of 32; CS = ENT / 32 bits of SHA-256(entropy) appended; each 11 bits index a word).
    /// </summary>
    public static RecoveryPhrase FromEntropy(byte[] entropy)
    {
        if (entropy == null || entropy.Length < 16 || entropy.Length > 32 || entropy.Length % 4 != 0)
        {
            throw new ArgumentException("BIP-39 entropy is 16, 20, 24, 28 or 32 bytes", nameof(entropy));
        }

        var copy = new byte[entropy.Length];
        Array.Copy(entropy, copy, entropy.Length);

        // entropy || first byte of its SHA-256; only the first CS <= 8 bits of that byte are read.
        var bits = new byte[entropy.Length + 1];
        Array.Copy(entropy, bits, entropy.Length);
        bits[entropy.Length] = ChecksumByte(entropy);
        int words = (entropy.Length * 8 + entropy.Length / 4) / 11;
        string[] list = Bip39EnglishWordList.Words;
        string text = string.Empty;
        for (int i = 0; i < words; i++)
        {
            text += (i == 0 ? string.Empty : " ") + list[ReadIndex(bits, i)];
        }

        CryptoBytes.Wipe(bits, 0, bits.Length);
        return new RecoveryPhrase(copy, text);
    }

    /// <summary>
    /// Parses a phrase typed or pasted by a person; never throws. Case does not matter and words may be separated
    /// by any run of spaces, tabs or line breaks. <paramref name="problem"/> names the first unknown word and its position.
    /// </summary>
    public static RecoveryPhraseError TryParse(string? text, out RecoveryPhrase? phrase, out RecoveryPhraseProblem problem)
    {
        phrase = null;
        string[]? tokens = Tokens(text == null ? string.Empty : text, IdentityWordCount);
        int count = tokens == null ? IdentityWordCount + 1 : tokens.Length;
        if (count == 0)
        {
            problem = new RecoveryPhraseProblem(RecoveryPhraseError.Empty, 0, null);
            return problem.Error;
        }

        if (tokens == null || count < 12 || count % 3 != 0)
        {
            problem = new RecoveryPhraseProblem(RecoveryPhraseError.WrongWordCount, tokens == null ? CountTokens(text!) : count, null);
            return problem.Error;
        }

        // BIP-39: MS = (ENT + CS) / 11 words with CS = ENT / 32, so ENT = 32 * MS / 3 bits.
        int entropyBytes = count * 4 / 3;
        var bits = new byte[entropyBytes + 1];
        for (int i = 0; i < count; i++)
        {
            int index = IndexOfWord(tokens[i]);
            if (index < 0)
            {
                CryptoBytes.Wipe(bits, 0, bits.Length);
                problem = new RecoveryPhraseProblem(RecoveryPhraseError.UnknownWord, i + 1, tokens[i]);
                return problem.Error;
            }

            WriteIndex(bits, i, index);
        }

        var entropy = new byte[entropyBytes];
        Array.Copy(bits, entropy, entropyBytes);
        int checksumBits = entropyBytes / 4;
        int mask = (0xFF << (8 - checksumBits)) & 0xFF;
        bool matches = ((bits[entropyBytes] ^ ChecksumByte(entropy)) & mask) == 0;
        CryptoBytes.Wipe(bits, 0, bits.Length);
        if (!matches)
        {
            CryptoBytes.Wipe(entropy, 0, entropy.Length);
            problem = new RecoveryPhraseProblem(RecoveryPhraseError.BadChecksum, 0, null);
            return problem.Error;
        }

        string canonical = string.Empty;
        for (int i = 0; i < count; i++)
        {
            canonical += (i == 0 ? string.Empty : " ") + tokens[i];
        }

        phrase = new RecoveryPhrase(entropy, canonical);
        problem = RecoveryPhraseProblem.NoProblem;
        return RecoveryPhraseError.None;
    }

    /// <summary>The word at an 11-bit index of the BIP-39 English list (0 to 2047), for lists and autocompletion.</summary>
    public static string EnglishWord(int index)
    {
        if (index < 0 || index >= Bip39EnglishWordList.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        return Bip39EnglishWordList.Words[index];
    }

    /// <summary>The index of a lower-case word in the BIP-39 English list, or -1.</summary>
    public static int IndexOfWord(string word)
    {
        // The list is sorted (BIP-39 wordlist rule), so a binary search in ordinal order finds it.
        string[] list = Bip39EnglishWordList.Words;
        int low = 0;
        int high = list.Length - 1;
        while (low <= high)
        {
            int mid = (low + high) / 2;
            int c = CompareOrdinal(list[mid], word);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>A copy of the entropy (for a 24-word phrase, the identity's root secret).</summary>
    public byte[] ExportEntropy()
    {
        var copy = new byte[_entropy.Length];
        Array.Copy(_entropy, copy, _entropy.Length);
        return copy;
    }

    /// <summary>The identity whose root secret is this phrase's entropy, or null unless the phrase has 24 words.</summary>
    public NodeIdentity? ToIdentity()
    {
        return IsIdentity ? NodeIdentity.FromRootSecret(_entropy) : null;
    }

    /// <summary>
    /// The 64-byte BIP-39 wallet seed: PBKDF2-HMAC-SHA512(NFKD(mnemonic), "mnemonic" + NFKD(passphrase), 2048, 64)
    /// (BIP-39 "From mnemonic to seed"; PBKDF2 per RFC 8018 §5.2). The English words are ASCII, so NFKD leaves the
    /// mnemonic unchanged; a passphrase outside ASCII is refused (<see cref="RecoveryPhraseError.PassphraseNotAscii"/>)
    /// because the device has no Unicode normalisation tables. Use "" for no passphrase.
    /// </summary>
    public RecoveryPhraseError TrySeed(string passphrase, out byte[]? seed)
    {
        seed = null;
        if (passphrase == null)
        {
            passphrase = string.Empty;
        }

        for (int i = 0; i < passphrase.Length; i++)
        {
            if (passphrase[i] > 0x7F)
            {
                return RecoveryPhraseError.PassphraseNotAscii;
            }
        }

        byte[] password = Utf8Text.GetBytes(Text);
        byte[] salt = Utf8Text.GetBytes(SaltPrefix + passphrase);
        seed = new byte[SeedSize];
        Pbkdf2HmacSha512.DeriveKey(password, 0, password.Length, salt, 0, salt.Length, SeedIterations, seed, 0, SeedSize);
        CryptoBytes.Wipe(password, 0, password.Length);
        CryptoBytes.Wipe(salt, 0, salt.Length);
        return RecoveryPhraseError.None;
    }

    private static byte ChecksumByte(byte[] entropy)
    {
        var digest = new byte[Sha256.HashSize];
        Sha256.Hash(entropy, 0, entropy.Length, digest, 0);
        byte first = digest[0];
        CryptoBytes.Wipe(digest, 0, digest.Length);
        return first;
    }

    // Word i is the 11 bits starting at bit 11 * i, most significant bit first.
    private static int ReadIndex(byte[] bits, int word)
    {
        int value = 0;
        for (int b = 0; b < 11; b++)
        {
            int bit = word * 11 + b;
            value = (value << 1) | ((bits[bit >> 3] >> (7 - (bit & 7))) & 1);
        }

        return value;
    }

    private static void WriteIndex(byte[] bits, int word, int index)
    {
        for (int b = 0; b < 11; b++)
        {
            int bit = word * 11 + b;
            if (((index >> (10 - b)) & 1) != 0)
            {
                bits[bit >> 3] |= (byte)(0x80 >> (bit & 7));
            }
        }
    }

    private static bool IsSeparator(char c)
    {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\u00A0' || c == '\u3000';
    }

    private static int CountTokens(string text)
    {
        int count = 0;
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            bool separator = IsSeparator(text[i]);
            if (!separator && !inWord)
            {
                count++;
            }

            inWord = !separator;
        }

        return count;
    }

    // The words, lower-cased (ASCII letters only; anything else stays and so fails the lookup), or null when
    // there are more than max of them, so a huge paste allocates nothing.
    private static string[]? Tokens(string text, int max)
    {
        int count = CountTokens(text);
        if (count > max)
        {
            return null;
        }

        var tokens = new string[count];
        int t = 0;
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool separator = i == text.Length || IsSeparator(text[i]);
            if (!separator && start < 0)
            {
                start = i;
            }
            else if (separator && start >= 0)
            {
                var chars = new char[i - start];
                for (int k = 0; k < chars.Length; k++)
                {
                    char c = text[start + k];
                    chars[k] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
                }

                tokens[t++] = new string(chars);
                start = -1;
            }
        }

        return tokens;
    }

    private static int CompareOrdinal(string a, string b)
    {
        int n = a.Length < b.Length ? a.Length : b.Length;
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return a[i] - b[i];
            }
        }

        return a.Length - b.Length;
    }
}
