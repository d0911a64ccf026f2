using MeshMessenger.Protocol.Chain;

namespace MeshMessenger.Protocol.Node;

/// <summary>
/// Called by <see cref="MessengerNode.PaymentEntryReceived"/> for a newly stored chain request, chain status or tip
/// entry this node could open: <paramref name="body"/> is the opened plaintext (decode it with
/// <see cref="Payments.ChainRequestBody"/>, <see cref="Payments.ChainStatusBody"/> or <see cref="Payments.TipBody"/>).
/// </summary>
public delegate void PaymentEntryHandler(uint author, uint sequence, EntryKind kind, byte[] body);
