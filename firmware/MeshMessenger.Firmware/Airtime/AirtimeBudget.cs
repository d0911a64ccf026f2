using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Firmware.Airtime;

/// <summary>
/// The device's own transmit time over the last hour against the region's duty cycle, and the parts of it spent on
/// frames for others: answers to neighbours' questions (at most <see cref="DeviceApp.AnswerSharePercent"/> of the
/// hour's allowance, docs/protocol.md §8.6) and relays and answers together (at most
/// <see cref="DeviceApp.OthersSharePercent"/>, §8.7). Kept as Meshtastic keeps AirUtilTX: 1 h as 60 × 1 min (AirTime.cpp).
/// </summary>
internal sealed class AirtimeBudget
{
    private readonly Region _region;
    private readonly RollingWindow _txUse = new RollingWindow(60, 60000);
    private readonly RollingWindow _answerUse = new RollingWindow(60, 60000); // the part of _txUse that answered neighbours' questions
    private readonly RollingWindow _relayUse = new RollingWindow(60, 60000); // the part of _txUse that relayed others' frames

    /// <summary>A budget for <paramref name="region"/>'s duty cycle, nothing spent.</summary>
    public AirtimeBudget(Region region)
    {
        _region = region;
    }

    /// <summary>Until when the duty cycle holds the whole queue (0 if it never did).</summary>
    public long HoldUntilMs { get; private set; }

    /// <summary>Own transmit time over the last hour, 0..1 (Meshtastic's AirUtilTX).</summary>
    public double TxUtilisation(long now)
    {
        return _txUse.Utilisation(now);
    }

    /// <summary>True if sending <paramref name="next"/>, a relay or an answer, would pass the share for others' frames.</summary>
    public bool OthersSpent(QueuedFrame next, int airtime, long now)
    {
        return (next.IsRelay || next.IsAnswer) && _relayUse.BusyMs(now) + _answerUse.BusyMs(now) + airtime > ShareOfAllowanceMs(DeviceApp.OthersSharePercent);
    }

    /// <summary>True if sending <paramref name="next"/>, an answer, would pass the share for answers.</summary>
    public bool AnswersSpent(QueuedFrame next, int airtime, long now)
    {
        return next.IsAnswer && _answerUse.BusyMs(now) + airtime > ShareOfAllowanceMs(DeviceApp.AnswerSharePercent);
    }

    /// <summary>True if <paramref name="airtime"/> more would pass the regional duty cycle (none where the region has none).</summary>
    public bool OverDutyCycle(int airtime, long now)
    {
        return _region.DutyCyclePercent < 100 && _txUse.BusyMs(now) + airtime > _txUse.WindowMs * _region.DutyCyclePercent / 100;
    }

    /// <summary>
    /// Holds the queue until the oldest bucket of the hour leaves the window. One hold for the whole queue keeps the
    /// device from rescanning every frame on every wake-up.
    /// </summary>
    public void HoldForDutyCycle(long now)
    {
        HoldUntilMs = ((now / _txUse.BucketMs) + 1) * _txUse.BucketMs;
    }

    /// <summary>Counts <paramref name="sent"/>'s <paramref name="airtime"/>, begun at <paramref name="now"/>, in the hour and in its share.</summary>
    public void Add(QueuedFrame sent, long now, int airtime)
    {
        _txUse.Add(now, airtime);
        if (sent.IsAnswer)
        {
            _answerUse.Add(now, airtime);
        }

        if (sent.IsRelay)
        {
            _relayUse.Add(now, airtime);
        }
    }

    // Airtime in the window that is the given share of the hour's allowance (the regional duty cycle, else the whole hour).
    private long ShareOfAllowanceMs(int percent)
    {
        int duty = _region.DutyCyclePercent < 100 ? _region.DutyCyclePercent : 100;
        return _txUse.WindowMs * duty / 100 * percent / 100;
    }
}
