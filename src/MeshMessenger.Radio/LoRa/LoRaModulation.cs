using System;

namespace MeshMessenger.Radio.LoRa;

/// <summary>
/// LoRa modulation and packet settings: spreading factor, bandwidth, coding rate, preamble, header mode,
/// CRC. Low-data-rate optimisation follows the SX1262 datasheet rule (§6.1.1.4): on when a symbol lasts
/// 16.38 ms or more (SF11 and SF12 at 125 kHz).
/// </summary>
public sealed class LoRaModulation
{
    /// <summary>Creates settings; throws on values no SX126x/SX127x accepts.</summary>
    public LoRaModulation(int spreadingFactor, int bandwidthHz, int codingRateDenominator, int preambleSymbols, bool explicitHeader, bool crcOn)
    {
        if (spreadingFactor < 5 || spreadingFactor > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(spreadingFactor), "SF is 5..12");
        }

        if (bandwidthHz < 7800 || bandwidthHz > 500000)
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidthHz), "bandwidth is 7.8..500 kHz");
        }

        if (codingRateDenominator < 5 || codingRateDenominator > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(codingRateDenominator), "coding rate is 4/5..4/8");
        }

        if (preambleSymbols < 6 || preambleSymbols > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(preambleSymbols), "preamble is 6..65535 symbols");
        }

        SpreadingFactor = spreadingFactor;
        BandwidthHz = bandwidthHz;
        CodingRateDenominator = codingRateDenominator;
        PreambleSymbols = preambleSymbols;
        ExplicitHeader = explicitHeader;
        CrcOn = crcOn;
    }

    /// <summary>Spreading factor, 5..12.</summary>
    public int SpreadingFactor { get; }

    /// <summary>Bandwidth in Hz (125000, 250000, 500000, ...).</summary>
    public int BandwidthHz { get; }

    /// <summary>Coding rate 4/x: 5..8.</summary>
    public int CodingRateDenominator { get; }

    /// <summary>Programmed preamble length in symbols (the chip adds 4.25).</summary>
    public int PreambleSymbols { get; }

    /// <summary>Explicit header (length, coding rate and CRC flag sent in the header).</summary>
    public bool ExplicitHeader { get; }

    /// <summary>Payload CRC.</summary>
    public bool CrcOn { get; }

    /// <summary>Symbol duration in microseconds: 2^SF / BW.</summary>
    public double SymbolMicroseconds => (1 << SpreadingFactor) * 1000000.0 / BandwidthHz;

    /// <summary>Low-data-rate optimisation: mandated for symbols of 16.38 ms or more.</summary>
    public bool LowDataRateOptimize => SymbolMicroseconds >= 16380.0;

    /// <summary>
    /// SNR below which the demodulator loses the signal: -2.5 dB per SF step from -5 dB at SF6 to -20 dB at
    /// SF12 (SX1276 datasheet table 13, SX1262 datasheet table 6-1 note).
    /// </summary>
    public double DemodulationFloorDb => -5.0 - 2.5 * (SpreadingFactor - 6);
}
