namespace MeshMessenger.Radio.Drivers;

/// <summary>
/// What one call of <see cref="LoRaTransceiver.ServiceInterrupt"/> found on the interrupt line, reduced
/// from the chip's IRQ flags to what a radio port acts on (an enum: nothing is allocated per interrupt).
/// </summary>
public enum RadioInterrupt
{
    /// <summary>The interrupt line is low: nothing happened yet.</summary>
    None,

    /// <summary>The transmission left the antenna; the chip is in standby.</summary>
    TxDone,

    /// <summary>An intact packet is in the <see cref="ReceivedPacket"/>; continuous receive goes on.</summary>
    Packet,

    /// <summary>A packet arrived with a bad payload or header CRC and was dropped; continuous receive goes on.</summary>
    CrcError,

    /// <summary>Channel activity detection ended and found no LoRa symbols; the chip is in standby.</summary>
    CadClear,

    /// <summary>Channel activity detection ended and found LoRa symbols on the channel; the chip is in standby.</summary>
    CadDetected,

    /// <summary>The chip's transmit or receive timer fired; the chip is in standby.</summary>
    Timeout,
}
