namespace MeshMessenger.Radio.LoRa;

/// <summary>
/// A regulatory region: band, default frequency, transmit power limit and duty cycle. Figures from
/// Meshtastic's RadioInterface.cpp region table, which follows ETSI EN 300 220 (EU_868 g3 sub-band,
/// 869.4-869.65 MHz, 10 % duty cycle, 27 dBm ERP) and FCC Part 15.247 (US 902-928 MHz).
/// </summary>
public sealed class Region
{
    private Region(string name, long lowHz, long highHz, long defaultHz, int maxPowerDbm, int dutyCyclePercent)
    {
        Name = name;
        LowHz = lowHz;
        HighHz = highHz;
        DefaultFrequencyHz = defaultHz;
        MaxPowerDbm = maxPowerDbm;
        DutyCyclePercent = dutyCyclePercent;
    }

    /// <summary>Region name (Meshtastic's).</summary>
    public string Name { get; }

    /// <summary>Lowest frequency of the band.</summary>
    public long LowHz { get; }

    /// <summary>Highest frequency of the band.</summary>
    public long HighHz { get; }

    /// <summary>Default centre frequency (the LongFast slot).</summary>
    public long DefaultFrequencyHz { get; }

    /// <summary>Highest transmit power.</summary>
    public int MaxPowerDbm { get; }

    /// <summary>Share of each hour a node may transmit, in percent (100 = no limit).</summary>
    public int DutyCyclePercent { get; }

    /// <summary>EU 863-870 MHz, the 869.4-869.65 MHz sub-band: 10 % duty cycle, 27 dBm.</summary>
    public static Region Eu868 => new Region("EU_868", 869400000, 869650000, 869525000, 27, 10);

    /// <summary>US 902-928 MHz: no duty cycle, 30 dBm.</summary>
    public static Region Us915 => new Region("US", 902000000, 928000000, 906875000, 30, 100);

    /// <summary>EU 433 MHz: 10 % duty cycle, 10 dBm.</summary>
    public static Region Eu433 => new Region("EU_433", 433000000, 434000000, 433875000, 10, 10);

    /// <summary>All regions.</summary>
    public static Region[] All()
    {
        return new Region[] { Eu868, Us915, Eu433 };
    }

    /// <summary>A region by name (case-insensitive), or null.</summary>
    public static Region? Find(string name)
    {
        Region[] all = All();
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Name.ToLower() == name.ToLower())
            {
                return all[i];
            }
        }

        return null;
    }
}
