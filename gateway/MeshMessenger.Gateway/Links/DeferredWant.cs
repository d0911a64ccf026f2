using MeshMessenger.Protocol.Sync;

namespace MeshMessenger.Gateway.Links;

/// <summary>A want being answered on a WebSocket: the want, the next hop and relay byte of its frame, and how many of its entries were sent.</summary>
/// <param name="Want">The want (docs/protocol.md §8).</param>
/// <param name="NextHop">The next hop of the frame that carried it (0: anyone).</param>
/// <param name="Asker">The relay byte of that frame: the asker's hint, for a want flagged "readable by the asker only".</param>
/// <param name="Sent">Entries of the answer already sent; the answer carries on from here.</param>
internal sealed record DeferredWant(WantMessage Want, byte NextHop, byte Asker, int Sent);
