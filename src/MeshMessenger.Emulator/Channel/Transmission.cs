namespace MeshMessenger.Emulator.Channel;

/// <summary>One frame on air.</summary>
public sealed class Transmission(int sender, byte[] bytes, long startMs, long endMs, long criticalStartMs)
{
    /// <summary>Transmitting device.</summary>
    public int Sender { get; } = sender;

    /// <summary>The frame.</summary>
    public byte[] Bytes { get; } = bytes;

    /// <summary>Start of the preamble.</summary>
    public long StartMs { get; } = startMs;

    /// <summary>End of the packet.</summary>
    public long EndMs { get; } = endMs;

    /// <summary>
    /// Start of the part an interferer can destroy: the receiver needs the last 5 preamble symbols to
    /// lock, so overlap before StartMs + (Npreamble − 5)·Tsym is harmless (Meshtasticator check_collision,
    /// after Bor et al. 2016).
    /// </summary>
    public long CriticalStartMs { get; } = criticalStartMs;
}
