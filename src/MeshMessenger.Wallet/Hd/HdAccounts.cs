using System;
using MeshMessenger.Anchoring.Ethereum;
using MeshMessenger.Wallet.Evm;
using MeshMessenger.Wallet.Utxo;
using NBitcoin;

namespace MeshMessenger.Wallet.Hd;

/// <summary>
/// The accounts below a BIP-32 master key: BIP-44 Ethereum accounts and BIP-84 native-segwit accounts. Holds the
/// master private key; <see cref="ToString"/> never shows it.
/// </summary>
public sealed class HdAccounts
{
    // BIP-44 "Purpose" and BIP-84 "Purpose"; SLIP-44 coin type 60 is Ethereum.
    private const int Bip44Purpose = 44;
    private const int Bip84Purpose = 84;
    private const int EthereumCoinType = 60;

    // BIP-32 "Key tree": indices from 2^31 are hardened, so plain indices are 0 to 2^31 - 1.
    private const int MaximumIndex = int.MaxValue;

    private readonly ExtKey _master;

    internal HdAccounts(ExtKey master)
    {
        _master = master;
    }

    /// <summary>The extended private key at <paramref name="path"/> (BIP-32 CKDpriv along the path).</summary>
    public ExtKey Derive(KeyPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _master.Derive(path);
    }

    /// <summary>The Ethereum account m/44'/60'/0'/0/<paramref name="index"/> (BIP-44; SLIP-44 coin 60).</summary>
    public EthereumAccount EthereumAccount(int index)
    {
        CheckIndex(index, nameof(index));
        string text = $"m/{Bip44Purpose}'/{EthereumCoinType}'/0'/0/{index}";
        var path = KeyPath.Parse(text);
        Key key = _master.Derive(path).PrivateKey;
        // Ethereum addresses hash the uncompressed public key (Yellow Paper, Appendix F).
        byte[] publicKey = key.PubKey.Decompress().ToBytes();
        return new EthereumAccount(index, text, EthereumAddress.FromPublicKey(publicKey), key.ToBytes());
    }

    /// <summary>
    /// The P2WPKH account m/84'/coin'/<paramref name="account"/>'/<paramref name="change"/>/<paramref name="index"/>
    /// (BIP-84) on <paramref name="network"/>; <paramref name="change"/> is 0 for receiving and 1 for change (BIP-44).
    /// </summary>
    public SegwitAccount SegwitAccount(UtxoNetwork network, int account, int change, int index)
    {
        CheckIndex(account, nameof(account));
        CheckIndex(index, nameof(index));
        if (change != 0 && change != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(change), "change is 0 (receiving) or 1 (change)");
        }

        int coin = SegwitAddress.CoinType(network);
        string text = $"m/{Bip84Purpose}'/{coin}'/{account}'/{change}/{index}";
        var path = KeyPath.Parse(text);
        Key key = _master.Derive(path).PrivateKey;
        byte[] publicKey = key.PubKey.Compress().ToBytes();
        return new SegwitAccount(network, text, publicKey, SegwitAddress.Encode(network, publicKey), key.ToBytes());
    }

    /// <summary>Shows the master key's fingerprint only, never a key.</summary>
    public override string ToString() => $"HdAccounts(master {_master.Neuter().PubKey.GetHDFingerPrint()})";

    private static void CheckIndex(int value, string name)
    {
        if (value < 0 || value > MaximumIndex)
        {
            throw new ArgumentOutOfRangeException(name, "a BIP-32 index is 0 to 2^31 - 1");
        }
    }
}
