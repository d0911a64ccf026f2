namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// Counter-based random draws for the channel: a hash of what a draw is about instead of the next step of a shared
/// generator, so a draw does not depend on the order events ask for it (SplitMix64's finaliser, Steele, Lea and
/// Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
/// </summary>
internal static class SplitMix
{
    /// <summary>Mixes 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits of a hash.</summary>
    public static double Unit(ulong h) => (h >> 11) * (1.0 / (1UL << 53));
}
