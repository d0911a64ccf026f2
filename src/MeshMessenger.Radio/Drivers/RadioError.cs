namespace MeshMessenger.Radio.Drivers;

/// <summary>Why a radio operation failed.</summary>
public enum RadioError
{
    /// <summary>Nothing answers on the SPI bus (every byte reads 0x00 or 0xFF).</summary>
    ChipNotFound,

    /// <summary>A chip answers, but not the one this driver drives (version or reset values differ).</summary>
    WrongChip,

    /// <summary>The SX126x BUSY line stayed high past its longest documented time.</summary>
    BusyTimeout,

    /// <summary>The interrupt line never rose before the deadline (wrong pin, or the chip stalled).</summary>
    IrqTimeout,

    /// <summary>The chip reported a transmit timeout.</summary>
    TxTimeout,

    /// <summary>The chip refused a setting or reported a calibration or oscillator error.</summary>
    ChipError,

    /// <summary>Settings out of the chip's range (frequency, power, spreading factor, bandwidth, length).</summary>
    InvalidSettings,

    /// <summary>The driver was used before <see cref="LoRaTransceiver.Initialize"/> succeeded.</summary>
    NotInitialized,

    /// <summary>The operation cannot start in the chip's current activity (CAD while transmitting, a second transmission before TxDone, ...).</summary>
    WrongState,
}
