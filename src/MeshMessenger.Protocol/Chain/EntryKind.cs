namespace MeshMessenger.Protocol.Chain;

/// <summary>What an entry is. The low six bits of an entry's first byte (docs/protocol.md, "Entry").</summary>
public enum EntryKind
{
    /// <summary>A direct message's text; sealed to one recipient.</summary>
    Text = 1,

    /// <summary>A message to a channel; sealed under the channel key.</summary>
    ChannelPost = 2,

    /// <summary>A public post for the news feed; signed, in the clear.</summary>
    PublicPost = 3,

    /// <summary>"These entries of yours reached me"; sealed to their author.</summary>
    DeliveryReceipt = 4,

    /// <summary>"I have read these entries of yours"; sealed to their author.</summary>
    ReadReceipt = 5,

    /// <summary>Keys, name, wallet, chain addresses and served chains (<see cref="Identity.Profile"/>); sequence 0 of every chain.</summary>
    Profile = 6,

    /// <summary>The full 32-byte hash of the previous entry, for anchoring and long-range integrity.</summary>
    Checkpoint = 7,

    /// <summary>One piece of a larger object (a photo, a signed transaction), sealed as its context requires.</summary>
    BlobFragment = 8,

    /// <summary>A request to a gateway to read or write a public chain (<see cref="Payments.ChainRequestBody"/>); sealed to the gateway.</summary>
    ChainRequest = 9,

    /// <summary>A gateway's answer to a chain request (<see cref="Payments.ChainStatusBody"/>); sealed to the requester.</summary>
    ChainStatus = 10,

    /// <summary>A public note that a payment rewards a post (<see cref="Payments.TipBody"/>); signed, in the clear.</summary>
    Tip = 11,

    /// <summary>
    /// The first entry a node writes after a restore from backup: it links to the highest own entry that came back and
    /// skips <see cref="LocalChain.ResumeSkip"/> sequences, left to own entries the restore never learned of
    /// (docs/protocol.md §8.3). The body is the varint sequence it links to and that entry's full 32-byte hash.
    /// </summary>
    Resume = 12,
}
