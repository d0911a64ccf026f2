namespace MeshMessenger.Cli.Benchmarks;

/// <summary>One operation measured for each implementation, in operations per second.</summary>
public sealed record CryptoBenchmarkRow(string Operation, double Managed, double BouncyCastle, double NSec)
{
    /// <summary>Managed speed as a fraction of BouncyCastle's (1.0 = as fast).</summary>
    public double ManagedVsBouncyCastle => BouncyCastle > 0 ? Managed / BouncyCastle : 0;

    /// <summary>Managed speed as a fraction of NSec's (1.0 = as fast).</summary>
    public double ManagedVsNSec => NSec > 0 ? Managed / NSec : 0;
}
