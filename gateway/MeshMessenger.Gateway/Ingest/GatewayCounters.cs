using System.Collections.Concurrent;

namespace MeshMessenger.Gateway.Ingest;

/// <summary>Counters for the metrics endpoint: frames in by source, outcomes by reason, frames out by link.</summary>
public sealed class GatewayCounters
{
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    /// <summary>Adds to a counter.</summary>
    public void Add(string name, long amount = 1) => _values.AddOrUpdate(name, amount, (_, v) => v + amount);

    /// <summary>A counter's value.</summary>
    public long Get(string name) => _values.TryGetValue(name, out long v) ? v : 0;

    /// <summary>Every counter, sorted by name.</summary>
    public SortedDictionary<string, long> Snapshot() => new(_values.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
}
