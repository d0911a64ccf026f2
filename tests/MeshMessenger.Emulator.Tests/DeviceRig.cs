using MeshMessenger.Firmware;
using MeshMessenger.Firmware.Routing;
using MeshMessenger.Protocol;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Emulator.Tests;

/// <summary>One device (DeviceApp over a real MessengerNode) with a peer contact, driven by a manual clock; the radio is the recording fake at the hardware edge.</summary>
internal sealed class DeviceRig
{
    public DeviceRig(bool learnedRoutes = false, byte random = 0, Region? region = null)
    {
        Node = new MessengerNode(NodeIdentity.FromRootSecret(new byte[32]), "me", new MemoryEntryStore(), Clock, FrameLimits.LoRa, false);
        Peer = Profile.Of(PeerIdentity, "peer", null);
        Assert.True(Node.Chains.AddContact(Peer));
        App = new DeviceApp(Node, Radio, Clock, new FixedRandom(random), ModemPreset.LongFast.Modulation, region ?? Region.Us915, learnedRoutes);
    }

    public ManualClock Clock { get; } = new();

    public RecordingRadio Radio { get; } = new();

    public MessengerNode Node { get; }

    public Profile Peer { get; }

    public DeviceApp App { get; }

    private static NodeIdentity PeerIdentity => NodeIdentity.FromRootSecret(Enumerable.Repeat((byte)9, 32).ToArray());

    // What a relay reads of a frame on air.
    public static PacketInfo Info(byte[] frame)
    {
        Assert.Equal(ProtocolError.None, PacketInfo.TryRead(frame, FrameLimits.LoRa, out PacketInfo? info));
        return info!;
    }

    // The peer as a node of its own on the same clock, knowing this device's profile.
    public MessengerNode PeerNode()
    {
        var peer = new MessengerNode(PeerIdentity, "peer", new MemoryEntryStore(), Clock, FrameLimits.LoRa, false);
        Assert.True(peer.Chains.AddContact(Profile.Of(NodeIdentity.FromRootSecret(new byte[32]), "me", null)));
        return peer;
    }

    // The airtime of the frames sent from index `from` on that `counts` selects, and the longest of them.
    public long AirtimeSince(int from, Func<PacketInfo, bool> counts, out int longestMs)
    {
        long total = 0;
        longestMs = 0;
        foreach (byte[] bytes in Radio.Sent.Skip(from))
        {
            if (counts(Info(bytes)))
            {
                int airtime = TimeOnAir.Milliseconds(ModemPreset.LongFast.Modulation, bytes.Length);
                total += airtime;
                longestMs = Math.Max(longestMs, airtime);
            }
        }

        return total;
    }

    // Runs the device for a while in 10 ms steps, ending each transmission after 1 ms.
    public void Run(long ms)
    {
        for (long t = 0; t < ms; t += 10)
        {
            Clock.MonotonicMilliseconds += 10;
            App.Tick();
            if (Radio.IsTransmitting)
            {
                Clock.MonotonicMilliseconds += 1;
                Radio.IsTransmitting = false;
                App.OnTransmitDone();
            }
        }
    }

    // The transmissions of one own entry.
    public List<Frame> SentEntries(uint sequence)
    {
        var entries = new List<Frame>();
        foreach (byte[] bytes in Radio.Sent)
        {
            Assert.Equal(ProtocolError.None, PacketInfo.TryRead(bytes, FrameLimits.LoRa, out PacketInfo? info));
            PacketInfo p = info!;
            if (p.Frame.Type == FrameType.Entry && p.Author == Node.Id && p.Sequence == sequence)
            {
                entries.Add(p.Frame);
            }
        }

        return entries;
    }

    // Sends a DM once the device has sent what it queued at start (its chain's first entry).
    public uint SendDm()
    {
        Run(30_000);
        return App.SendText(Peer.NodeId, "hello");
    }
}
