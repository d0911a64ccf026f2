using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// Reads the (author, sequence) of the entry a frame carries, from the clear entry header, without copying or
/// verifying: what usefulness needs to count only the frames of the measured traffic (docs/emulator.md §6).
/// </summary>
public static class MeasuredFrame
{
    /// <summary>
    /// True if <paramref name="frame"/>'s first <paramref name="length"/> bytes are an entry frame; then its author and
    /// sequence. Fragments, sync, acks and other frames give false. Never throws on untrusted bytes.
    /// </summary>
    public static bool TryReadEntry(byte[] frame, int length, out uint author, out uint sequence)
    {
        author = 0;
        sequence = 0;
        if (FrameCodec.TryPeek(frame, 0, length, out FrameType type, out _) != Protocol.ProtocolError.None || type != FrameType.Entry)
        {
            return false;
        }

        // The clear header after the 4 frame-header bytes: kind byte, author (4 bytes), sequence varint (the layout
        // firmware/MeshMessenger.Firmware/Routing/PacketInfo.cs reads).
        var reader = new ByteReader(frame, FrameLimits.HeaderSize, length - FrameLimits.HeaderSize);
        return reader.ReadByte() >= 0 && reader.TryReadUInt32(out author) && reader.TryReadVarint(out sequence);
    }
}
