using System.Device.Gpio;

namespace MeshMessenger.Gateway.Hardware.Display;

/// <summary>
/// A push button from a GPIO to GND with the internal pull-up, read from the GPIO controller's edge events:
/// a press shorter than <see cref="LongPress"/> raises <see cref="ShortPressed"/>, a longer one
/// <see cref="LongPressed"/>, both on release. Iot.Device.Button's <c>GpioButton</c> measures its hold on a
/// wall-clock timer of its own, so a test could not drive it with a test clock; here time comes from a
/// <see cref="TimeProvider"/>, and edges closer than <see cref="Debounce"/> to the last accepted one are contact bounce.
/// </summary>
public sealed class DisplayButton : IDisposable
{
    /// <summary>Held at least this long: a long press.</summary>
    public static readonly TimeSpan LongPress = TimeSpan.FromSeconds(1);

    /// <summary>Edges this close to the last accepted one are ignored.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(30);

    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastEdge = DateTimeOffset.MinValue;
    private DateTimeOffset? _downSince;

    /// <summary>Opens <paramref name="pin"/> as an input with pull-up and listens to both edges.</summary>
    public DisplayButton(GpioController gpio, int pin, TimeProvider time)
    {
        _gpio = gpio;
        _pin = pin;
        _time = time;
        _gpio.OpenPin(pin, PinMode.InputPullUp);
        _gpio.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Falling | PinEventTypes.Rising, OnEdge);
    }

    /// <summary>A press shorter than <see cref="LongPress"/> ended.</summary>
    public event Action? ShortPressed;

    /// <summary>A press of <see cref="LongPress"/> or more ended.</summary>
    public event Action? LongPressed;

    /// <inheritdoc/>
    public void Dispose()
    {
        _gpio.UnregisterCallbackForPinValueChangedEvent(_pin, OnEdge);
        _gpio.ClosePin(_pin);
    }

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        Action? raise = null;
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (now - _lastEdge < Debounce)
            {
                return;
            }

            _lastEdge = now;
            if (e.ChangeType == PinEventTypes.Falling)
            {
                _downSince = now; // pulled to GND: pressed
            }
            else if (_downSince is { } since)
            {
                _downSince = null;
                raise = now - since >= LongPress ? LongPressed : ShortPressed;
            }
        }

        raise?.Invoke();
    }
}
