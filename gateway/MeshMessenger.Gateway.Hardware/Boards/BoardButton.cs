namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>
/// A push button between a GPIO and GND, read with the GPIO's internal pull-up (pressed reads low): a short press
/// wakes the status display and turns its page, a long press shows the web address as a QR code.
/// </summary>
public sealed record BoardButton : IBoardPeripheral
{
    /// <summary>The GPIO the button pulls to GND.</summary>
    public int Gpio { get; init; } = -1;

    /// <inheritdoc/>
    public string Part => "button (to GND, internal pull-up)";

    /// <inheritdoc/>
    public IEnumerable<(string Role, int Gpio, string Signal)> Lines() => [("button.gpio", Gpio, "button")];

    /// <inheritdoc/>
    public IEnumerable<(string Signal, string Host)> Supply() => [("other leg", "GND (pin 39)")];
}
