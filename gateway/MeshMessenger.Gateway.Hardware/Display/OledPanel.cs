using System.Device.I2c;
using Iot.Device.Ssd13xx.Commands;
using Iot.Device.Ssd13xx.Commands.Ssd1306Commands;

namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>
/// A 128×64 SSD1306 or SH1106 OLED on I2C, driven through Iot.Device.Bindings' Ssd13xx transport and command
/// classes (<see cref="Ssd13xxBus"/>; on the bus a control byte then commands or data, SSD1306 datasheet §8.1.5.2). The SH1106 takes the same commands
/// except those it lacks (addressing modes, charge pump), so it is written page by page at column 2 (SH1106
/// datasheet, "Set Page Address", "Set Column Address"; 132-column RAM, the panel centred). Every bus failure
/// surfaces as an <see cref="IOException"/> from the I2C device.
/// </summary>
public sealed class OledPanel : IDisposable
{
    /// <summary>Contrast while awake (the SSD1306 application note's 0xCF for the internal charge pump).</summary>
    public const byte AwakeContrast = 0xCF;

    /// <summary>Contrast while dimmed.</summary>
    public const byte DimContrast = 0x01;

    private const int Sh1106ColumnOffset = 2;

    private readonly Ssd13xxBus _driver;

    /// <summary>Wraps <paramref name="device"/>; nothing is sent until <see cref="Initialize"/>.</summary>
    public OledPanel(I2cDevice device, OledController controller)
    {
        Controller = controller;
        _driver = new Ssd13xxBus(device);
    }

    /// <summary>The controller chip.</summary>
    public OledController Controller { get; }

    /// <summary>
    /// Opens the display at <paramref name="address"/> on <c>/dev/i2c-<paramref name="bus"/></c> under
    /// <paramref name="devRoot"/> and initialises it, or says what is wrong and how to fix it.
    /// </summary>
    /// <exception cref="HardwareException">No I2C device node, or nothing answers at the address.</exception>
    public static OledPanel Open(int bus, int address, OledController controller, string devRoot = "/dev")
    {
        string node = Path.Combine(devRoot, $"i2c-{bus}");
        if (!File.Exists(node))
        {
            throw new HardwareException(
                $"display: {node} does not exist, so I2C bus {bus} is off: add 'dtparam=i2c_arm=on' to /boot/firmware/config.txt and reboot (or set Gateway:Display:Bus)");
        }

        return Start(I2cDevice.Create(new I2cConnectionSettings(bus, address)), controller, bus, address);
    }

    /// <summary>Initialises the display on <paramref name="device"/>; a bus error becomes a <see cref="HardwareException"/> naming the bus and address.</summary>
    /// <exception cref="HardwareException">The device did not acknowledge.</exception>
    public static OledPanel Start(I2cDevice device, OledController controller, int bus, int address)
    {
        var panel = new OledPanel(device, controller);
        try
        {
            panel.Initialize();
            return panel;
        }
        catch (IOException e)
        {
            panel.Dispose();
            throw new HardwareException(
                $"display: no {controller.ToString().ToUpperInvariant()} answers at 0x{address:X2} on I2C bus {bus} ({e.Message}): check SDA on GPIO 2 (pin 3), SCL on GPIO 3 (pin 5), 3V3 and GND, and the address (`i2cdetect -y {bus}` lists what answers; modules use 0x3C or 0x3D, set Gateway:Display:Address)",
                e);
        }
    }

    /// <summary>
    /// The power-on sequence of the SSD1306 application note ("Software Initialization Flow Chart"): display off,
    /// clock, multiplex 64, offset 0, start line 0, charge pump on (SSD1306 only), horizontal addressing (SSD1306
    /// only), segment and COM remapped (the modules mount the glass rotated), COM pins alternate, contrast, then on.
    /// </summary>
    public void Initialize()
    {
        _driver.Send(new SetDisplayOff());
        _driver.Send(new SetDisplayClockDivideRatioOscillatorFrequency(0x00, 0x08));
        _driver.Send(new SetMultiplexRatio(MonoFrame.Height - 1));
        _driver.Send(new SetDisplayOffset(0));
        _driver.Send(new SetDisplayStartLine(0));
        if (Controller == OledController.Ssd1306)
        {
            _driver.Send(new SetChargePump(true));
            _driver.Send(new SetMemoryAddressingMode(SetMemoryAddressingMode.AddressingMode.Horizontal));
        }

        _driver.Send(new SetSegmentReMap(true));
        _driver.Send(new SetComOutputScanDirection(false));
        _driver.Send(new SetComPinsHardwareConfiguration(true, false));
        _driver.Send(new SetContrastControlForBank0(AwakeContrast));
        _driver.Send(new EntireDisplayOn(false));
        _driver.Send(new SetNormalDisplay());
        _driver.Send(new SetDisplayOn());
    }

    /// <summary>Writes the whole frame to display memory.</summary>
    public void Show(MonoFrame frame)
    {
        if (Controller == OledController.Ssd1306)
        {
            _driver.Send(new SetColumnAddress(0, MonoFrame.Width - 1));
            _driver.Send(new SetPageAddress(PageAddress.Page0, PageAddress.Page7));
            _driver.SendData(frame.ToMemory());
            return;
        }

        for (int page = 0; page < MonoFrame.Pages; page++)
        {
            _driver.Send(new SetPageStartAddressForPageAddressingMode((PageAddress)page));
            _driver.Send(new SetLowerColumnStartAddressForPageAddressingMode(Sh1106ColumnOffset & 0x0F));
            _driver.Send(new SetHigherColumnStartAddressForPageAddressingMode(Sh1106ColumnOffset >> 4));
            _driver.SendData(frame.Page(page).ToArray());
        }
    }

    /// <summary>Sets the contrast (0-255).</summary>
    public void SetContrast(byte contrast) => _driver.Send(new SetContrastControlForBank0(contrast));

    /// <summary>Turns the panel on or off (sleep: display memory is kept).</summary>
    public void SetOn(bool on)
    {
        if (on)
        {
            _driver.Send(new SetDisplayOn());
        }
        else
        {
            _driver.Send(new SetDisplayOff());
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _driver.Dispose();
}
