namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>
/// A part on the board besides the radio (status display, button, GNSS receiver): what it is and the host lines
/// it takes. <see cref="BoardProfile.Peripherals"/> lists them for the pin checks and <c>meshmsg hardware show</c>.
/// </summary>
public interface IBoardPeripheral
{
    /// <summary>What the part is, for people.</summary>
    string Part { get; }

    /// <summary>The host lines it uses: pin-file field, GPIO number, and the part's own name for the signal.</summary>
    IEnumerable<(string Role, int Gpio, string Signal)> Lines();

    /// <summary>Its supply and ground wires on a Pi's header: the part's signal name and the header pin.</summary>
    IEnumerable<(string Signal, string Host)> Supply() => [];
}
