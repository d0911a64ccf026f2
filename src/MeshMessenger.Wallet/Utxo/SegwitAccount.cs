using System;

namespace MeshMessenger.Wallet.Utxo;

/// <summary>
/// A BIP-84 native-segwit (P2WPKH) account at m/84'/coin'/account'/change/index: its private key, compressed public
/// key and bech32 address. <see cref="ToString"/> shows the path and address, never the key.
/// </summary>
public sealed class SegwitAccount
{
    private readonly byte[] _privateKey;
    private readonly byte[] _publicKey;

    internal SegwitAccount(UtxoNetwork network, string path, byte[] publicKey, string address, byte[] privateKey)
    {
        Network = network;
        Path = path;
        _publicKey = publicKey;
        Address = address;
        _privateKey = privateKey;
    }

    /// <summary>The chain the address is for.</summary>
    public UtxoNetwork Network { get; }

    /// <summary>The BIP-32 path, for example m/84'/0'/0'/0/0.</summary>
    public string Path { get; }

    /// <summary>The 33-byte compressed secp256k1 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The bech32 P2WPKH address (BIP-173).</summary>
    public string Address { get; }

    /// <summary>A copy of the 32-byte private key; the caller wipes it when done.</summary>
    public byte[] ExportPrivateKey() => (byte[])_privateKey.Clone();

    /// <summary>The path and address, never the key.</summary>
    public override string ToString() => $"{Path} {Address}";
}
