using System;
using MeshMessenger.Protocol.Sealing;

namespace MeshMessenger.DeviceCost;

/// <summary>
/// Alice, Bob and a relay. All three hold the others' contact cards (as the emulator's start state: every device
/// holds every profile); Alice and Bob joined one channel, the relay did not.
/// </summary>
public sealed class Mesh
{
    /// <summary>Builds the three devices.</summary>
    public Mesh()
    {
        Alice = new Device(1, "alice", Clock);
        Bob = new Device(2, "bob", Clock);
        Relay = new Device(3, "relay", Clock);
        Device[] all = { Alice, Bob, Relay };
        foreach (Device d in all)
        {
            foreach (Device other in all)
            {
                if (other != d)
                {
                    d.Node.AddContact(other.Card);
                }
            }
        }

        Channel = ChannelKey.Create("hikers", new SeededRandom(99));
        Alice.Node.JoinChannel(Channel);
        Bob.Node.JoinChannel(Channel);
        foreach (Device d in all)
        {
            d.TakeFrames(); // the genesis profiles: known already through the cards
        }
    }

    /// <summary>The clock all three share.</summary>
    public ManualClock Clock { get; } = new();

    /// <summary>The sender.</summary>
    public Device Alice { get; }

    /// <summary>The recipient (and channel member).</summary>
    public Device Bob { get; }

    /// <summary>A device that only forwards: not the recipient, not in the channel.</summary>
    public Device Relay { get; }

    /// <summary>The channel Alice and Bob share.</summary>
    public ChannelKey Channel { get; }

    /// <summary>Alice's direct message to Bob, as one frame.</summary>
    public byte[] DirectMessage(string text)
    {
        Alice.Node.SendText(Bob.Node.Id, text);
        return Single(Alice.TakeFrames());
    }

    /// <summary>Alice's channel post, as one frame.</summary>
    public byte[] ChannelPost(string text)
    {
        Alice.Node.PostToChannel(Channel.Id, text);
        return Single(Alice.TakeFrames());
    }

    private static byte[] Single(byte[][] frames)
    {
        if (frames.Length != 1)
        {
            throw new InvalidOperationException($"expected one frame, got {frames.Length}");
        }

        return frames[0];
    }
}
