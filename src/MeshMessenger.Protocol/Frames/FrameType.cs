namespace MeshMessenger.Protocol.Frames;

/// <summary>What a frame carries: the low five bits of its first byte.</summary>
public enum FrameType
{
    /// <summary>One whole entry.</summary>
    Entry = 1,

    /// <summary>One piece of an entry too large for a frame.</summary>
    Fragment = 2,

    /// <summary>Sync: the chain heads a node holds.</summary>
    Heads = 3,

    /// <summary>Sync: ranges of entries a node asks for.</summary>
    Want = 4,

    /// <summary>Hop-level acknowledgement of an entry (routing; not a delivery receipt).</summary>
    Ack = 5,

    /// <summary>A gateway tells an author that a checkpoint of its chain is anchored on a public blockchain (<see cref="Anchors.AnchorNotice"/>).</summary>
    Anchor = 6,

    /// <summary>A gateway asks the device at one address to prove its key and confirm held entries (<see cref="Links.LinkChallenge"/>; hop limit 0).</summary>
    Challenge = 7,

    /// <summary>A device answers a challenge (<see cref="Links.LinkProof"/>; hop limit 0).</summary>
    Proof = 8,

    /// <summary>
    /// The author of a direct message asks its neighbours for the message's delivery receipt, which did not come
    /// (<see cref="EntryReference"/> payload; hop limit 0).
    /// </summary>
    ReceiptRequest = 9,
}
