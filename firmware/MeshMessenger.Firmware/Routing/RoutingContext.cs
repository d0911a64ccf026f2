using MeshMessenger.Protocol.Platform;
using MeshMessenger.Radio.LoRa;

namespace MeshMessenger.Firmware.Routing;

/// <summary>What a routing policy may consult: the node's hint, the modulation, the channel's recent load and randomness.</summary>
public sealed class RoutingContext
{
    private readonly IRandomSource _random;
    private readonly byte[] _four = new byte[4];

    /// <summary>Creates a context.</summary>
    public RoutingContext(byte selfHint, LoRaModulation modulation, IRandomSource random)
    {
        SelfHint = selfHint;
        Modulation = modulation;
        _random = random;
        // Meshtastic computeSlotTimeMsec (RadioInterface.cpp:1384-1396 at 77540685): SX126x CAD of NUM_SYM_CAD 2 + 0.5
        // symbols (RadioInterface.h:95) + 0.2 + 0.4 + 7 ms of propagation, turnaround and MAC, returned as uint32_t: truncated.
        SlotMs = (int)((2.5 * modulation.SymbolMicroseconds / 1000.0) + 0.2 + 0.4 + 7.0);
    }

    /// <summary>Low byte of this node's id.</summary>
    public byte SelfHint { get; }

    /// <summary>The LoRa settings in use.</summary>
    public LoRaModulation Modulation { get; }

    /// <summary>Contention slot in milliseconds (28 ms on LongFast).</summary>
    public int SlotMs { get; }

    /// <summary>Channel utilisation (RX + TX) over the last minute, 0..1; set by the device application.</summary>
    public double ChannelUtilisation { get; set; }

    /// <summary>A uniform random integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 1)
        {
            return 0;
        }

        _random.Fill(_four, 0, 4);
        uint v = (uint)(_four[0] | (_four[1] << 8) | (_four[2] << 16) | (_four[3] << 24));
        return (int)(v % (uint)maxExclusive);
    }
}
