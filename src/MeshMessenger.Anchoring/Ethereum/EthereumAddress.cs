using Nethereum.Util;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>A 20-byte account address: the last 20 bytes of keccak256 of the 64-byte public key (X‖Y), shown with the EIP-55 checksum (both through Nethereum).</summary>
public sealed class EthereumAddress : IEquatable<EthereumAddress>
{
    private readonly byte[] _bytes;

    private EthereumAddress(byte[] bytes) => _bytes = bytes;

    /// <summary>The 20 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The address of an uncompressed public key (65 bytes with the 0x04 prefix, or 64 without).</summary>
    public static EthereumAddress FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        ReadOnlySpan<byte> xy = publicKey.Length == 65 && publicKey[0] == 0x04 ? publicKey[1..] : publicKey;
        if (xy.Length != 64)
        {
            throw new ArgumentException("an uncompressed secp256k1 public key is 64 bytes (X‖Y) or 65 with the 0x04 prefix", nameof(publicKey));
        }

        return new EthereumAddress(Keccak256.Hash(xy)[12..]);
    }

    /// <summary>
    /// Parses "0x" + 40 hex digits. All-lower and all-upper forms carry no checksum and are accepted; a
    /// mixed-case form must match its EIP-55 checksum, which catches most typing errors.
    /// </summary>
    public static bool TryParse(string text, out EthereumAddress? address, out string? error)
    {
        address = null;
        error = null;
        if (text.Length != 42 || !text.StartsWith("0x", StringComparison.Ordinal) || !text[2..].All(Uri.IsHexDigit))
        {
            error = "an address is 0x followed by 40 hex digits";
            return false;
        }

        string hex = text[2..];
        var candidate = new EthereumAddress(Convert.FromHexString(hex));
        bool mixed = hex.Any(char.IsUpper) && hex.Any(char.IsLower);
        if (mixed && candidate.ToString() != text)
        {
            error = $"the EIP-55 checksum does not match (expected {candidate})";
            return false;
        }

        address = candidate;
        return true;
    }

    /// <summary>EIP-55 (Nethereum's <see cref="AddressUtil"/>): keccak256 of the lowercase hex; the i-th letter is upper case if hash nibble i is 8 or more.</summary>
    public override string ToString() => AddressUtil.Current.ConvertToChecksumAddress(Convert.ToHexStringLower(_bytes));

    /// <inheritdoc />
    public bool Equals(EthereumAddress? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EthereumAddress);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);
}
