namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// How a wiped device fared: what it had, what came back, what it cost. <see cref="SyncAirtimeSeconds"/> is the
/// airtime of every sync frame sent after the wipe (heads, wants, answers: hop start 0 or a relayed want's),
/// by any device; <see cref="RestoreSeconds"/> runs from the wipe to the last of its messages coming back.
/// <see cref="ReusedSequences"/> counts own sequences below <see cref="NextSequenceBefore"/> the restored node signed again
/// (or would sign next, its head adopted too low) while another device holds the first entry: a fork anyone can prove.
/// <see cref="ReusedUnseen"/> counts those whose first entry no other device holds (it never left the wiped device, so no
/// rule can know of it and nobody can see the fork). A node whose head is not confirmed (<see cref="HeadRecovered"/>
/// false) stays read-only and reuses nothing.
/// The messages known before the wipe that did not come back are classed by who else holds their entry at the end:
/// nobody (<see cref="MissingHeldByNobody"/>: it never left the device, or its only holder lost it; no rule brings it
/// back), an archive or gateway (<see cref="MissingHeldByArchive"/>, other devices may hold it too), or other devices
/// only (<see cref="MissingHeldByDevicesOnly"/>). <see cref="RestorablePercent"/> is recovered / (before − held by
/// nobody): the share of what could come back that did. <see cref="WritableSeconds"/> runs from the wipe until the head
/// was confirmed and the device could send again, −1 if it was still read-only at the end.
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
    double RestoreSeconds,
    int ReusedSequences,
    int ReusedUnseen,
    int MissingHeldByNobody,
    int MissingHeldByArchive,
    int MissingHeldByDevicesOnly,
    double RestorablePercent,
    double WritableSeconds);
