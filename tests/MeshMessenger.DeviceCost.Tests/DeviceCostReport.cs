using System.Collections.Generic;

namespace MeshMessenger.DeviceCost;

/// <summary>The document results/device-cost.json holds.</summary>
public sealed record DeviceCostReport(
    string GeneratedUtc,
    int ProcessorCount,
    string Runtime,
    bool Deterministic,
    Dictionary<string, OpCount> Counts,
    VerifyStats Verify,
    Dictionary<string, FrameCost> Frames,
    List<MethodIl> Il,
    IlPerOperation IlPerOperation,
    double LowMicrosecondsPerIl,
    double HighMicrosecondsPerIl,
    Dictionary<string, Estimate> Estimates,
    int FullBaseTableBytes,
    int CompactBaseTableBytes,
    List<StaticTable> StaticTables,
    Dictionary<string, Spread> Host);
