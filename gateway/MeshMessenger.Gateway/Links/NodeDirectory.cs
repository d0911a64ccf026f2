using System.Collections.Concurrent;
using MeshMessenger.Gateway.Ingest;

namespace MeshMessenger.Gateway.Links;

/// <summary>
/// The nodes this gateway hears directly: when it last heard each, on which link, how many frames, and the
/// link's quality (RSSI and SNR from the radio, or the simulated link of an emulated device). The web app's
/// node list reads it.
/// </summary>
public sealed class NodeDirectory
{
    private readonly ConcurrentDictionary<uint, HeardNode> _nodes = new();

    /// <summary>Records a frame heard from <paramref name="node"/>.</summary>
    public void Heard(uint node, IngestSource link, double? rssiDbm, double? snrDb)
    {
        _nodes.AddOrUpdate(
            node,
            _ => new HeardNode(node, link, rssiDbm, snrDb, DateTimeOffset.UtcNow, 1),
            (_, old) => old with { Link = link, RssiDbm = rssiDbm ?? old.RssiDbm, SnrDb = snrDb ?? old.SnrDb, LastHeard = DateTimeOffset.UtcNow, Frames = old.Frames + 1 });
    }

    /// <summary>Every node heard, most recently heard first.</summary>
    public IReadOnlyList<HeardNode> Snapshot() => [.. _nodes.Values.OrderByDescending(n => n.LastHeard)];
}
