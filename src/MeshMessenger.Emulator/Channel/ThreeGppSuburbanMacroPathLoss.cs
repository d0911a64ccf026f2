namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// Suburban macro (SMa), non-line-of-sight, as defined by ITU-R M.2135-1 Table A1-2 for the IMT-Advanced
/// evaluations and carried into 3GPP TR 38.901 Table 7.4.1-1 as the RMa NLOS formula:
/// PL = 161.04 − 7.1·log10(W) + 7.5·log10(h) − (24.37 − 3.7·(h/hBS)²)·log10(hBS) + (43.42 − 3.1·log10(hBS))·(log10(d3D) − 3)
/// + 20·log10(fc) − (3.2·(log10(11.75·hUT))² − 4.97); fc in GHz, metres elsewhere. SMa defaults: street width
/// W = 20 m, building height h = 10 m. Its range is 10 ≤ hBS ≤ 150 m, 1 ≤ hUT ≤ 10 m, 10 m ≤ d ≤ 5 km: the base
/// height is held at its 10 m floor (a node on the ground would put the formula's (h/hBS)² term far outside its
/// fit), which makes this model optimistic for ground-level nodes, as stated in docs/emulator.md.
/// </summary>
public sealed class ThreeGppSuburbanMacroPathLoss(double frequencyMHz, double baseHeightM, double userHeightM, double streetWidthM = 20, double buildingHeightM = 10) : PathLossModel
{
    /// <summary>Lowest base height the formula was fitted for.</summary>
    public const double MinBaseHeightM = 10;

    /// <inheritdoc />
    public override double LossDb(double distanceM)
    {
        double hBs = Math.Max(baseHeightM, MinBaseHeightM);
        double hUt = Math.Clamp(userHeightM, 1, 10);
        double d2 = Math.Max(distanceM, 10);
        double dh = hBs - hUt;
        double d3 = Math.Sqrt((d2 * d2) + (dh * dh));
        double h = buildingHeightM;
        double mobile = 3.2 * Math.Pow(Math.Log10(11.75 * hUt), 2);
        return 161.04
            - (7.1 * Math.Log10(streetWidthM))
            + (7.5 * Math.Log10(h))
            - ((24.37 - (3.7 * (h / hBs) * (h / hBs))) * Math.Log10(hBs))
            + ((43.42 - (3.1 * Math.Log10(hBs))) * (Math.Log10(d3) - 3))
            + (20 * Math.Log10(frequencyMHz / 1000))
            - (mobile - 4.97);
    }
}
