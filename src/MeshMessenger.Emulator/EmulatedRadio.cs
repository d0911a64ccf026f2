using MeshMessenger.Firmware.Platform;

namespace MeshMessenger.Emulator;

/// <summary>A virtual device's radio: the firmware's <see cref="IRadioPort"/> over the emulated channel.</summary>
internal sealed class EmulatedRadio(Emulation emulation, int device) : IRadioPort
{
    /// <inheritdoc />
    public bool IsTransmitting => emulation.Medium.IsTransmitting(device);

    /// <inheritdoc />
    public bool IsChannelBusy => emulation.Medium.IsBusy(device, emulation.NowMs);

    /// <inheritdoc />
    public bool Transmit(byte[] frame) => emulation.StartTransmission(device, frame);
}
