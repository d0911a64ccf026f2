namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>
/// A status display on the board's I2C bus: an SSD1306 or SH1106 128×64 OLED module. On a Pi it sits on I2C1
/// (SDA GPIO 2, header pin 3; SCL GPIO 3, header pin 5; Raspberry Pi documentation, "GPIO and the 40-pin header").
/// </summary>
public sealed record BoardDisplay : IBoardPeripheral
{
    /// <summary>"ssd1306" or "sh1106".</summary>
    public string Controller { get; init; } = "ssd1306";

    /// <summary>I2C bus: /dev/i2c-{bus} on Linux (1 on a Pi's header).</summary>
    public int Bus { get; init; } = 1;

    /// <summary>7-bit I2C address: 60 (0x3C) on most modules, 61 (0x3D) with the address jumper moved.</summary>
    public int Address { get; init; } = 0x3C;

    /// <summary>SDA line (GPIO 2 on a Pi).</summary>
    public int Sda { get; init; } = 2;

    /// <summary>SCL line (GPIO 3 on a Pi).</summary>
    public int Scl { get; init; } = 3;

    /// <inheritdoc/>
    public string Part => $"status display ({Controller.ToUpperInvariant()} 128x64 OLED, I2C{Bus} at 0x{Address:X2})";

    /// <inheritdoc/>
    public IEnumerable<(string Role, int Gpio, string Signal)> Lines() => [("display.sda", Sda, "SDA"), ("display.scl", Scl, "SCL")];

    /// <inheritdoc/>
    public IEnumerable<(string Signal, string Host)> Supply() => [("VCC", "3V3 (pin 17)"), ("GND", "GND (pin 9)")];
}
