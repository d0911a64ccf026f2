namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// 3GPP TR 38.901 §7.4.1, Table 7.4.1-1, urban macro (UMa), non-line-of-sight:
/// PL = max(PL_UMa-LOS, PL'_UMa-NLOS) with PL'_UMa-NLOS = 13.54 + 39.08·log10(d3D) + 20·log10(fc) − 0.6·(hUT − 1.5)
/// and PL_UMa-LOS = 28.0 + 22·log10(d3D) + 20·log10(fc) up to the breakpoint d'BP = 4·h'BS·h'UT·fc/c, then
/// 28.0 + 40·log10(d3D) + 20·log10(fc) − 9·log10(d'BP² + (hBS − hUT)²); h' = h − hE with hE = 1 m; fc in GHz,
/// distances and heights in metres. The table's range is hBS = 25 m, 1.5 ≤ hUT ≤ 22.5 m, 10 m ≤ d2D ≤ 5 km; mesh
/// nodes are both ends of the link at a metre or two, so both heights are the node height (outside that range,
/// stated in docs/emulator.md), and distances under 10 m are taken as 10 m.
/// </summary>
public sealed class ThreeGppUrbanMacroPathLoss(double frequencyMHz, double baseHeightM, double userHeightM) : PathLossModel
{
    /// <summary>Effective environment height hE (Table 7.4.1-1 note 1, UMa with hUT &lt; 13 m).</summary>
    private const double EnvironmentHeightM = 1.0;

    /// <inheritdoc />
    public override double LossDb(double distanceM)
    {
        double fcGhz = frequencyMHz / 1000;
        double d2 = Math.Max(distanceM, 10);
        double dh = baseHeightM - userHeightM;
        double d3 = Math.Sqrt((d2 * d2) + (dh * dh));
        double logF = 20 * Math.Log10(fcGhz);

        // Effective heights must stay positive for the breakpoint; nodes at or below hE get a 0.1 m floor.
        double hb = Math.Max(baseHeightM - EnvironmentHeightM, 0.1);
        double hu = Math.Max(userHeightM - EnvironmentHeightM, 0.1);
        double breakpointM = 4 * hb * hu * fcGhz * 1e9 / 299_792_458.0;
        double los = d2 <= breakpointM
            ? 28.0 + (22 * Math.Log10(d3)) + logF
            : 28.0 + (40 * Math.Log10(d3)) + logF - (9 * Math.Log10((breakpointM * breakpointM) + (dh * dh)));
        double nlos = 13.54 + (39.08 * Math.Log10(d3)) + logF - (0.6 * (userHeightM - 1.5));
        return Math.Max(los, nlos);
    }
}
