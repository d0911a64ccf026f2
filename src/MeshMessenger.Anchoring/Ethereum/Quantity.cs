using System.Numerics;

namespace MeshMessenger.Anchoring.Ethereum;

/// <summary>Transaction integers: RLP encodes only non-negative scalars (yellow paper, appendix B), and Nethereum does not check.</summary>
internal static class Quantity
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> if any value is negative.</summary>
    public static void RequireNonNegative(params BigInteger[] values)
    {
        foreach (BigInteger value in values)
        {
            if (value.Sign < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(values), value, "RLP integers are not negative");
            }
        }
    }
}
