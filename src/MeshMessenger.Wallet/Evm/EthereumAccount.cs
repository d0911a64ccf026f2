using MeshMessenger.Anchoring.Ethereum;

namespace MeshMessenger.Wallet.Evm;

/// <summary>
/// An Ethereum account derived at m/44'/60'/0'/0/index: its secp256k1 private key and EIP-55 address.
/// <see cref="ToString"/> shows the path and address, never the key.
/// </summary>
public sealed class EthereumAccount
{
    private readonly byte[] _privateKey;

    internal EthereumAccount(int index, string path, EthereumAddress address, byte[] privateKey)
    {
        Index = index;
        Path = path;
        Address = address;
        _privateKey = privateKey;
    }

    /// <summary>The address index, the last element of the path.</summary>
    public int Index { get; }

    /// <summary>The BIP-32 path, for example m/44'/60'/0'/0/0.</summary>
    public string Path { get; }

    /// <summary>The account's address (EIP-55 in <see cref="EthereumAddress.ToString"/>).</summary>
    public EthereumAddress Address { get; }

    /// <summary>A copy of the 32-byte private key; the caller wipes it when done.</summary>
    public byte[] ExportPrivateKey() => (byte[])_privateKey.Clone();

    /// <summary>The path and address, never the key.</summary>
    public override string ToString() => $"{Path} {Address}";
}
