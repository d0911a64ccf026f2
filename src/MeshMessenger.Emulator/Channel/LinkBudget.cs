using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// Received power, noise and the demodulation floor. Noise floor = −174 dBm/Hz + 10·log10(BW) + NF
/// (thermal noise at 290 K); sensitivity = noise floor + the SF's SNR floor (−7.5 dB at SF7 … −20 dB at
/// SF12, SX1276 datasheet table 13), e.g. −131.5 dBm for LongFast with NF 6 dB, Meshtasticator's figure.
/// </summary>
public sealed class LinkBudget(LoRaModulation modulation, double txPowerDbm, double antennaGainDbi, double noiseFigureDb)
{
    /// <summary>Noise floor in dBm.</summary>
    public double NoiseFloorDbm { get; } = -174 + (10 * Math.Log10(modulation.BandwidthHz)) + noiseFigureDb;

    /// <summary>Weakest signal that can be demodulated.</summary>
    public double SensitivityDbm => NoiseFloorDbm + modulation.DemodulationFloorDb;

    /// <summary>Channel activity detection threshold (Meshtasticator: sensitivity − 3 dB).</summary>
    public double CadThresholdDbm => SensitivityDbm - 3;

    /// <summary>Received power for a path loss.</summary>
    public double RssiDbm(double pathLossDb) => txPowerDbm + (2 * antennaGainDbi) - pathLossDb;

    /// <summary>SNR of a received power.</summary>
    public double SnrDb(double rssiDbm) => rssiDbm - NoiseFloorDbm;

    /// <summary>Path loss at which links end.</summary>
    public double MaxPathLossDb => txPowerDbm + (2 * antennaGainDbi) - SensitivityDbm;
}
