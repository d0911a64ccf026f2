namespace MeshMessenger.Firmware;

/// <summary>What a device did on air, for the emulator's metrics and a board's status page.</summary>
public sealed class DeviceCounters
{
    /// <summary>Frames transmitted.</summary>
    public int TxFrames { get; internal set; }

    /// <summary>Milliseconds spent transmitting.</summary>
    public long TxAirtimeMs { get; internal set; }

    /// <summary>Frames received intact.</summary>
    public int RxFrames { get; internal set; }

    /// <summary>Frames that did not parse.</summary>
    public int Malformed { get; internal set; }

    /// <summary>Copies of frames already heard.</summary>
    public int Duplicates { get; internal set; }

    /// <summary>Relays queued.</summary>
    public int RelaysQueued { get; internal set; }

    /// <summary>Relays transmitted.</summary>
    public int RelaysSent { get; internal set; }

    /// <summary>Queued relays cancelled because others repeated the frame first.</summary>
    public int RelaysCancelled { get; internal set; }

    /// <summary>Own frames sent again because no neighbour was heard repeating them.</summary>
    public int Retransmissions { get; internal set; }

    /// <summary>Queued retransmissions dropped because a neighbour was heard repeating the earlier copy after its wait ended.</summary>
    public int LateEchoCancels { get; internal set; }

    /// <summary>Own frames given up after the last retransmission.</summary>
    public int Unacknowledged { get; internal set; }

    /// <summary>Own frames heard repeated by a neighbour (implicit acknowledgement), or said to be held by a neighbour's Ack answering our request.</summary>
    public int EchoAcks { get; internal set; }

    /// <summary>Own direct messages whose retransmissions the recipient's delivery receipt ended.</summary>
    public int ReceiptAcks { get; internal set; }

    /// <summary>Own direct messages flooded once more because their delivery receipt did not come back in time after a neighbour repeated them.</summary>
    public int EndToEndRetries { get; internal set; }

    /// <summary>Own delivery receipts sent once more, flooded, because a copy of the message they answer began after they left (<see cref="Routing.RoutingPolicy.SendsLostReceiptAgain"/>).</summary>
    public int ReceiptsSentAgain { get; internal set; }

    /// <summary>Receipts heard on their way to another node's message, queued to go back to its author that asked for them (<see cref="Routing.RoutingPolicy.UsesReceiptRequests"/>); one another neighbour's copy cancelled is counted too.</summary>
    public int ReceiptsHandedBack { get; internal set; }

    /// <summary>Requests queued for the delivery receipt of an own flooded direct message that did not come in time (docs/protocol.md §7.1).</summary>
    public int ReceiptRequests { get; internal set; }

    /// <summary>Requests queued, asking whether the neighbours have an own flooded direct message, before retransmitting it because no repeat was heard (docs/protocol.md §7.1).</summary>
    public int RetransmissionProbes { get; internal set; }

    /// <summary>Acks queued to answer a neighbour's request about a message this node heard (another neighbour's Ack may cancel one).</summary>
    public int ProbesAnswered { get; internal set; }

    /// <summary>Flooded fallbacks relayed although their directed first copy, named to another node, was heard.</summary>
    public int FallbackRelays { get; internal set; }

    /// <summary>Transmissions put off because the channel was busy (listen before talk).</summary>
    public int LbtDeferrals { get; internal set; }

    /// <summary>Frames dropped because the radio queue was full (<see cref="DeviceApp.MaxQueueLength"/>).</summary>
    public int QueueDrops { get; internal set; }

    /// <summary>Own frames no longer awaited because <see cref="DeviceApp.MaxAwaitingAcks"/> newer ones were waiting.</summary>
    public int AckWaitDrops { get; internal set; }

    /// <summary>Times the regional duty-cycle limit held the queue back.</summary>
    public int DutyCycleDeferrals { get; internal set; }

    /// <summary>Relays dropped by the regional duty-cycle limit.</summary>
    public int DutyCycleDrops { get; internal set; }

    /// <summary>Answers to neighbours' heads questions and wants dropped because their airtime share was spent (<see cref="DeviceApp.AnswerSharePercent"/>).</summary>
    public int SyncAnswersDropped { get; internal set; }

    /// <summary>Relays dropped because relays and answers together spent their airtime share (<see cref="DeviceApp.OthersSharePercent"/>).</summary>
    public int RelayShareDrops { get; internal set; }

    /// <summary>Answers to a relayed want, naming this node, repeated again because the answerer sent them again (docs/protocol.md §8.4).</summary>
    public int SyncAnswersRepeatedAgain { get; internal set; }
}
