namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// Log-distance path loss, PL(d) = PL(d0) + 10·γ·log10(d / d0), with Meshtasticator's parameters for
/// 868 MHz near the ground (lib/phy.py model 0: PL(40 m) = 127.41 dB, γ = 2.08, from Bor et al.,
/// "Do LoRa low-power wide-area networks scale?", MSWiM 2016).
/// </summary>
public sealed class LogDistancePathLoss(double referenceLossDb = 127.41, double referenceDistanceM = 40, double exponent = 2.08) : PathLossModel
{
    /// <inheritdoc />
    public override double LossDb(double distanceM) =>
        referenceLossDb + (10 * exponent * Math.Log10(Math.Max(distanceM, 1) / referenceDistanceM));
}
