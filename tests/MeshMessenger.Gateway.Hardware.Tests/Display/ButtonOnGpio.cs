using System.Device.Gpio;

namespace MeshMessenger.Gateway.Hardware.Tests.Display;

/// <summary>
/// A push button to GND on a <see cref="GpioDriver"/>, the System.Device.Gpio edge the gateway's button code runs
/// on unmodified: the line reads high through the pull-up until <see cref="Press"/>, and each change raises the
/// registered edge callbacks as libgpiod's driver would.
/// </summary>
internal sealed class ButtonOnGpio : PinModeGpioDriver
{
    private readonly List<(int Pin, PinEventTypes Types, PinChangeEventHandler Callback)> _callbacks = [];
    private PinValue _level = PinValue.High;

    public int Pin { get; init; } = 17;

    public void Press() => Set(PinValue.Low, PinEventTypes.Falling);

    public void Release() => Set(PinValue.High, PinEventTypes.Rising);

    protected override PinValue Read(int pinNumber) => pinNumber == Pin ? _level : PinValue.Low;

    protected override void Write(int pinNumber, PinValue value) => throw new InvalidOperationException("the button line is an input");

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the button code takes edge callbacks");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        _callbacks.Add((pinNumber, eventTypes, callback));

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        _callbacks.RemoveAll(c => c.Pin == pinNumber && c.Callback == callback);

    private void Set(PinValue level, PinEventTypes edge)
    {
        _level = level;
        foreach (var (pin, types, callback) in _callbacks.ToList())
        {
            if (pin == Pin && (types & edge) != 0)
            {
                callback(this, new PinValueChangedEventArgs(edge, pin));
            }
        }
    }
}
