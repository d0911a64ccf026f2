using System;

namespace MeshMessenger.Protocol.Frames;

/// <summary>
/// A decoded frame: the 4-byte header relays read and rewrite, and the payload they pass on untouched
/// (docs/protocol.md, "Frame"). Relays change only the hop limit and the relay byte, both outside every
/// signature, as Bitchat leaves its TTL out of its signature.
/// </summary>
public sealed class Frame
{
    /// <summary>Creates a frame.</summary>
    public Frame(FrameType type, int hopLimit, int hopStart, bool wantAck, byte nextHop, byte relay, byte[] payload)
        : this(type, hopLimit, hopStart, wantAck, nextHop, relay, payload, false)
    {
    }

    /// <summary>Creates a frame, marked <paramref name="localOnly"/> if the sender does not consent to it leaving the mesh.</summary>
    public Frame(FrameType type, int hopLimit, int hopStart, bool wantAck, byte nextHop, byte relay, byte[] payload, bool localOnly)
    {
        if (hopLimit < 0 || hopLimit > FrameLimits.MaxHops || hopStart < hopLimit || hopStart > FrameLimits.MaxHops)
        {
            throw new ArgumentOutOfRangeException(nameof(hopLimit), "hop limit and hop start are 0-7, limit ≤ start");
        }

        Type = type;
        HopLimit = hopLimit;
        HopStart = hopStart;
        WantAck = wantAck;
        NextHop = nextHop;
        Relay = relay;
        Payload = payload;
        LocalOnly = localOnly;
    }

    /// <summary>What the payload is.</summary>
    public FrameType Type { get; }

    /// <summary>Hops left; a relay forwards only if this is above 0 and decrements it.</summary>
    public int HopLimit { get; }

    /// <summary>The hop limit the sender set, so a receiver knows how far the frame came (start − limit).</summary>
    public int HopStart { get; }

    /// <summary>The sender asks the next hop to acknowledge (an <see cref="FrameType.Ack"/> frame).</summary>
    public bool WantAck { get; }

    /// <summary>Low byte of the node id that should relay this frame; 0 lets any node decide.</summary>
    public byte NextHop { get; }

    /// <summary>Low byte of the node id that transmitted this copy.</summary>
    public byte Relay { get; }

    /// <summary>The payload (an entry, a fragment, or a sync message).</summary>
    public byte[] Payload { get; }

    /// <summary>
    /// The sender asks that this frame stay on the mesh: gateways store and relay it locally but never publish
    /// it to MQTT or any other network (docs/protocol.md §5.1). Relays keep the flag.
    /// </summary>
    public bool LocalOnly { get; }

    /// <summary>Hops taken so far.</summary>
    public int HopsTaken => HopStart - HopLimit;

    /// <summary>The copy a relay transmits: hop limit one lower, its own relay byte, the payload unchanged.</summary>
    public Frame Relayed(byte relay, byte nextHop)
    {
        if (HopLimit == 0)
        {
            throw new InvalidOperationException("a frame with hop limit 0 must not be relayed");
        }

        return new Frame(Type, HopLimit - 1, HopStart, WantAck, nextHop, relay, Payload, LocalOnly);
    }

    /// <summary>The same frame sent again by its originator: a new hop limit, next hop and relay byte; type, hop start, flags and payload kept.</summary>
    public Frame Readdressed(int hopLimit, byte nextHop, byte relay)
    {
        return new Frame(Type, hopLimit, HopStart, WantAck, nextHop, relay, Payload, LocalOnly);
    }

    /// <summary>A copy marked <see cref="LocalOnly"/>.</summary>
    public Frame AsLocalOnly()
    {
        return new Frame(Type, HopLimit, HopStart, WantAck, NextHop, Relay, Payload, true);
    }
}
