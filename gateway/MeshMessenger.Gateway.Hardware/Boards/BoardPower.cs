namespace MeshMessenger.Gateway.Hardware.Boards;

/// <summary>Currents for the power budget, from the datasheets (sources in hardware/README.md).</summary>
public sealed record BoardPower
{
    /// <summary>Supply voltage the host currents are given at (5 V for a Pi, 3.7 V for a battery board).</summary>
    public double SupplyVolts { get; init; } = 5;

    /// <summary>Host current while idle with the radio listening (Pi idle; ESP32 light sleep).</summary>
    public double HostIdleMa { get; init; }

    /// <summary>Host current while working (verifying, storing, relaying).</summary>
    public double HostActiveMa { get; init; }

    /// <summary>Radio receive current at 3.3 V.</summary>
    public double RadioRxMa { get; init; }

    /// <summary>Radio transmit current at 3.3 V at <see cref="RadioTxDbm"/>.</summary>
    public double RadioTxMa { get; init; }

    /// <summary>Power level <see cref="RadioTxMa"/> is given for.</summary>
    public int RadioTxDbm { get; init; }

    /// <summary>Battery the board usually carries, mAh, if any.</summary>
    public double? BatteryMah { get; init; }
}
