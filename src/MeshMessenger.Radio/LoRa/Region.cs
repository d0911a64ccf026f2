namespace MeshMessenger.Radio.LoRa;

/// <summary>
/// A regulatory region: band, transmit power limit, duty cycle, and Meshtastic's channel plan. The figures
/// are those of Meshtastic's region table (firmware src/mesh/RadioInterface.cpp, RDEF), which cites the
/// regulations: ETSI EN 300 220 for EU_868 (869.4-869.65 MHz, 10 % duty cycle, 27 dBm), FCC Part 15.247
/// for US (902-928 MHz), ARIB STD-T108 for JP, and so on. Keeping Meshtastic's names and slots means a
/// MeshMessenger radio and a Meshtastic radio on the same preset land on the same frequency.
/// </summary>
public sealed class Region
{
    // Band edges in kHz, not MHz as Meshtastic's table writes them: every edge is a whole number of kHz, so the
    // conversion to Hz is an exact integer product (nanoFramework's mscorlib 1.x has no System.Math to round a
    // double, and a double such as 433.075 is not exact anyway).
    private Region(string name, long lowKHz, long highKHz, int dutyCyclePercent, int maxPowerDbm)
    {
        Name = name;
        LowHz = lowKHz * 1000;
        HighHz = highKHz * 1000;
        DutyCyclePercent = dutyCyclePercent;
        MaxPowerDbm = maxPowerDbm;
    }

    /// <summary>Region name (Meshtastic's).</summary>
    public string Name { get; }

    /// <summary>Lowest frequency of the band.</summary>
    public long LowHz { get; }

    /// <summary>Highest frequency of the band.</summary>
    public long HighHz { get; }

    /// <summary>Default centre frequency: the slot of Meshtastic's default channel "LongFast" at 250 kHz.</summary>
    public long DefaultFrequencyHz => FrequencyHz(250000, "LongFast");

    /// <summary>Highest transmit power.</summary>
    public int MaxPowerDbm { get; }

    /// <summary>Share of each hour a node may transmit, in percent (100 = no limit).</summary>
    public int DutyCyclePercent { get; }

    /// <summary>EU 869.4-869.65 MHz (ETSI EN 300 220 sub-band g3): 10 % duty cycle, 27 dBm; one 250 kHz slot.</summary>
    public static Region Eu868 => new Region("EU_868", 869400, 869650, 10, 27);

    /// <summary>US 902-928 MHz: no duty cycle, 30 dBm; 104 slots of 250 kHz.</summary>
    public static Region Us915 => new Region("US", 902000, 928000, 100, 30);

    /// <summary>EU 433-434 MHz: 10 % duty cycle, 10 dBm.</summary>
    public static Region Eu433 => new Region("EU_433", 433000, 434000, 10, 10);

    /// <summary>Every region, Meshtastic's order.</summary>
    public static Region[] All()
    {
        return new Region[]
        {
            Us915,
            Eu433,
            Eu868,
            new Region("CN", 470000, 510000, 100, 19),
            new Region("JP", 920500, 923500, 100, 13),
            new Region("ANZ", 915000, 928000, 100, 30),
            new Region("ANZ_433", 433050, 434790, 100, 14),
            new Region("RU", 868700, 869200, 100, 20),
            new Region("KR", 920000, 923000, 100, 23),
            new Region("TW", 920000, 925000, 100, 27),
            new Region("IN", 865000, 867000, 100, 30),
            new Region("NZ_865", 864000, 868000, 100, 36),
            new Region("TH", 920000, 925000, 10, 27),
            new Region("UA_433", 433000, 434700, 10, 10),
            new Region("UA_868", 868000, 868600, 1, 14),
            new Region("MY_433", 433000, 435000, 100, 20),
            new Region("SG_923", 917000, 925000, 100, 20),
            new Region("PH_433", 433000, 434700, 100, 10),
            new Region("PH_868", 868000, 869400, 100, 14),
            new Region("PH_915", 915000, 918000, 100, 24),
            new Region("KZ_433", 433075, 434775, 100, 10),
            new Region("KZ_863", 863000, 868000, 100, 30),
            new Region("NP_865", 865000, 868000, 100, 30),
            new Region("BR_902", 902000, 907500, 100, 30),
        };
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

    /// <summary>How many channels of <paramref name="bandwidthHz"/> fit the band side by side.</summary>
    public int ChannelCount(int bandwidthHz)
    {
        return (int)((HighHz - LowHz) / bandwidthHz);
    }

    /// <summary>
    /// The centre frequency of a channel name's slot, as Meshtastic picks it: slot = djb2(name) mod the
    /// number of channels, centre = low edge + bandwidth/2 + slot · bandwidth. Zero if the bandwidth does
    /// not fit the band (500 kHz presets in EU_868).
    /// </summary>
    public long FrequencyHz(int bandwidthHz, string channelName)
    {
        int count = ChannelCount(bandwidthHz);
        if (count < 1)
        {
            return 0;
        }

        uint slot = Djb2(channelName) % (uint)count;
        return LowHz + (bandwidthHz / 2) + ((long)slot * bandwidthHz);
    }

    private static uint Djb2(string text)
    {
        // Bernstein's hash (h = h·33 + c from 5381), over the name's characters as bytes, as Meshtastic does.
        uint hash = 5381;
        for (int i = 0; i < text.Length; i++)
        {
            hash = unchecked((hash * 33) + (byte)text[i]);
        }

        return hash;
    }
}
