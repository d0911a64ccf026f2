using System.Device.I2c;
using Iot.Device.Ssd13xx;
using Iot.Device.Ssd13xx.Commands;
using Iot.Device.Ssd13xx.Commands.Ssd1306Commands;

namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>
/// The binding's SSD13xx I2C transport without its SSD1306 start-up: Iot.Device.Bindings 4.2's <c>Ssd1306</c>
/// constructor sends its own SSD1306 initialisation and clears the screen through a bitmap factory, which would send
/// SSD1306-only commands (addressing mode, charge pump) to an SH1106 and needs an imaging adapter the gateway does
/// not use. The bytes are still the binding's: its command classes and its <see cref="Ssd13xx.SendData"/>.
/// </summary>
internal sealed class Ssd13xxBus(I2cDevice device) : Ssd13xx(device, MonoFrame.Width, MonoFrame.Height)
{
    /// <summary>Sends any of the binding's commands as one write: control byte 0x00 (Co = 0, D/C = 0), then its bytes.</summary>
    public void Send(ICommand command)
    {
        byte[] bytes = command.GetBytes();
        Span<byte> write = SliceGenericBuffer(bytes.Length + 1);
        write[0] = 0x00;
        bytes.CopyTo(write[1..]);
        I2cDevice!.Write(write);
    }

    /// <summary>Points the SSD1306's horizontal addressing at the top-left (the base class's bitmap path; the panel writes its own addresses).</summary>
    protected override void SetStartAddress()
    {
        Send(new SetColumnAddress(0, MonoFrame.Width - 1));
        Send(new SetPageAddress(PageAddress.Page0, PageAddress.Page7));
    }

    /// <inheritdoc/>
    public override void SendCommand(ISharedCommand command) => Send(command);
}
