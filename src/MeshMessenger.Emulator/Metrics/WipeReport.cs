namespace MeshMessenger.Emulator.Metrics;

/// <summary>How a wiped device fared: what it had, what came back, what it cost.</summary>
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
    double SyncAirtimeSeconds);
