using System;

namespace MeshMessenger.Radio.LoRa;

/// <summary>
/// Time on air of a LoRa packet by Semtech's formula (AN1200.13 "LoRa Modem Designer's Guide" §4; SX1276
/// datasheet §4.1.1.7; the same in RadioLib's getTimeOnAir, which Meshtastic calls):
/// <code>
/// Tsym     = 2^SF / BW
/// Tpream   = (Npreamble + 4.25) · Tsym
/// Npayload = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)
/// ToA      = Tpream + Npayload · Tsym
/// </code>
/// IH = 1 for implicit header, DE = 1 with low-data-rate optimisation, CR + 4 = the coding-rate denominator.
/// SF5 and SF6 follow a different SX126x formula (SX1262 datasheet §6.1.4) and are refused here; no
/// preset uses them.
/// </summary>
public static class TimeOnAir
{
    /// <summary>Time on air in microseconds of a packet with <paramref name="payloadBytes"/> bytes.</summary>
    public static long Microseconds(LoRaModulation m, int payloadBytes)
    {
        int sf = m.SpreadingFactor;
        if (sf < 7)
        {
            throw new ArgumentOutOfRangeException(nameof(m), "time on air is modelled for SF7..SF12");
        }

        int crc = m.CrcOn ? 1 : 0;
        int ih = m.ExplicitHeader ? 0 : 1;
        int de = m.LowDataRateOptimize ? 1 : 0;
        double preamble = m.PreambleSymbols + 4.25;
        int numerator = 8 * payloadBytes - 4 * sf + 28 + 16 * crc - 20 * ih;
        int denominator = 4 * (sf - 2 * de);
        int blocks = numerator <= 0 ? 0 : (numerator + denominator - 1) / denominator;
        double symbols = preamble + 8 + blocks * m.CodingRateDenominator;
        return (long)(symbols * m.SymbolMicroseconds + 0.5);
    }

    /// <summary>Time on air in whole milliseconds, rounded up.</summary>
    public static int Milliseconds(LoRaModulation m, int payloadBytes)
    {
        return (int)((Microseconds(m, payloadBytes) + 999) / 1000);
    }
}
