namespace MeshMessenger.DeviceCost;

/// <summary>Field operations of Ed25519 verification over <see cref="N"/> random keys and messages.</summary>
public sealed record VerifyStats(int N, double MeanMul, long MinMul, long MaxMul, double MeanSquare, long MinSquare, long MaxSquare, double MeanMulAndSquare, long MinMulAndSquare, long MaxMulAndSquare);
