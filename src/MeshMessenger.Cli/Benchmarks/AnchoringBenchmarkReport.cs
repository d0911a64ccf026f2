namespace MeshMessenger.Cli.Benchmarks;

/// <summary>What <c>meshmsg bench anchoring</c> writes as JSON.</summary>
public sealed record AnchoringBenchmarkReport(
    DateTimeOffset StartedAt,
    int ProcessorCount,
    int MerkleLeaves,
    double MerkleBuildSeconds,
    double ProofMicroseconds,
    int ProofHashes,
    int ProofBytes,
    string Chain,
    List<AnchoringGasRow> Gas);
