using System.Device.Gpio;
using System.Device.Spi;
using MeshMessenger.Gateway.Hardware.Boards;
using MeshMessenger.Radio.Drivers;
using MeshMessenger.Radio.Hardware;
using MeshMessenger.Radio.Sx126x;
using MeshMessenger.Radio.Sx127x;

namespace MeshMessenger.Gateway.Hardware.Linux;

/// <summary>
/// Opens a board's radio on a Raspberry Pi: checks the spidev node, opens SPI and GPIO through
/// System.Device.Gpio, picks the driver for the board's chip and initialises it. Every failure becomes a
/// <see cref="HardwareException"/> that names the board, the device or pin, and the likely fix.
/// </summary>
public static class BoardRadio
{
    /// <summary>The settings a board needs on top of region and preset (antenna switch, TCXO, PA pin, power cap).</summary>
    public static LoRaRadioSettings Apply(BoardProfile board, LoRaRadioSettings settings)
    {
        settings.Dio2AsRfSwitch = board.Dio2AsRfSwitch;
        settings.TcxoVoltage = board.TcxoVoltage;
        settings.PaBoost = board.PaBoost;
        settings.TxPowerDbm = Math.Min(settings.TxPowerDbm, board.MaxTxPowerDbm);
        return settings;
    }

    /// <summary>Opens the radio on this Pi; <paramref name="devRoot"/> is where spidev nodes live (/dev).</summary>
    public static LoRaTransceiver Open(BoardProfile board, LoRaRadioSettings settings, string devRoot = "/dev")
    {
        if (!board.IsRaspberryPi)
        {
            throw new HardwareException($"board {board.Name} is an {board.Host} board: it runs the nanoFramework firmware, not the gateway");
        }

        string device = Path.Combine(devRoot, Path.GetFileName(board.SpiDevicePath));
        if (!File.Exists(device))
        {
            throw new HardwareException($"board {board.Name}: SPI device {device} not found. Enable SPI: add {string.Join(" and ", board.ConfigTxt.Select(l => $"'{l}'"))} to /boot/firmware/config.txt and reboot (raspi-config → Interface Options → SPI does the first)");
        }

        GpioController gpio;
        try
        {
            gpio = new GpioController();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HardwareException($"board {board.Name}: no GPIO controller ({e.Message}). Is this a Raspberry Pi with /dev/gpiochip0, and is libgpiod installed (apt install libgpiod2)?", e);
        }

        SpiDevice spi;
        try
        {
            spi = SpiDevice.Create(SpiDeviceBus.Settings(board.Spi.Bus, board.Spi.ChipSelectLine));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            gpio.Dispose();
            throw new HardwareException($"board {board.Name}: cannot open {device} ({e.Message}); is the gateway's user in the spi group?", e);
        }

        var bus = new SpiDeviceBus(spi, board.Spi.ChipSelectLine < 0 ? gpio : null, board.Spi.ChipSelectLine < 0 ? board.Pins.ChipSelect!.Value : -1);
        return Initialize(board, settings, bus, new GpioRadioPins(gpio, board.Pins), new StopwatchRadioTimer());
    }

    /// <summary>Creates the board's driver over the given bus and pins and initialises it; driver errors gain the board's wiring.</summary>
    public static LoRaTransceiver Initialize(BoardProfile board, LoRaRadioSettings settings, ISpiBus bus, IRadioPins pins, IRadioTimer timer)
    {
        LoRaTransceiver driver = board.Chip == "SX1262" ? new Sx1262Driver(bus, pins, timer) : new Sx1276Driver(bus, pins, timer);
        try
        {
            driver.Initialize(Apply(board, settings));
        }
        catch (RadioException e)
        {
            throw new HardwareException($"board {board.Name} ({board.Chip} on {board.SpiDevicePath}, {Wiring(board)}): {e.Message}", e);
        }

        return driver;
    }

    /// <summary>The board's control lines in words, for error messages.</summary>
    public static string Wiring(BoardProfile board) =>
        string.Join(", ", board.Pins.Assigned().Select(p => $"{p.Role} GPIO {p.Gpio}"));
}
