namespace MeshMessenger.DeviceCost;

/// <summary>What one frame cost a device: counted operations and signature verifications.</summary>
public sealed record FrameCost(OpCount Operations, int Verifications);
