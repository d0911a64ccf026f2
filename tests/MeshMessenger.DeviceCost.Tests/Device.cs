using System.Linq;
using MeshMessenger.Firmware;
using MeshMessenger.Protocol.Chain;
using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;
using MeshMessenger.Protocol.Node;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.DeviceCost;

/// <summary>One device as a board runs it: a protocol node over an entry store, the firmware's DeviceApp, a radio.</summary>
public sealed class Device
{
    /// <summary>Creates a device for the identity made from a root secret filled with <paramref name="fill"/>.</summary>
    public Device(byte fill, string name, ManualClock clock)
        : this(fill, name, clock, new MemoryEntryStore())
    {
    }

    /// <summary>Creates a device that keeps its entries in <paramref name="store"/> (a board: the flash entry store).</summary>
    public Device(byte fill, string name, ManualClock clock, IEntryStore store)
    {
        Identity = NodeIdentity.FromRootSecret(Enumerable.Repeat(fill, 32).ToArray());
        Name = name;
        Verifier = new CountingVerifier();
        Radio = new CapturingRadio();
        Store = store;
        Node = new MessengerNode(Identity, name, Store, clock, FrameLimits.LoRa, false, Verifier);
        App = new DeviceApp(Node, Radio, clock, new SeededRandom(fill), ModemPreset.LongFast.Modulation, Region.Us915, false);
    }

    /// <summary>The identity.</summary>
    public NodeIdentity Identity { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>Counts the node's signature verifications.</summary>
    public CountingVerifier Verifier { get; }

    /// <summary>The radio (transmissions kept).</summary>
    public CapturingRadio Radio { get; }

    /// <summary>The node's entry store.</summary>
    public IEntryStore Store { get; }

    /// <summary>The protocol node.</summary>
    public MessengerNode Node { get; }

    /// <summary>The firmware application.</summary>
    public DeviceApp App { get; }

    /// <summary>This device's contact card.</summary>
    public ContactCard Card => ContactCard.Create(Identity, Name, null);

    /// <summary>Frames the node composed since the last call, as they would leave on air (taken straight from the node).</summary>
    public byte[][] TakeFrames() => Node.TakeOutbox();

    /// <summary>Hands a frame to the firmware as the radio would, and returns what the device's crypto counted.</summary>
    public OpCount Receive(byte[] frame) => OpCount.Of(() => App.OnReceive(frame, -90, 5));
}
