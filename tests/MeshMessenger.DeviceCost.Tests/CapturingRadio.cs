using System.Collections.Generic;
using MeshMessenger.Firmware.Platform;

namespace MeshMessenger.DeviceCost;

/// <summary>The hardware edge: a radio whose channel is always free and whose transmissions are kept, not sent.</summary>
public sealed class CapturingRadio : IRadioPort
{
    /// <summary>Frames transmitted since the last <see cref="Clear"/>.</summary>
    public List<byte[]> Sent { get; } = new();

    /// <inheritdoc />
    public bool IsTransmitting => false;

    /// <inheritdoc />
    public bool IsChannelBusy => false;

    /// <summary>Whether to keep transmitted frames (off in the heap bench, so the bench itself does not grow).</summary>
    public bool Keep { get; set; } = true;

    /// <summary>Transmissions since creation.</summary>
    public int Transmissions { get; private set; }

    /// <inheritdoc />
    public bool Transmit(byte[] frame)
    {
        Transmissions++;
        if (Keep)
        {
            Sent.Add(frame);
        }

        return true;
    }

    /// <summary>Forgets what was sent.</summary>
    public void Clear() => Sent.Clear();
}
