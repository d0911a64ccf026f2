namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>The display controller chips the status display drives.</summary>
public enum OledController
{
    /// <summary>Solomon SSD1306: 128 columns, horizontal addressing, internal charge pump.</summary>
    Ssd1306,

    /// <summary>Sino Wealth SH1106: 132 columns of which a 128-pixel panel shows 2-129, page addressing only.</summary>
    Sh1106,
}
