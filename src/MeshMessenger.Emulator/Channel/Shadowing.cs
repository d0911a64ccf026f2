namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// Log-normal shadowing per direction of a link: S(a→b) = σ·(√ρ·X(a,b) + √(1 − ρ)·Y(a→b)), with X shared by both
/// directions and Y drawn for each, all standard normal, so each direction has deviation σ and the two directions
/// of a pair are correlated with coefficient ρ (ρ = 1 is the symmetric channel, ρ = 0 two independent draws).
/// Every draw is a hash of (seed, pair, direction), not a step of a shared generator: the value of a link does not
/// depend on the order links are computed in, so moving devices and recomputing a few rows gives the same draws.
/// The <see cref="Symmetric"/> form instead takes one draw per pair from a generator in the order pairs are asked
/// for, which is how the emulator drew links before: with it, former runs are reproduced exactly.
/// </summary>
public sealed class Shadowing
{
    private readonly ulong _seed;
    private readonly double _sigmaDb;
    private readonly double _shared;
    private readonly double _own;
    private readonly Random? _sequential;

    /// <summary>Per-direction shadowing with deviation <paramref name="sigmaDb"/> and direction correlation <paramref name="correlation"/>.</summary>
    public Shadowing(int seed, double sigmaDb, double correlation)
    {
        _seed = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);
        _sigmaDb = sigmaDb;
        _shared = Math.Sqrt(Math.Clamp(correlation, 0, 1));
        _own = Math.Sqrt(1 - Math.Clamp(correlation, 0, 1));
    }

    private Shadowing(Random sequential, double sigmaDb)
    {
        _sequential = sequential;
        _sigmaDb = sigmaDb;
        _shared = 1;
    }

    /// <summary>
    /// Symmetric links, one Box-Muller draw from <paramref name="random"/> per pair in the order pairs are asked
    /// for (a draw is taken even when σ is 0), as the emulator drew them before per-direction shadowing.
    /// Order-dependent: not for recomputing moved devices.
    /// </summary>
    public static Shadowing Symmetric(Random random, double sigmaDb) => new(random, sigmaDb);

    /// <summary>Shadowing of both directions of the pair (<paramref name="a"/>, <paramref name="b"/>), a ≠ b.</summary>
    public void Pair(int a, int b, out double aToB, out double bToA)
    {
        if (_sequential is not null)
        {
            double u1 = 1 - _sequential.NextDouble();
            double u2 = _sequential.NextDouble();
            aToB = bToA = _sigmaDb * (Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            return;
        }

        if (_sigmaDb == 0)
        {
            aToB = bToA = 0;
            return;
        }

        int lo = Math.Min(a, b);
        int hi = Math.Max(a, b);
        ulong key = ((ulong)(uint)lo << 32) | (uint)hi;

        // One Box-Muller draw gives two independent normals: the cosine one for lo→hi, the sine one for hi→lo.
        Normals(key, 1, out double loHi, out double hiLo);
        double shared = 0;
        if (_shared > 0)
        {
            Normals(key, 2, out shared, out _);
        }

        double forward = _sigmaDb * ((_shared * shared) + (_own * loHi));
        double backward = _sigmaDb * ((_shared * shared) + (_own * hiLo));
        (aToB, bToA) = a == lo ? (forward, backward) : (backward, forward);
    }

    private void Normals(ulong key, ulong stream, out double z0, out double z1)
    {
        ulong h1 = SplitMix.Mix(_seed ^ SplitMix.Mix(key ^ (stream * 0xD1B54A32D192ED03UL)));
        ulong h2 = SplitMix.Mix(h1 ^ 0x94D049BB133111EBUL);

        // 53-bit uniforms; u1 in (0, 1] so the logarithm is finite.
        double u1 = ((h1 >> 11) + 1) * (1.0 / (1UL << 53));
        double u2 = SplitMix.Unit(h2);
        double r = Math.Sqrt(-2 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2 * Math.PI * u2);
        z0 = r * cos;
        z1 = r * sin;
    }
}
