using System;
using MeshMessenger.Protocol.Wire;

namespace MeshMessenger.Protocol.Frames;

/// <summary>
/// The one place that encodes and decodes frames:
/// <code>
/// byte 0   version (bits 7-5, now 1) | type (bits 4-0)
/// byte 1   hop limit (bits 7-5) | hop start (bits 4-2) | want ack (bit 1) | local only (bit 0)
/// byte 2   next hop: low byte of the chosen relay's id, 0 = any
/// byte 3   relay: low byte of the transmitter's id
/// 4..      payload, at least 1 byte
/// </code>
/// The same frame travels on LoRa (≤ 255 bytes) and in one UDP datagram on IP links (≤ 1232 bytes).
/// </summary>
public static class FrameCodec
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Encodes a frame; throws if it exceeds <paramref name="maxFrameSize"/>.</summary>
    public static byte[] Encode(Frame frame, int maxFrameSize)
    {
        var writer = new ByteWriter(FrameLimits.HeaderSize + frame.Payload.Length < maxFrameSize ? FrameLimits.HeaderSize + frame.Payload.Length : maxFrameSize);
        writer.WriteByte((Version << 5) | (int)frame.Type);
        writer.WriteByte((frame.HopLimit << 5) | (frame.HopStart << 2) | (frame.WantAck ? 2 : 0) | (frame.LocalOnly ? 1 : 0));
        writer.WriteByte(frame.NextHop);
        writer.WriteByte(frame.Relay);
        writer.WriteBytes(frame.Payload);
        return writer.Buffer;
    }

    /// <summary>
    /// Decodes a frame header from untrusted bytes and copies the payload (never more than
    /// <paramref name="maxFrameSize"/> bytes). Never throws.
    /// </summary>
    public static ProtocolError TryDecode(byte[] data, int offset, int count, int maxFrameSize, out Frame? frame)
    {
        frame = null;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            return ProtocolError.Truncated;
        }

        if (count > maxFrameSize)
        {
            return ProtocolError.TooLarge;
        }

        FrameType type;
        int hopStart;
        ProtocolError error = TryPeek(data, offset, count, out type, out hopStart);
        if (error != ProtocolError.None)
        {
            return error;
        }

        int b1 = data[offset + 1];
        var payload = new byte[count - FrameLimits.HeaderSize];
        Array.Copy(data, offset + FrameLimits.HeaderSize, payload, 0, payload.Length);
        frame = new Frame(type, b1 >> 5, hopStart, (b1 & 2) != 0, data[offset + 2], data[offset + 3], payload, (b1 & 1) != 0);
        return ProtocolError.None;
    }

    /// <summary>
    /// Reads a frame's type and hop start from its header without copying the payload, with the header checks of
    /// <see cref="TryDecode"/> (length, version, type, hop limit ≤ hop start) but no size cap: for hosts that route or
    /// count frames by type. Never throws.
    /// </summary>
    public static ProtocolError TryPeek(byte[] data, int offset, int count, out FrameType type, out int hopStart)
    {
        type = FrameType.Entry;
        hopStart = 0;
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count || count <= FrameLimits.HeaderSize)
        {
            return ProtocolError.Truncated;
        }

        int b0 = data[offset];
        int b1 = data[offset + 1];
        if ((b0 >> 5) != Version)
        {
            return ProtocolError.UnsupportedVersion;
        }

        int kind = b0 & 0x1F;
        if (kind < (int)FrameType.Entry || kind > (int)FrameType.ReceiptRequest)
        {
            return ProtocolError.UnknownType;
        }

        int hopLimit = b1 >> 5;
        int start = (b1 >> 2) & 7;
        if (hopLimit > start)
        {
            return ProtocolError.InvalidField;
        }

        type = (FrameType)kind;
        hopStart = start;
        return ProtocolError.None;
    }
}
