namespace MeshMessenger.Radio.Hardware;

/// <summary>The radio's control lines other than SPI: reset (output), busy and interrupt (inputs).</summary>
public interface IRadioPins
{
    /// <summary>Drives NRESET: false holds the chip in reset.</summary>
    void SetReset(bool high);

    /// <summary>SX126x BUSY line (high while the chip cannot take a command); always false where the chip has none.</summary>
    bool IsBusy { get; }

    /// <summary>The interrupt line: DIO1 on the SX126x, DIO0 on the SX127x.</summary>
    bool IsIrqHigh { get; }

    /// <summary>
    /// Sets external antenna-switch lines (RXEN/TXEN on modules such as the Ebyte E22) for transmit or
    /// receive; nothing to do where the chip's DIO2 or the board switches the antenna.
    /// </summary>
    void SetRfSwitch(bool transmit);
}
