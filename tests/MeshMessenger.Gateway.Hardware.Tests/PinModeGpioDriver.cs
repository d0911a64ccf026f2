using System.Device.Gpio;

namespace MeshMessenger.Gateway.Hardware.Tests;

/// <summary>
/// The bookkeeping every test <see cref="GpioDriver"/> shares: a Pi's 28 BCM lines, each opened as an input and
/// remembering the mode the code under test set. Subclasses say what reading and writing a line does.
/// </summary>
internal abstract class PinModeGpioDriver : GpioDriver
{
    /// <summary>The mode of each open line.</summary>
    protected Dictionary<int, PinMode> Modes { get; } = [];

    /// <summary>The mode the code under test set on <paramref name="pin"/>, or null while it is closed.</summary>
    public PinMode? ModeOf(int pin) => Modes.TryGetValue(pin, out PinMode mode) ? mode : null;

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber) => Modes[pinNumber] = PinMode.Input;

    protected override void ClosePin(int pinNumber) => Modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode) => Modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => Modes[pinNumber];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;
}
