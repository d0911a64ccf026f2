namespace MeshMessenger.Protocol.Node;

/// <summary>
/// The caps on what a <see cref="MessengerNode"/> holds in memory, so a device's heap stays bounded whatever it
/// hears. <see cref="Device"/> gives the small defaults; hosts (gateway, browser) that hold more use
/// <see cref="Host"/> or their own figures. docs/nanoframework-subset.md ("Caps") lists each cap, what happens at it,
/// and the test that checks it.
/// </summary>
public sealed class NodeLimits
{
    /// <summary>Readable messages held in <see cref="MessengerNode.Messages"/>; the oldest is dropped from memory at the cap (the store keeps the entry).</summary>
    public int Messages { get; set; } = 128;

    /// <summary>Encoded frames waiting in the outbox; at the cap the oldest frame is dropped and counted.</summary>
    public int Outbox { get; set; } = 128;

    /// <summary>Sent direct messages whose delivery state is tracked; the oldest is forgotten at the cap.</summary>
    public int TrackedMessages { get; set; } = 128;

    /// <summary>Channels joined at once; joining one more is refused.</summary>
    public int Channels { get; set; } = 8;

    /// <summary>Derived direct keys cached per direction; at the cap one cached key is dropped (it is derived again when needed).</summary>
    public int DirectKeys { get; set; } = 32;

    /// <summary>Peers whose acknowledgements (own delivery receipts) are remembered; at the cap one peer's are forgotten.</summary>
    public int ReceiptPeers { get; set; } = 32;

    /// <summary>Receipts remembered per peer; the oldest is forgotten at the cap.</summary>
    public int ReceiptsPerPeer { get; set; } = 32;

    /// <summary>Profiles (keys) cached by the node's <see cref="Chain.ChainStore"/>; see <see cref="Chain.ChainStore.DefaultMaxProfiles"/>.</summary>
    public int Profiles { get; set; } = Chain.ChainStore.DefaultMaxProfiles;

    /// <summary>The small defaults a device uses.</summary>
    public static NodeLimits Device => new NodeLimits();

    /// <summary>Generous caps for hosts with memory to spare (gateway, browser, emulator).</summary>
    public static NodeLimits Host => new NodeLimits
    {
        // KeyedTable grows its storage as keys arrive, up to these caps, so a large cap costs nothing until used.
        Messages = 100000,
        Outbox = 10000,
        TrackedMessages = 8192,
        Channels = 256,
        DirectKeys = 1024,
        ReceiptPeers = 1024,
        ReceiptsPerPeer = 4096,
        Profiles = 4096,
    };
}
