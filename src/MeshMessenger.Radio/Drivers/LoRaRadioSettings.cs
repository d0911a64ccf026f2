using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Radio.Drivers;

/// <summary>Everything a driver needs to put a chip on the air. Defaults suit a 868/915 MHz board at the region's default slot.</summary>
public sealed class LoRaRadioSettings
{
    /// <summary>Creates settings for a frequency and modulation.</summary>
    public LoRaRadioSettings(long frequencyHz, LoRaModulation modulation)
    {
        FrequencyHz = frequencyHz;
        Modulation = modulation;
    }

    /// <summary>Settings for a region and preset: the region's slot for the preset's name, power capped by the region.</summary>
    public static LoRaRadioSettings For(Region region, ModemPreset preset, int txPowerDbm)
    {
        var settings = new LoRaRadioSettings(region.FrequencyHz(preset.Modulation.BandwidthHz, preset.Name), preset.Modulation);
        settings.TxPowerDbm = txPowerDbm < region.MaxPowerDbm ? txPowerDbm : region.MaxPowerDbm;
        return settings;
    }

    /// <summary>Centre frequency.</summary>
    public long FrequencyHz { get; }

    /// <summary>SF, bandwidth, coding rate, preamble, header, CRC.</summary>
    public LoRaModulation Modulation { get; }

    /// <summary>Transmit power at the chip's pin, dBm.</summary>
    public int TxPowerDbm { get; set; } = 14;

    /// <summary>
    /// LoRa sync word in the SX127x one-byte form (0x12 private networks, 0x34 LoRaWAN, 0x2B Meshtastic).
    /// MeshMessenger keeps 0x12 so it shares Meshtastic's slots without decoding Meshtastic's frames.
    /// </summary>
    public byte SyncWord { get; set; } = 0x12;

    /// <summary>Inverted IQ (off for node-to-node traffic).</summary>
    public bool InvertIq { get; set; }

    /// <summary>SX126x: DIO2 drives the antenna switch (most modules).</summary>
    public bool Dio2AsRfSwitch { get; set; } = true;

    /// <summary>SX126x: TCXO supply on DIO3 in volts (1.6 to 3.3), or 0 for a crystal.</summary>
    public double TcxoVoltage { get; set; }

    /// <summary>SX126x: DC-DC regulator (less current) rather than LDO.</summary>
    public bool UseDcDc { get; set; } = true;

    /// <summary>SX127x: the PA_BOOST pin carries the antenna (RFM95W, T-Beam, LoRa32) rather than RFO.</summary>
    public bool PaBoost { get; set; } = true;
}
