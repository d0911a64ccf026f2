namespace MeshMessenger.Crypto;

/// <summary>
/// Operation counters of the counting build: the device sources bump them under <c>#if OPERATION_COUNT</c>,
/// which only this project defines. Single-threaded use only (the benches and tests here run one at a time).
/// </summary>
public static class OperationCounters
{
    /// <summary>Calls of FieldElement.Mul (inversions and square roots are made of these and squarings).</summary>
    public static long FieldMultiplications;

    /// <summary>Calls of FieldElement.Square.</summary>
    public static long FieldSquarings;

    /// <summary>Calls of FieldElement.MulSmall (by a constant below 2^20: ten limb products, no cross terms).</summary>
    public static long FieldSmallMultiplications;

    /// <summary>Calls of FieldElement.Add, Sub and Neg (ten limb sums and a carry chain).</summary>
    public static long FieldAdditions;

    /// <summary>Calls of FieldElement.CMov and CSwap (masked, constant-time table scans and ladder swaps).</summary>
    public static long FieldConditionalMoves;

    /// <summary>SHA-512 block compressions (128-byte blocks).</summary>
    public static long Sha512Blocks;

    /// <summary>SHA-256 block compressions (64-byte blocks).</summary>
    public static long Sha256Blocks;

    /// <summary>ChaCha20 keystream blocks (64 bytes).</summary>
    public static long ChaCha20Blocks;

    /// <summary>Poly1305 16-byte blocks.</summary>
    public static long Poly1305Blocks;

    /// <summary>Sets every counter to zero.</summary>
    public static void Reset()
    {
        FieldMultiplications = 0;
        FieldSquarings = 0;
        FieldSmallMultiplications = 0;
        FieldAdditions = 0;
        FieldConditionalMoves = 0;
        Sha512Blocks = 0;
        Sha256Blocks = 0;
        ChaCha20Blocks = 0;
        Poly1305Blocks = 0;
    }
}
