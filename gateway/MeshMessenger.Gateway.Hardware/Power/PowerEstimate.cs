namespace MeshMessenger.Gateway.Hardware.Power;

/// <summary>What <see cref="PowerBudget"/> works out for an hour of traffic.</summary>
public sealed record PowerEstimate(
    string Board,
    string Preset,
    int FrameBytes,
    double FrameAirtimeMs,
    double TransmitSecondsPerHour,
    double TransmitSharePercent,
    double RadioAverageMa,
    double HostAverageMa,
    double AverageMa,
    double SupplyVolts,
    double AverageMw,
    double BatteryMah,
    double BatteryHours);
