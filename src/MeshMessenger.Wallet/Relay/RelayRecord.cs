using System.Collections.Generic;
using MeshMessenger.Protocol.Payments;

namespace MeshMessenger.Wallet.Relay;

/// <summary>
/// One request the relay has seen, as the <see cref="IRelayJournal"/> keeps it: who asked (<paramref name="Requester"/>
/// at <paramref name="Sequence"/> in its chain), on which chain, the raw signed transaction of a broadcast and its id,
/// the <paramref name="Stage"/> reached, the block last reported (0 if none) and the first answers returned for it
/// (returned again, unchanged, when the same request arrives twice).
/// </summary>
public sealed record RelayRecord(
    uint Requester,
    uint Sequence,
    ChainTag Chain,
    ChainRequestKind Kind,
    byte[]? RawTransaction,
    byte[]? TxId,
    RelayStage Stage,
    ulong Block,
    IReadOnlyList<ChainStatusBody> Answers)
{
    /// <summary>True while the transaction still has to be followed to Final.</summary>
    public bool Unfinished => Stage is RelayStage.Broadcasting or RelayStage.Accepted or RelayStage.Included;
}
