using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Node;

namespace MeshMessenger.Emulator.Metrics;

/// <summary>
/// What the wipes of a run cost and what came back (docs/emulator.md §7.3): each wiped device's known messages and old
/// node, when each message came back, when the device could write again, the sync airtime spent while a wipe is
/// measured, and at the end one <see cref="WipeReport"/> per wipe. The emulation calls it as things happen.
/// </summary>
internal sealed class WipeStudy
{
    private readonly List<PendingWipe> _wipes = [];
    private readonly Dictionary<int, (HashSet<(uint, uint)> Back, long LastMs)> _back = [];
    private readonly Dictionary<int, long> _writableAtMs = []; // when a wiped device's head was confirmed
    private long _syncAirtimeMs;

    /// <summary>
    /// <paramref name="device"/> is wiped now: what it showed and its node are kept to compare with, and its shown
    /// messages are emptied. The caller then gives it a restoring node.
    /// </summary>
    public void Begin(VirtualDevice device, double atMinute, long nowMs)
    {
        MessengerNode old = device.App.Node;
        var known = new HashSet<(uint, uint)>(device.Shown);
        _wipes.Add(new PendingWipe(device.Index, atMinute, known.Count, old.OwnChain.NextSequence, known, nowMs, old));
        device.Shown.Clear();
        _back[device.Index] = ([], nowMs);
    }

    /// <summary>A frame went on air: while a wipe is measured, a sync frame's airtime counts as the restore's.</summary>
    public void NoteOnAir(byte[] frame, long airtimeMs)
    {
        if (_wipes.Count > 0 && IsSync(frame))
        {
            _syncAirtimeMs += airtimeMs;
        }
    }

    /// <summary>A record the device's node added: a message the wiped device held came back (time to restore = the last one).</summary>
    public void NoteShown(VirtualDevice device, MessageRecord m, long nowMs)
    {
        if (_back.TryGetValue(device.Index, out var back))
        {
            foreach (PendingWipe w in _wipes)
            {
                if (w.Device == device.Index && w.Known.Contains((m.Author, m.Sequence)) && back.Back.Add((m.Author, m.Sequence)))
                {
                    _back[device.Index] = (back.Back, nowMs);
                }
            }
        }
    }

    /// <summary>A device event ended: the first one after which a wiped device's head is confirmed is when it can send.</summary>
    public void NoteEvent(VirtualDevice device, long nowMs)
    {
        if (_back.ContainsKey(device.Index) && !_writableAtMs.ContainsKey(device.Index) && device.App.Node.OwnChain.HeadKnown)
        {
            _writableAtMs[device.Index] = nowMs;
        }
    }

    /// <summary>One report per wipe, measured against every device's store now.</summary>
    public List<WipeReport> Reports(IReadOnlyList<VirtualDevice> devices)
    {
        var reports = new List<WipeReport>();
        foreach (PendingWipe w in _wipes)
        {
            MessengerNode node = devices[w.Device].App.Node;
            int recovered = devices[w.Device].Shown.Count(w.Known.Contains);
            int forks = devices.Sum(d => d.App.Node.Chains.Forks.Cast<ForkEvidence>().Count(f => f.Held.Author == node.Id));
            double restoreSeconds = (_back[w.Device].LastMs - w.SyncStartMs) / 1000.0;
            double writableSeconds = _writableAtMs.TryGetValue(w.Device, out long writableAt) ? (writableAt - w.SyncStartMs) / 1000.0 : -1;
            var reused = ReusedSequences(devices, w.Old, node, w.NextBefore);
            var missing = MissingHolders(devices, w.Device, w.Known);
            int restorable = w.Before - missing.Nobody;
            reports.Add(new WipeReport(w.Device, w.AtMinute, w.Before, recovered, w.Before == 0 ? 100 : 100.0 * recovered / w.Before, node.OwnChain.HeadKnown, w.NextBefore, node.OwnChain.NextSequence, forks, _syncAirtimeMs / 1000.0, restoreSeconds, reused.Visible, reused.Unseen, missing.Nobody, missing.Archive, missing.DevicesOnly, restorable <= 0 ? 100 : 100.0 * recovered / restorable, writableSeconds));
        }

        return reports;
    }

    // Sequences below the old next sequence that the restored node signed again (it holds another entry there than it
    // wrote before the wipe) or would sign again (its head was adopted below the old one). The first tuple item counts
    // those whose first entry another device holds: a fork anyone can prove. The second counts those whose first entry
    // nobody else holds (it never left the wiped device): no rule can know of them, and no one can see the fork.
    private static (int Visible, int Unseen) ReusedSequences(IReadOnlyList<VirtualDevice> devices, MessengerNode old, MessengerNode restored, uint nextBefore)
    {
        int visible = 0;
        int unseen = 0;
        uint next = restored.OwnChain.NextSequence;
        for (uint s = 0; s < nextBefore; s++)
        {
            byte[]? before = old.Chains.HashOf(old.Id, s);
            byte[]? after = restored.Chains.HashOf(restored.Id, s);
            bool again = (before != null && after != null && !before.AsSpan().SequenceEqual(after))
                || (restored.OwnChain.HeadKnown && s >= next);
            if (!again)
            {
                continue;
            }

            bool heldElsewhere = before != null && devices.Any(d => d.App.Node != restored && d.App.Node.Chains.HashOf(old.Id, s) is byte[] h && h.AsSpan().SequenceEqual(before));
            visible += heldElsewhere ? 1 : 0;
            unseen += heldElsewhere ? 0 : 1;
        }

        return (visible, unseen);
    }

    // Who else holds each known message that did not come back: nobody, an archive (a gateway; others may hold it too),
    // or other devices only.
    private static (int Nobody, int Archive, int DevicesOnly) MissingHolders(IReadOnlyList<VirtualDevice> devices, int wiped, HashSet<(uint, uint)> known)
    {
        int nobody = 0;
        int archive = 0;
        int others = 0;
        foreach ((uint author, uint sequence) in known.Where(k => !devices[wiped].Shown.Contains(k)))
        {
            var holders = devices.Where(d => d.Index != wiped && d.App.Node.Chains.HashOf(author, sequence) != null).ToList();
            nobody += holders.Count == 0 ? 1 : 0;
            archive += holders.Any(d => d.App.Node.SyncAllChains) ? 1 : 0;
            others += holders.Count > 0 && !holders.Any(d => d.App.Node.SyncAllChains) ? 1 : 0;
        }

        return (nobody, archive, others);
    }

    // Sync traffic: heads and wants, and what is sent with hop start 0 (answers to neighbours) or a relayed want's hop
    // start (answers through a named relay, docs/protocol.md §8.4); live traffic starts with the default hop limit.
    private static bool IsSync(byte[] frame)
    {
        // Peek, not decode: this runs for every frame on air while a wipe is measured.
        return FrameCodec.TryPeek(frame, 0, frame.Length, out FrameType type, out int hopStart) == Protocol.ProtocolError.None
            && (type is FrameType.Heads or FrameType.Want || (type is FrameType.Entry or FrameType.Fragment && hopStart <= Protocol.Sync.RelayedWant.HopLimit));
    }

    private sealed record PendingWipe(int Device, double AtMinute, int Before, uint NextBefore, HashSet<(uint, uint)> Known, long SyncStartMs, MessengerNode Old);
}
