using System.Collections.Generic;

namespace MeshMessenger.DeviceCost;

/// <summary>The document results/device-heap.json holds.</summary>
public sealed record DeviceHeapReport(string GeneratedUtc, string Runtime, int Messages, int Peers, int Step, long BaselineBytes, List<HeapPoint> Points, bool Plateau, double LastStepBytesPerMessage);
