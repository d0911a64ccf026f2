using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Firmware;

/// <summary>A frame waiting for the radio, or an own frame waiting to be heard repeated.</summary>
internal sealed class QueuedFrame
{
    public QueuedFrame(Frame frame, long key, bool isRelay, bool isDirect, byte destinationHint, long notBeforeMs)
    {
        Frame = frame;
        Key = key;
        IsRelay = isRelay;
        IsDirect = isDirect;
        DestinationHint = destinationHint;
        NotBeforeMs = notBeforeMs;
    }

    public Frame Frame { get; set; }

    public long Key { get; }

    public bool IsRelay { get; }

    public bool IsDirect { get; }

    public byte DestinationHint { get; }

    public long NotBeforeMs { get; set; }

    public int Attempt { get; set; }

    public bool Cancelled { get; set; }

    public long SentAtMs { get; set; }

    public long AckDeadlineMs { get; set; }

    public int AirtimeMs { get; set; }
}
