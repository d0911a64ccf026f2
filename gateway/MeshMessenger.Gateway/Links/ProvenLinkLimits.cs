namespace MeshMessenger.Gateway.Links;

/// <summary>What <see cref="ProvenLinks{TKey}"/> allows on one link.</summary>
/// <param name="ChallengeMilliseconds">A challenge not answered within this long expires; its nonce is never accepted again.</param>
/// <param name="ProvenMilliseconds">How long a proof keeps its address proven (<see cref="long.MaxValue"/>: as long as the connection lasts).</param>
/// <param name="DownlinkBytesPerSecond">Token bucket refill per proven address.</param>
/// <param name="DownlinkBurstBytes">Token bucket size per proven address.</param>
public sealed record ProvenLinkLimits(int ChallengeMilliseconds, long ProvenMilliseconds, int DownlinkBytesPerSecond, int DownlinkBurstBytes);
