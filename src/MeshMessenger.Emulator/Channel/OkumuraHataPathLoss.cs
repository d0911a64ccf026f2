namespace MeshMessenger.Emulator.Channel;

/// <summary>
/// Okumura-Hata (Hata, IEEE Trans. Veh. Tech. VT-29(3), 1980; the formulas as in ITU-R P.529):
/// urban L = 69.55 + 26.16·log f − 13.82·log hb − a(hm) + (44.9 − 6.55·log hb)·log d, with
/// a(hm) = (1.1·log f − 0.7)·hm − (1.56·log f − 0.8) for small and medium cities; suburban
/// L − 2·(log(f/28))² − 5.4; rural (open) L − 4.78·(log f)² + 18.33·log f − 40.94; f in MHz, d in km.
/// Limits: fitted for 150-1500 MHz, base heights 30-200 m and 1-20 km; mesh nodes a metre or two high
/// and a few hundred metres apart are outside that range (as in Meshtasticator, which offers it too),
/// so treat it as a pessimistic cross-check of log-distance.
/// </summary>
public sealed class OkumuraHataPathLoss(double frequencyMHz, double baseHeightM, double mobileHeightM, OkumuraHataPathLoss.Environment environment) : PathLossModel
{
    /// <summary>Hata's environment corrections.</summary>
    public enum Environment
    {
        /// <summary>Small or medium city (the urban formula).</summary>
        SmallCity,

        /// <summary>Suburban correction.</summary>
        Suburban,

        /// <summary>Open (rural) correction.</summary>
        Rural,
    }

    /// <inheritdoc />
    public override double LossDb(double distanceM)
    {
        double f = Math.Log10(frequencyMHz);
        double hb = Math.Log10(Math.Max(baseHeightM, 1));
        double a = ((1.1 * f) - 0.7) * mobileHeightM - ((1.56 * f) - 0.8);
        double d = Math.Log10(Math.Max(distanceM, 10) / 1000.0);
        double urban = 69.55 + (26.16 * f) - (13.82 * hb) - a + ((44.9 - (6.55 * hb)) * d);
        return environment switch
        {
            Environment.Suburban => urban - (2 * Math.Pow(Math.Log10(frequencyMHz / 28), 2)) - 5.4,
            Environment.Rural => urban - (4.78 * f * f) + (18.33 * f) - 40.94,
            _ => urban,
        };
    }
}
