namespace MeshMessenger.Wallet.Relay;

/// <summary>What one requester may ask of a <see cref="ChainRelay"/>; above it the answer is Unavailable "rate limited: …".</summary>
public sealed record RelayLimits(int RequestsPerMinute = 20, int TrackedTransactions = 16);
