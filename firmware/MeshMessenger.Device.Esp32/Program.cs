// NOT COMPILED ON THIS MACHINE: the nanoFramework packages these files use are not served here (README.md).
using MeshMessenger.Device.Boards;
using nanoFramework.Hardware.Esp32;

namespace MeshMessenger.Device.Esp32;

/// <summary>The board's entry point: route the SPI and serial pins of the chosen board, build the adapters, run the device program.</summary>
public static class Program
{
    /// <summary>The board this image is built for: a folder name under hardware/boards.</summary>
    private const string Board = "heltec-wifi-lora-32-v3";

    /// <summary>Entry point (nanoFramework calls a static Main).</summary>
    public static void Main()
    {
        BoardPins pins = BoardPins.Find(Board)!;

        // ESP32 SPI signals go through the GPIO matrix: name the pins before opening the bus
        // (nanoFramework docs, content/getting-started-guides/spi-explained.md).
        Configuration.SetPinFunction(pins.Sck, DeviceFunction.SPI1_CLOCK);
        Configuration.SetPinFunction(pins.Miso, DeviceFunction.SPI1_MISO);
        Configuration.SetPinFunction(pins.Mosi, DeviceFunction.SPI1_MOSI);

        // COM2 (UART1) is routed through the GPIO matrix too. Left alone it uses the classic ESP32's UART1 defaults,
        // GPIO 9/10, which are wired to the SPI flash chip (ESP32 datasheet, "IO_MUX"): route it to the board's
        // provisioning pins before Esp32Serial opens it.
        Configuration.SetPinFunction(pins.SerialRx, DeviceFunction.COM2_RX);
        Configuration.SetPinFunction(pins.SerialTx, DeviceFunction.COM2_TX);

        var platform = new Esp32Platform(pins);
        new DeviceProgram(platform, pins.MaxTxPowerDbm).Run();
    }
}
