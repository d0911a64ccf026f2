using MeshMessenger.Protocol.Frames;
using MeshMessenger.Protocol.Identity;

namespace MeshMessenger.Gateway.Links;

/// <summary>The frames a gateway sends an entry in on an IP link (UDP, WebSocket): hop limit 0, one Entry frame, or Fragment frames when it exceeds 1,232 bytes (docs/protocol.md §5.2).</summary>
public static class IpFrames
{
    /// <summary>The encoded frames of <paramref name="encodedEntry"/>, with the gateway's hint as the relay byte.</summary>
    public static byte[][] OfEntry(byte[] encodedEntry, uint gateway) =>
        [.. Fragmenter.Split(encodedEntry, FrameLimits.Ip, 0, false, NodeId.HintOf(gateway)).Select(f => FrameCodec.Encode(f, FrameLimits.Ip))];
}
