namespace MeshMessenger.Firmware.Platform;

/// <summary>
/// The LoRa radio as the device application sees it: start a transmission, ask whether the channel is
/// busy (listen before talk: channel activity detection on the SX126x, RSSI on the SX127x), and whether a
/// transmission is still on air. Completion and reception come back as calls into <see cref="DeviceApp"/>.
/// </summary>
public interface IRadioPort
{
    /// <summary>True while this radio transmits (half duplex: it hears nothing meanwhile).</summary>
    bool IsTransmitting { get; }

    /// <summary>True if energy from another transmission is on the channel now.</summary>
    bool IsChannelBusy { get; }

    /// <summary>Starts transmitting <paramref name="frame"/>; false if the radio cannot start now.</summary>
    bool Transmit(byte[] frame);
}
