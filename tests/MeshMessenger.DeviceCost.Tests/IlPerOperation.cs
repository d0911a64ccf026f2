namespace MeshMessenger.DeviceCost;

/// <summary>IL instructions executed per field operation (exact) and per hash or cipher block (each loop's IL times its iteration count).</summary>
public sealed record IlPerOperation(int Mul, int Square, int MulSmall, int Add, int ConditionalMove, int Sha512Block, int Sha256Block, int ChaCha20Block, int Poly1305Block);
