namespace MeshMessenger.Gateway.Links;

/// <summary>An entry store-and-forward holds for a device: what a hand-over round sends and lists in its challenge.</summary>
/// <param name="Author">Node id of the author.</param>
/// <param name="Sequence">Its sequence number.</param>
/// <param name="Encoded">The signed entry.</param>
public sealed record HeldEntry(uint Author, uint Sequence, byte[] Encoded);
