using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Tests.Support;
using NBitcoin;

namespace MeshMessenger.Protocol.Tests;

/// <summary>
/// BIP-39 English phrases: the official vectors (tests/vectors/bip), NBitcoin on random entropy, typed errors for
/// what people mistype, and the 24-word phrase as a second form of the backup code.
/// </summary>
public sealed class RecoveryPhraseTests
{
    private static readonly string VectorPath = Path.Combine(AppContext.BaseDirectory, "vectors", "bip", "bip39-english.json");

    [Fact]
    public void Official_english_vectors_encode_parse_and_give_the_seed()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorPath));
        var failures = new List<string>();
        int run = 0;
        int identities = 0;
        foreach (JsonElement v in doc.RootElement.GetProperty("english").EnumerateArray())
        {
            run++;
            byte[] entropy = Convert.FromHexString(v[0].GetString()!);
            string mnemonic = v[1].GetString()!;
            string seed = v[2].GetString()!;

            string made = RecoveryPhrase.FromEntropy(entropy).Text;
            if (made != mnemonic)
            {
                failures.Add($"{v[0]}: encoded as \"{made}\"");
            }

            if (RecoveryPhrase.TryParse(mnemonic, out RecoveryPhrase? parsed, out RecoveryPhraseProblem problem) != RecoveryPhraseError.None)
            {
                failures.Add($"{v[0]}: {problem.Describe()}");
                continue;
            }

            Assert.Equal(entropy, parsed!.ExportEntropy());
            Assert.Equal(mnemonic.Split(' ').Length, parsed.WordCount);
            Assert.Equal(RecoveryPhraseError.None, parsed.TrySeed("TREZOR", out byte[]? derived));
            if (Convert.ToHexStringLower(derived!) != seed)
            {
                failures.Add($"{v[0]}: seed {Convert.ToHexStringLower(derived!)}");
            }

            if (parsed.IsIdentity)
            {
                identities++;
                Assert.Equal(entropy, parsed.ToIdentity()!.ExportRootSecret());
            }
            else
            {
                Assert.Null(parsed.ToIdentity());
            }
        }

        Assert.Equal(24, run);
        Assert.Equal(8, identities);
        Assert.Empty(failures);
    }

    [Fact]
    public void The_wordlist_is_the_bip39_english_file()
    {
        // SHA-256 of bip-0039/english.txt (2,048 lines, each ending in a line feed).
        var words = new string[2048];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = RecoveryPhrase.EnglishWord(i);
            Assert.Equal(i, RecoveryPhrase.IndexOfWord(words[i]));
            Assert.Equal(Wordlist.English.GetWordAtIndex(i), words[i]);
        }

        byte[] file = Encoding.ASCII.GetBytes(string.Join("\n", words) + "\n");
        Assert.Equal("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda", Convert.ToHexStringLower(SHA256.HashData(file)));
        Assert.Equal(-1, RecoveryPhrase.IndexOfWord("aaaa"));
        Assert.Equal(-1, RecoveryPhrase.IndexOfWord("zzzz"));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecoveryPhrase.EnglishWord(2048));
    }

    [Fact]
    public void Agrees_with_NBitcoin_on_random_entropy_of_every_size_and_passphrases()
    {
        var rng = new Random(15);
        string[] passphrases = ["", "TREZOR", "correct horse battery staple", "~!@#$%^&*()_+ 0123456789"];
        for (int i = 0; i < 40; i++)
        {
            byte[] entropy = new byte[16 + 4 * (i % 5)];
            rng.NextBytes(entropy);
            var reference = new Mnemonic(Wordlist.English, entropy);
            RecoveryPhrase ours = RecoveryPhrase.FromEntropy(entropy);
            Assert.Equal(reference.ToString(), ours.Text);

            Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(reference.ToString(), out RecoveryPhrase? parsed, out _));
            Assert.Equal(entropy, parsed!.ExportEntropy());

            string passphrase = passphrases[i % passphrases.Length];
            Assert.Equal(RecoveryPhraseError.None, ours.TrySeed(passphrase, out byte[]? seed));
            Assert.Equal(reference.DeriveSeed(passphrase), seed);
        }
    }

    [Fact]
    public void Identity_root_is_the_entropy_of_a_24_word_phrase()
    {
        NodeIdentity a = Identities.Fixed(7);
        RecoveryPhrase phrase = RecoveryPhrase.FromIdentity(a);
        Assert.Equal(24, phrase.WordCount);
        Assert.True(phrase.IsIdentity);
        Assert.Equal(a.ExportRootSecret(), phrase.ExportEntropy());
        Assert.Equal(new Mnemonic(Wordlist.English, a.ExportRootSecret()).ToString(), phrase.Text);
        Assert.Equal(a.SigningKey, phrase.ToIdentity()!.SigningKey);
        Assert.Equal(a.AgreementKey, phrase.ToIdentity()!.AgreementKey);
    }

    [Fact]
    public void Case_and_whitespace_are_normalised()
    {
        RecoveryPhrase phrase = RecoveryPhrase.FromIdentity(Identities.Fixed(3));
        string messy = "  " + string.Join(" \t\r\n ", phrase.Text.ToUpperInvariant().Split(' ')) + "\n";
        Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(messy, out RecoveryPhrase? parsed, out _));
        Assert.Equal(phrase.Text, parsed!.Text);
        Assert.Equal(phrase.ExportEntropy(), parsed.ExportEntropy());
    }

    [Fact]
    public void Unknown_word_is_named_with_its_position()
    {
        string[] words = RecoveryPhrase.FromIdentity(Identities.Fixed(3)).Text.Split(' ');
        words[16] = "Bitcoins";
        Assert.Equal(RecoveryPhraseError.UnknownWord, RecoveryPhrase.TryParse(string.Join(' ', words), out RecoveryPhrase? phrase, out RecoveryPhraseProblem problem));
        Assert.Null(phrase);
        Assert.Equal(17, problem.Position);
        Assert.Equal("bitcoins", problem.Word);
        Assert.Contains("word 17 (\"bitcoins\")", problem.Describe());

        // A word with a non-ASCII letter is just an unknown word.
        words[16] = "abandoné";
        Assert.Equal(RecoveryPhraseError.UnknownWord, RecoveryPhrase.TryParse(string.Join(' ', words), out _, out problem));
        Assert.Equal(17, problem.Position);
    }

    [Fact]
    public void Wrong_word_counts_and_empty_text_are_refused()
    {
        string[] words = RecoveryPhrase.FromIdentity(Identities.Fixed(3)).Text.Split(' ');
        foreach (int count in new[] { 1, 11, 13, 23, 25, 100 })
        {
            string text = string.Join(' ', Enumerable.Range(0, count).Select(i => words[i % 24]));
            Assert.Equal(RecoveryPhraseError.WrongWordCount, RecoveryPhrase.TryParse(text, out RecoveryPhrase? phrase, out RecoveryPhraseProblem problem));
            Assert.Null(phrase);
            Assert.Equal(count, problem.Position);
        }

        Assert.Equal(RecoveryPhraseError.Empty, RecoveryPhrase.TryParse(" \n\t ", out _, out _));
        Assert.Equal(RecoveryPhraseError.Empty, RecoveryPhrase.TryParse(null, out _, out _));
    }

    [Fact]
    public void Every_checksum_bit_is_checked_for_every_size()
    {
        // BIP-39: the last word's low CS = ENT / 32 bits are the checksum; flipping any one must be refused.
        var rng = new Random(8);
        for (int bytes = 16; bytes <= 32; bytes += 4)
        {
            byte[] entropy = new byte[bytes];
            rng.NextBytes(entropy);
            string[] words = RecoveryPhrase.FromEntropy(entropy).Text.Split(' ');
            int last = RecoveryPhrase.IndexOfWord(words[^1]);
            for (int bit = 0; bit < bytes / 4; bit++)
            {
                string[] changed = (string[])words.Clone();
                changed[^1] = RecoveryPhrase.EnglishWord(last ^ (1 << bit));
                Assert.Equal(RecoveryPhraseError.BadChecksum, RecoveryPhrase.TryParse(string.Join(' ', changed), out _, out _));
            }
        }
    }

    [Fact]
    public void Swapped_or_substituted_words_fail_the_checksum_most_of_the_time()
    {
        // 24 words carry 8 checksum bits, so a valid-word typo slips through with odds of 1 in 256.
        var rng = new Random(39);
        int caught = 0;
        const int Trials = 2000;
        for (int i = 0; i < Trials; i++)
        {
            byte[] root = new byte[32];
            rng.NextBytes(root);
            string[] words = RecoveryPhrase.FromEntropy(root).Text.Split(' ');
            words[rng.Next(24)] = RecoveryPhrase.EnglishWord(rng.Next(2048));
            RecoveryPhraseError error = RecoveryPhrase.TryParse(string.Join(' ', words), out RecoveryPhrase? phrase, out _);
            if (error == RecoveryPhraseError.BadChecksum)
            {
                caught++;
                Assert.Null(phrase);
            }
            else
            {
                Assert.Equal(RecoveryPhraseError.None, error);
            }
        }

        Assert.InRange(caught, Trials * 240 / 256, Trials);
    }

    [Fact]
    public void Anvils_12_word_dev_mnemonic_parses_as_a_wallet_phrase_but_not_an_identity()
    {
        const string Anvil = "test test test test test test test test test test test junk";
        Assert.Equal(RecoveryPhraseError.None, RecoveryPhrase.TryParse(Anvil, out RecoveryPhrase? phrase, out _));
        Assert.Equal(12, phrase!.WordCount);
        Assert.False(phrase.IsIdentity);
        Assert.Null(phrase.ToIdentity());
        Assert.Equal(RecoveryPhraseError.None, phrase.TrySeed("", out byte[]? seed));
        Assert.Equal(new Mnemonic(Anvil, Wordlist.English).DeriveSeed(""), seed);
        Assert.Equal(ProtocolError.InvalidField, BackupCode.TryRestore(Anvil, out NodeIdentity? identity));
        Assert.Null(identity);
    }

    [Fact]
    public void Non_ascii_passphrases_are_refused_because_the_device_cannot_normalise_them()
    {
        RecoveryPhrase phrase = RecoveryPhrase.FromIdentity(Identities.Fixed(1));
        Assert.Equal(RecoveryPhraseError.PassphraseNotAscii, phrase.TrySeed("pässword", out byte[]? seed));
        Assert.Null(seed);
        Assert.Contains("NFKD", new RecoveryPhraseProblem(RecoveryPhraseError.PassphraseNotAscii, 0, null).Describe());
    }

    [Fact]
    public void Backup_code_restores_from_the_phrase_and_from_old_codes()
    {
        NodeIdentity a = Identities.Fixed(9);
        string phrase = RecoveryPhrase.FromIdentity(a).Text;

        Assert.Equal(ProtocolError.None, BackupCode.TryRestore(phrase, out NodeIdentity? fromPhrase));
        Assert.Equal(ProtocolError.None, BackupCode.TryRestore(BackupCode.Create(a), out NodeIdentity? fromCode));
        Assert.Equal(a.SigningKey, fromPhrase!.SigningKey);
        Assert.Equal(a.SigningKey, fromCode!.SigningKey);
        Assert.Equal(ProtocolError.None, BackupCode.TryRestore("\n " + phrase.ToUpperInvariant() + " \n", out _));

        string[] words = phrase.Split(' ');
        (words[0], words[1]) = (words[1], words[0]);
        Assert.True(words[0] != words[1]);
        ProtocolError swapped = BackupCode.TryRestore(string.Join(' ', words), out NodeIdentity? wrong);
        Assert.Equal(ProtocolError.BadChecksum, swapped);
        Assert.Null(wrong);

        words = phrase.Split(' ');
        words[5] = "notaword";
        Assert.Equal(ProtocolError.InvalidField, BackupCode.TryRestore(string.Join(' ', words), out _));
        Assert.Equal(ProtocolError.InvalidField, BackupCode.TryRestore(string.Join(' ', phrase.Split(' ')[..23]), out _));
    }
}
