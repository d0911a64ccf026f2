using Nethereum.Util;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>
/// Keccak-256 as Ethereum uses it (Nethereum's <see cref="Sha3Keccack"/>): the original Keccak padding (0x01),
/// not FIPS 202 SHA3-256 (0x06). keccak256("") = c5d24601…a470, while SHA3-256("") = a7ffc6f8…434a.
/// </summary>
public static class Keccak256
{
    /// <summary>The 32-byte digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());
}
