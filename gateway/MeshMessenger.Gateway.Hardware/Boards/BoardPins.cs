namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>GPIO numbers of the radio's control lines (BCM numbers on a Raspberry Pi, GPIO numbers on an ESP32).</summary>
public sealed record BoardPins
{
    /// <summary>NSS. On a Pi with a hardware chip-select line this is that line's GPIO (CE0 = 8, CE1 = 7).</summary>
    public int? ChipSelect { get; init; }

    /// <summary>NRESET.</summary>
    public int? Reset { get; init; }

    /// <summary>SX126x BUSY.</summary>
    public int? Busy { get; init; }

    /// <summary>Interrupt: DIO1 (SX126x) or DIO0 (SX127x).</summary>
    public int? Irq { get; init; }

    /// <summary>External antenna switch, high while receiving (Ebyte E22 RXEN).</summary>
    public int? RxEnable { get; init; }

    /// <summary>External antenna switch, high while transmitting.</summary>
    public int? TxEnable { get; init; }

    /// <summary>Held high to power the board's antenna switch (Waveshare HAT).</summary>
    public int? AntennaPower { get; init; }

    /// <summary>Every assigned line with its role, for checks and diagrams.</summary>
    public IEnumerable<(string Role, int Gpio)> Assigned()
    {
        (string, int?)[] all = [("chipSelect", ChipSelect), ("reset", Reset), ("busy", Busy), ("irq", Irq), ("rxEnable", RxEnable), ("txEnable", TxEnable), ("antennaPower", AntennaPower)];
        return all.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!.Value));
    }
}
