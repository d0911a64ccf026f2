using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Platform;

namespace MeshMessenger.Device.Host;

/// <summary>
/// The host build's radio: transmissions go nowhere and complete at the next poll, nothing is ever received. It lets
/// the device program run its node, queue and duty cycle on a machine without a LoRa chip; provisioning needs no radio.
/// </summary>
public sealed class VoidRadioPort : IRadioPort
{
    private DeviceApp? _app;

    /// <summary>Frames "sent".</summary>
    public int Transmitted { get; private set; }

    /// <inheritdoc />
    public bool IsTransmitting { get; private set; }

    /// <inheritdoc />
    public bool IsChannelBusy => false;

    /// <inheritdoc />
    public bool Transmit(byte[] frame)
    {
        if (IsTransmitting)
        {
            return false;
        }

        IsTransmitting = true;
        Transmitted++;
        return true;
    }

    /// <summary>Where completions go.</summary>
    public void Attach(DeviceApp app) => _app = app;

    /// <summary>Completes a transmission started since the last poll.</summary>
    public void Poll()
    {
        if (IsTransmitting)
        {
            IsTransmitting = false;
            _app?.OnTransmitDone();
        }
    }
}
