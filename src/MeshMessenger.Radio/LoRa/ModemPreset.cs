namespace MeshMessenger.Radio.LoRa;

/// <summary>
/// Named modem settings. Names and parameters follow Meshtastic's presets (meshtastic/protobufs
/// config.proto ModemPreset; firmware RadioInterface.cpp), with its 16-symbol preamble, explicit header
/// and CRC, so airtime figures compare one to one.
/// </summary>
public sealed class ModemPreset
{
    private ModemPreset(string name, int sf, int bandwidthHz, int cr)
    {
        Name = name;
        Modulation = new LoRaModulation(sf, bandwidthHz, cr, 16, true, true);
    }

    /// <summary>Preset name (Meshtastic's).</summary>
    public string Name { get; }

    /// <summary>The settings.</summary>
    public LoRaModulation Modulation { get; }

    /// <summary>SF7 / 500 kHz / 4:5 (not legal in every region: 500 kHz does not fit EU_868's sub-band).</summary>
    public static ModemPreset ShortTurbo => new ModemPreset("ShortTurbo", 7, 500000, 5);

    /// <summary>SF7 / 250 kHz / 4:5.</summary>
    public static ModemPreset ShortFast => new ModemPreset("ShortFast", 7, 250000, 5);

    /// <summary>SF8 / 250 kHz / 4:5.</summary>
    public static ModemPreset ShortSlow => new ModemPreset("ShortSlow", 8, 250000, 5);

    /// <summary>SF9 / 250 kHz / 4:5.</summary>
    public static ModemPreset MediumFast => new ModemPreset("MediumFast", 9, 250000, 5);

    /// <summary>SF10 / 250 kHz / 4:5.</summary>
    public static ModemPreset MediumSlow => new ModemPreset("MediumSlow", 10, 250000, 5);

    /// <summary>SF11 / 250 kHz / 4:5: Meshtastic's default.</summary>
    public static ModemPreset LongFast => new ModemPreset("LongFast", 11, 250000, 5);

    /// <summary>SF11 / 125 kHz / 4:8.</summary>
    public static ModemPreset LongModerate => new ModemPreset("LongModerate", 11, 125000, 8);

    /// <summary>SF12 / 125 kHz / 4:8.</summary>
    public static ModemPreset LongSlow => new ModemPreset("LongSlow", 12, 125000, 8);

    /// <summary>SF11 / 500 kHz / 4:8.</summary>
    public static ModemPreset LongTurbo => new ModemPreset("LongTurbo", 11, 500000, 8);

    /// <summary>All presets.</summary>
    public static ModemPreset[] All()
    {
        return new ModemPreset[] { ShortTurbo, ShortFast, ShortSlow, MediumFast, MediumSlow, LongFast, LongModerate, LongSlow, LongTurbo };
    }

    /// <summary>A preset by name (case-insensitive), or null.</summary>
    public static ModemPreset? Find(string name)
    {
        ModemPreset[] all = All();
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
