namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// What a LoRa chip's channel activity detection (CAD) reports, as listen-before-talk reads it. A scan correlates
/// <see cref="Symbols"/> symbols and takes (symbols + 0.5)·Tsym on the SX126x (SX1262 datasheet §13.4.7 SetCadParams;
/// Meshtastic RadioInterface.cpp computeSlotTimeMsec states the same figure, 2 symbols being
/// RadioLib's default since 6.3.0 after Semtech AN1200.48). So a packet is seen only once it has been on air for a
/// whole scan, and a scan can miss a packet that is there: the miss probability is <see cref="MissAtThreshold"/>
/// at the CAD threshold and falls linearly over <see cref="RampDb"/> to <see cref="MissFloor"/> (an assumption
/// shaped after AN1200.48's detection-against-SNR curves; docs/emulator.md §2 gives the figures and why).
/// </summary>
public sealed class ChannelActivityDetection
{
    private readonly ulong _seed;

    /// <summary>A CAD model; <paramref name="symbolMs"/> is the modulation's symbol time.</summary>
    public ChannelActivityDetection(int symbols, double symbolMs, double missAtThreshold, double missFloor, double rampDb, int seed)
    {
        Symbols = symbols;
        DurationMs = symbols == 0 ? 0 : (symbols + 0.5) * symbolMs;
        MissAtThreshold = missAtThreshold;
        MissFloor = missFloor;
        RampDb = rampDb;
        _seed = unchecked(((ulong)seed * 0xD6E8FEB86659FD93UL) + 0x2545F4914F6CDD1DUL);
    }

    /// <summary>Perfect and instantaneous carrier sense (the emulator's former model, kept for comparison).</summary>
    public static ChannelActivityDetection Ideal { get; } = new(0, 0, 0, 0, 1, 0);

    /// <summary>Symbols per scan (0: instantaneous).</summary>
    public int Symbols { get; }

    /// <summary>How long one scan takes.</summary>
    public double DurationMs { get; }

    /// <summary>Probability a scan misses a packet arriving exactly at the CAD threshold.</summary>
    public double MissAtThreshold { get; }

    /// <summary>Probability a scan misses a strong packet.</summary>
    public double MissFloor { get; }

    /// <summary>dB above the threshold over which the miss probability falls from <see cref="MissAtThreshold"/> to <see cref="MissFloor"/>.</summary>
    public double RampDb { get; }

    /// <summary>Miss probability of a packet <paramref name="marginDb"/> above the CAD threshold.</summary>
    public double MissProbability(double marginDb) =>
        marginDb < 0 ? 1 : Math.Max(MissFloor, MissAtThreshold - ((MissAtThreshold - MissFloor) * marginDb / RampDb));

    /// <summary>
    /// True if a scan by <paramref name="device"/> ending at <paramref name="nowMs"/> misses <paramref name="tx"/>.
    /// The draw is a hash of (device, packet, scan slot): asking again within one scan's time gets the same
    /// verdict, as the chip would give, instead of a fresh chance to miss.
    /// </summary>
    public bool Misses(int device, Transmission tx, long nowMs, double marginDb)
    {
        double p = MissProbability(marginDb);
        if (p <= 0)
        {
            return false;
        }

        long slot = DurationMs > 0 ? (long)(nowMs / DurationMs) : nowMs;
        ulong h = SplitMix.Mix(_seed ^ SplitMix.Mix(((ulong)(uint)device << 32) ^ (uint)tx.Sender ^ SplitMix.Mix((ulong)tx.StartMs ^ ((ulong)slot << 20))));
        return SplitMix.Unit(h) < p;
    }
}
