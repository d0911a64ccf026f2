namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// How a wiped device fared: what it had, what came back, what it cost. <see cref="SyncAirtimeSeconds"/> is the
/// airtime of every sync frame sent after the wipe (heads, wants, answers: hop start 0 or a relayed want's),
/// by any device; <see cref="RestoreSeconds"/> runs from the wipe to the last of its messages coming back.
/// </summary>
public sealed record WipeReport(
    int Device,
    double AtMinute,
    int MessagesBefore,
    int MessagesRecovered,
    double CompletenessPercent,
    bool HeadRecovered,
    uint NextSequenceBefore,
    uint NextSequenceAfter,
    int ForksSeenByOthers,
    double SyncAirtimeSeconds,
    double RestoreSeconds);
