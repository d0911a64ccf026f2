using System;
using MeshMessenger.Protocol.Identity;
using NBitcoin;

namespace MeshMessenger.Wallet.Hd;

/// <summary>
/// The BIP-32 seed of a wallet: the 64-byte BIP-39 seed of a recovery phrase and its passphrase. Holds secret bytes;
/// <see cref="ToString"/> never shows them.
/// </summary>
public sealed class WalletSeed
{
    // BIP-32 "Master key generation": a seed byte sequence S of 128 to 512 bits.
    private const int MinimumSize = 16;
    private const int MaximumSize = 64;

    private readonly byte[] _seed;

    private WalletSeed(byte[] seed)
    {
        _seed = seed;
    }

    /// <summary>
    /// The seed of <paramref name="phrase"/> and <paramref name="passphrase"/> (BIP-39 "From mnemonic to seed"), or the
    /// reason it was refused (a passphrase outside ASCII).
    /// </summary>
    public static RecoveryPhraseError TryFromPhrase(RecoveryPhrase phrase, string passphrase, out WalletSeed? seed)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        seed = null;
        RecoveryPhraseError error = phrase.TrySeed(passphrase ?? string.Empty, out byte[]? bytes);
        if (error != RecoveryPhraseError.None || bytes == null)
        {
            return error == RecoveryPhraseError.None ? RecoveryPhraseError.Empty : error;
        }

        seed = new WalletSeed(bytes);
        return RecoveryPhraseError.None;
    }

    /// <summary>A seed given as raw bytes, 16 to 64 of them (BIP-32 "Master key generation"; its test vectors).</summary>
    public static WalletSeed FromBytes(ReadOnlySpan<byte> seed)
    {
        if (seed.Length < MinimumSize || seed.Length > MaximumSize)
        {
            throw new ArgumentException("a BIP-32 seed is 16 to 64 bytes", nameof(seed));
        }

        return new WalletSeed(seed.ToArray());
    }

    /// <summary>The accounts of this seed: the BIP-32 master key m = HMAC-SHA512("Bitcoin seed", S).</summary>
    public HdAccounts ToAccounts() => new(ExtKey.CreateFromSeed(_seed));

    /// <summary>Shows the size only, never the seed.</summary>
    public override string ToString() => $"WalletSeed({_seed.Length} bytes)";
}
