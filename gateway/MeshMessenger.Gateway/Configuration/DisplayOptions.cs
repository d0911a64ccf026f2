using System.Globalization;

namespace MeshMessenger.Gateway.Configuration;

/// <summary>The status display (SSD1306 or SH1106 OLED on I2C) and its button. Off unless turned on.</summary>
public sealed class DisplayOptions
{
    /// <summary>Drive the display.</summary>
    public bool Enabled { get; set; }

    /// <summary>"ssd1306" or "sh1106".</summary>
    public string Controller { get; set; } = "ssd1306";

    /// <summary>I2C bus, /dev/i2c-{Bus} (1 on a Pi's header).</summary>
    public int Bus { get; set; } = 1;

    /// <summary>7-bit I2C address, hex ("0x3C") or decimal.</summary>
    public string Address { get; set; } = "0x3C";

    /// <summary>Seconds without a press before the display dims; after twice this it turns off.</summary>
    public int DimSeconds { get; set; } = 60;

    /// <summary>GPIO of the button; -1: the button in the board file (Gateway:Radio:Board), or none.</summary>
    public int ButtonPin { get; set; } = -1;

    /// <summary>Web address for the QR code; empty: http:// the first LAN IPv4 address and the port of Urls.</summary>
    public string WebAddress { get; set; } = "";

    /// <summary><see cref="Address"/> as a number, or -1 when it is not one.</summary>
    public int AddressValue =>
        Address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(Address.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int hex) ? hex : -1
            : int.TryParse(Address, NumberStyles.None, CultureInfo.InvariantCulture, out int dec) ? dec : -1;
}
