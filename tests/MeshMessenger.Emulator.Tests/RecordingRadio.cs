using MeshMessenger.Firmware.Platform;

namespace MeshMessenger.Emulator.Tests;

/// <summary>The hardware edge: records what goes on air; the test ends each transmission.</summary>
internal sealed class RecordingRadio : IRadioPort
{
    public List<byte[]> Sent { get; } = [];

    public bool IsTransmitting { get; set; }

    public bool IsChannelBusy { get; set; }

    public bool Transmit(byte[] frame)
    {
        Sent.Add(frame);
        IsTransmitting = true;
        return true;
    }
}
