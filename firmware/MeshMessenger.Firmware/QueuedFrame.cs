using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol.Frames;

namespace MeshMessenger.Firmware;

/// <summary>A frame waiting for the radio, or an own frame waiting to be heard repeated.</summary>
internal sealed class QueuedFrame
{
    // Meshtastic's MeshPacket.Priority values (mesh.proto) as fixPriority gives them (MeshPacketQueue.cpp:41-65 at
    // meshtastic/firmware 77540685): routing ACK 120, text 100, want_response 70, anything else 64. Our frames map:
    // a hop ACK is a routing ACK; an entry or fragment is a text message; a want asks for an answer.
    public const int PriorityDefault = 64;
    public const int PriorityReliable = 70;
    public const int PriorityHigh = 100;
    public const int PriorityAck = 120;

    public QueuedFrame(Frame frame, long key, bool isRelay, bool isDirect, byte destinationHint, long notBeforeMs)
    {
        Frame = frame;
        Key = key;
        IsRelay = isRelay;
        IsDirect = isDirect;
        DestinationHint = destinationHint;
        NotBeforeMs = notBeforeMs;
        Priority = PriorityOf(frame.Type);
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

    /// <summary>For an own entry: its sequence in the own chain, whose delivery receipt ends its retransmissions.</summary>
    public uint Sequence { get; set; }

    /// <summary>
    /// An own direct entry, or one piece of an own direct entry sent in fragments: the delivery receipt for
    /// <see cref="Sequence"/> ends its retransmissions.
    /// </summary>
    public bool EndsOnReceipt { get; set; }

    /// <summary>Meshtastic priority: the queue sends higher first and evicts its lowest when full.</summary>
    public int Priority { get; }

    /// <summary>For a relay: the frame as heard, so the contention delay can be drawn again (setTransmitDelay).</summary>
    public PacketInfo? Heard { get; set; }

    /// <summary>For an own direct entry a neighbour already repeated: waiting for the recipient's delivery receipt, not an echo.</summary>
    public bool AwaitingReceipt { get; set; }

    /// <summary>For an own frame nothing retries (a receipt), unless sent straight to its recipient: await a neighbour's repeat, else flood once more.</summary>
    public bool ChecksHop { get; set; }

    /// <summary>For an own direct entry: the last flood sent because its delivery receipt did not come (not an echo's retry).</summary>
    public bool LateFlood { get; set; }

    /// <summary>For an own flooded direct entry whose repeat was not heard: the neighbours were asked whether they have it before it is sent again.</summary>
    public bool Probed { get; set; }

    /// <summary>For an own flooded direct entry: a neighbour answered that it has it, so its retransmission was spared.</summary>
    public bool ProbeAnswered { get; set; }

    /// <summary>For an own flooded direct entry: its delivery receipt was asked of the neighbours.</summary>
    public bool ReceiptAsked { get; set; }

    /// <summary>An own receipt request (docs/protocol.md §7.1) about own entry <see cref="Sequence"/>: withdrawn once it is answered otherwise.</summary>
    public bool IsReceiptRequest { get; set; }

    /// <summary>An answer to a neighbour's receipt request: redrawn with <see cref="Routing.RoutingPolicy.HandBackDelayMs"/> on a busy channel.</summary>
    public bool AnswersRequest { get; set; }

    /// <summary>An own frame answering a neighbour's heads question or want: bounded by <see cref="DeviceApp.AnswerSharePercent"/>.</summary>
    public bool IsAnswer { get; set; }

    /// <summary>For a relay: the SNR the frame was heard at.</summary>
    public double HeardSnrDb { get; set; }

    public static int PriorityOf(FrameType type)
    {
        switch (type)
        {
            case FrameType.Ack:
                return PriorityAck;
            case FrameType.Entry:
            case FrameType.Fragment:
                return PriorityHigh;
            case FrameType.Want:
                return PriorityReliable;
            default:
                return PriorityDefault;
        }
    }

    /// <summary>
    /// Queue order (CompareMeshPacketFunc, MeshPacketQueue.cpp:16-29): higher priority first; at equal priority a
    /// frame already on the mesh (a relay) before an own one.
    /// </summary>
    public bool GoesBefore(QueuedFrame other)
    {
        return Priority != other.Priority ? Priority > other.Priority : (IsRelay && !other.IsRelay);
    }
}
