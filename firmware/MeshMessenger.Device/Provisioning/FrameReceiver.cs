using System;

namespace MeshMessenger.Device.Provisioning;

/// <summary>
/// Reassembles <see cref="ProvisioningFrame"/>s from a serial byte stream, one byte at a time, in one preallocated
/// buffer (<see cref="ProvisioningFrame.MaxPayload"/> + 10 bytes). Junk before a magic is skipped; a frame silent for
/// <see cref="InterByteTimeoutMs"/> is dropped unanswered (a truncated frame); an unknown version, an oversized length
/// and a bad CRC are reported once and the receiver hunts for the next magic. No input makes it throw or grow.
/// </summary>
public sealed class FrameReceiver
{
    /// <summary>A partial frame with no byte for this long is dropped.</summary>
    public const long InterByteTimeoutMs = 1000;

    private readonly byte[] _frame = new byte[ProvisioningFrame.HeaderSize + ProvisioningFrame.MaxPayload + ProvisioningFrame.CrcSize];
    private int _have;
    private int _total;
    private long _lastByteMs;

    /// <summary>Why the last <see cref="FrameEvent.Rejected"/> happened.</summary>
    public ProvisioningStatus Rejection { get; private set; }

    /// <summary>The type of the last complete frame.</summary>
    public byte FrameType => _frame[3];

    /// <summary>The payload length of the last complete frame.</summary>
    public int PayloadLength { get; private set; }

    /// <summary>The buffer holding the last complete frame; its payload starts at <see cref="ProvisioningFrame.HeaderSize"/>.</summary>
    public byte[] Buffer => _frame;

    /// <summary>Frames dropped because they stopped arriving mid-way.</summary>
    public int TimedOut { get; private set; }

    /// <summary>Feeds one byte received at <paramref name="nowMs"/> (monotonic).</summary>
    public FrameEvent Feed(byte b, long nowMs)
    {
        if (_have > 0 && nowMs - _lastByteMs > InterByteTimeoutMs)
        {
            TimedOut++;
            _have = 0;
        }

        _lastByteMs = nowMs;
        if (_have == 0)
        {
            if (b == ProvisioningFrame.Magic0)
            {
                _frame[_have++] = b;
            }

            return FrameEvent.None;
        }

        if (_have == 1)
        {
            if (b == ProvisioningFrame.Magic1)
            {
                _frame[_have++] = b;
            }
            else
            {
                _have = b == ProvisioningFrame.Magic0 ? 1 : 0;
            }

            return FrameEvent.None;
        }

        _frame[_have++] = b;
        if (_have == 3 && b != ProvisioningFrame.Version)
        {
            return Reject(ProvisioningStatus.UnknownVersion);
        }

        if (_have == ProvisioningFrame.HeaderSize)
        {
            int length = _frame[4] | (_frame[5] << 8);
            if (length > ProvisioningFrame.MaxPayload)
            {
                return Reject(ProvisioningStatus.TooLarge);
            }

            PayloadLength = length;
            _total = ProvisioningFrame.HeaderSize + length + ProvisioningFrame.CrcSize;
            return FrameEvent.None;
        }

        if (_have < ProvisioningFrame.HeaderSize || _have < _total)
        {
            return FrameEvent.None;
        }

        _have = 0;
        int crcAt = _total - ProvisioningFrame.CrcSize;
        uint stored = Storage.FlashRecord.GetUInt32(_frame, crcAt);
        if (stored != Storage.Crc32.Compute(_frame, 0, crcAt))
        {
            Rejection = ProvisioningStatus.BadChecksum;
            return FrameEvent.Rejected;
        }

        return FrameEvent.Frame;
    }

    /// <summary>
    /// Zeroes the buffer (and any partial frame): a request frame carries the recovery phrase and the Wi-Fi password, which
    /// should not sit in RAM for the device's life once handled.
    /// </summary>
    public void Clear()
    {
        Array.Clear(_frame, 0, _frame.Length);
        _have = 0;
    }

    private FrameEvent Reject(ProvisioningStatus why)
    {
        _have = 0;
        Rejection = why;
        return FrameEvent.Rejected;
    }
}
